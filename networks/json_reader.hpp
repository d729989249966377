#pragma once
// Consume-and-check reading of JSON objects: every key is taken as it is read,
// and whatever is left over is reported as unknown, with the nearest valid
// name as a hint. Typed getters report a wrong type or value with the value's
// JSON pointer and what was expected, and return a fallback so that reading
// goes on and every other mistake is found too.

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "networks/diagnostics.hpp"

namespace bgsim::networks {

using nlohmann::json;

class ObjectReader {
 public:
  // `value` must be an object; if it is not, the error is reported and every
  // getter returns its fallback.
  ObjectReader(const json& value, std::string pointer, Diagnostics& diag, std::string file = "");

  bool valid() const { return object_ != nullptr; }
  const std::string& pointer() const { return pointer_; }
  std::string at(const std::string& key) const { return pointer_ + "/" + pointer_key(key); }
  Diagnostics& diagnostics() { return diag_; }
  const std::string& file() const { return file_; }
  void error(const std::string& key, std::string message) {
    diag_.error(key.empty() ? pointer_ : at(key), std::move(message), file_);
  }

  bool has(const std::string& key) const;
  // The raw value, marking the key as read; nullptr when absent.
  const json* take(const std::string& key);
  const json* require(const std::string& key, const std::string& what);

  std::optional<double> number(const std::string& key, bool required = false);
  std::optional<std::string> string(const std::string& key, bool required = false);
  std::optional<bool> boolean(const std::string& key);
  std::optional<std::uint64_t> count(const std::string& key, bool required = false);

  // Reports every key not read, with the nearest valid key as a hint.
  void finish(const std::vector<std::string>& valid_keys);

 private:
  const json* object_ = nullptr;
  std::string pointer_;
  Diagnostics& diag_;
  std::string file_;
  std::set<std::string> read_;
};

std::string type_name(const json& v);

// "; did you mean \"x\"?" for the candidate nearest `name` (nearest_name), or "".
std::string hint_for(const std::string& name, const std::vector<std::string>& candidates);

// The names separated by ", ".
std::string join(const std::vector<std::string>& names);

}  // namespace bgsim::networks
