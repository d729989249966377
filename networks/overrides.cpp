#include "networks/overrides.hpp"

#include "core/printable.hpp"

namespace bgsim::networks {

std::vector<Override> parse_overrides(const std::vector<std::string>& texts, Diagnostics& diag) {
  std::vector<Override> out;
  for (const std::string& text : texts) {
    const std::size_t eq = text.find('=');
    if (text.empty() || text[0] != '/' || eq == std::string::npos) {
      diag.error("", "--set " + quote(text) +
                         ": expected POINTER=VALUE, with POINTER a JSON pointer starting with '/' "
                         "(e.g. /populations/exc/size=2000)");
      continue;
    }
    Override o{text.substr(0, eq), nullptr};
    const std::string value = text.substr(eq + 1);
    o.value = json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (o.value.is_discarded()) o.value = value;  // not JSON: a string
    out.push_back(std::move(o));
  }
  return out;
}

void apply_overrides(json& document, const std::vector<Override>& overrides, Diagnostics& diag) {
  for (const Override& o : overrides) {
    json::json_pointer pointer;
    try {
      pointer = json::json_pointer(o.pointer);
    } catch (const json::exception&) {
      diag.error(o.pointer, "--set: " + quote(o.pointer) + " is not a JSON pointer");
      continue;
    }
    try {
      if (pointer.empty()) {
        diag.error("", "--set: the pointer names the whole description, not a field");
        continue;
      }
      if (document.contains(pointer)) {
        document[pointer] = o.value;
        continue;
      }
      const json::json_pointer parent = pointer.parent_pointer();
      if (document.contains(parent) && document[parent].is_object()) {
        document[pointer] = o.value;  // a new key: a parameter left to its default
        continue;
      }
      diag.error(o.pointer, "--set: the description has no field " + quote(o.pointer) +
                                (document.contains(parent)
                                     ? " (" + quote(parent.to_string()) + " is not an object)"
                                     : " (nor " + quote(parent.to_string()) + ")"));
    } catch (const json::exception&) {
      diag.error(o.pointer, "--set: the description has no field " + quote(o.pointer));
    }
  }
}

}  // namespace bgsim::networks
