#pragma once
// Reading a description reports every mistake, not the first: each problem is
// collected with the JSON pointer of the value at fault, and the caller
// decides, once everything has been read, whether anything may run.

#include <stdexcept>
#include <string>
#include <vector>

namespace bgsim::networks {

struct Diagnostic {
  std::string file;     // the file the value came from ("" for the main one)
  std::string pointer;  // RFC 6901 JSON pointer, e.g. /populations/d1/params/tau_m
  std::string message;  // what is wrong, and what would be right
  std::string str() const {
    return (file.empty() ? std::string() : file + ": ") + (pointer.empty() ? "/" : pointer) + ": " +
           message;
  }
};

class Diagnostics {
 public:
  void error(std::string pointer, std::string message, std::string file = "") {
    items_.push_back({std::move(file), std::move(pointer), std::move(message)});
  }
  bool ok() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  std::string str() const {
    std::string out;
    for (const auto& d : items_)
      out += d.str() + "\n";
    return out;
  }

 private:
  std::vector<Diagnostic> items_;
};

// Thrown by the functions that must not go on after a mistake.
class DescriptionError : public std::runtime_error {
 public:
  explicit DescriptionError(Diagnostics d)
      : std::runtime_error(d.str()), diagnostics_(std::move(d)) {}
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Diagnostics diagnostics_;
};

// Escapes a key for use in a JSON pointer (RFC 6901: ~ -> ~0, / -> ~1).
std::string pointer_key(const std::string& key);

}  // namespace bgsim::networks
