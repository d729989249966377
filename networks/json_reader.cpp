#include "networks/json_reader.hpp"

#include <cmath>

#include "core/parameters.hpp"
#include "core/printable.hpp"

namespace bgsim::networks {

std::string pointer_key(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string hint_for(const std::string& name, const std::vector<std::string>& candidates) {
  const std::string h = nearest_name(name, candidates);
  return h.empty() ? "" : "; did you mean " + quote(h) + "?";
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += (i ? ", " : "") + names[i];
  return s;
}

std::string type_name(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "an object";
}

ObjectReader::ObjectReader(const json& value, std::string pointer, Diagnostics& diag,
                           std::string file)
    : pointer_(std::move(pointer)), diag_(diag), file_(std::move(file)) {
  if (value.is_object())
    object_ = &value;
  else
    diag_.error(pointer_, "expected an object, got " + type_name(value), file_);
}

bool ObjectReader::has(const std::string& key) const {
  return object_ && object_->contains(key);
}

const json* ObjectReader::take(const std::string& key) {
  if (!object_) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end()) return nullptr;
  read_.insert(key);
  return &*it;
}

const json* ObjectReader::require(const std::string& key, const std::string& what) {
  const json* v = take(key);
  if (!v && object_) diag_.error(pointer_, "missing " + quote(key) + " (" + what + ")", file_);
  return v;
}

std::optional<double> ObjectReader::number(const std::string& key, bool required) {
  const json* v = required ? require(key, "a number") : take(key);
  if (!v) return std::nullopt;
  if (!v->is_number()) {
    error(key, "expected a number, got " + type_name(*v));
    return std::nullopt;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x)) {
    error(key, "must be finite");
    return std::nullopt;
  }
  return x;
}

std::optional<std::string> ObjectReader::string(const std::string& key, bool required) {
  const json* v = required ? require(key, "a string") : take(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    error(key, "expected a string, got " + type_name(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> ObjectReader::boolean(const std::string& key) {
  const json* v = take(key);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    error(key, "expected true or false, got " + type_name(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::uint64_t> ObjectReader::count(const std::string& key, bool required) {
  const json* v = required ? require(key, "a whole number >= 0") : take(key);
  if (!v) return std::nullopt;
  if (v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0))
    return v->get<std::uint64_t>();
  if (v->is_number_float()) {
    const double x = v->get<double>();
    if (x >= 0 && x == std::floor(x) && x < 9e15) return static_cast<std::uint64_t>(x);
  }
  error(key, "expected a whole number >= 0, got " + (v->is_number() ? v->dump() : type_name(*v)));
  return std::nullopt;
}

void ObjectReader::finish(const std::vector<std::string>& valid_keys) {
  if (!object_) return;
  std::vector<std::string> known(read_.begin(), read_.end());
  known.insert(known.end(), valid_keys.begin(), valid_keys.end());
  for (const auto& [key, value] : object_->items()) {
    if (read_.count(key)) continue;
    const std::string hint = nearest_name(key, known);
    diag_.error(
        at(key),
        "unknown key" + (hint.empty() ? std::string() : "; did you mean " + quote(hint) + "?"),
        file_);
  }
}

}  // namespace bgsim::networks
