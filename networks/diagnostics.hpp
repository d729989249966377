#pragma once
// Reading a description reports every mistake, not the first: each problem is
// collected with the JSON pointer of the value at fault, and the caller
// decides, once everything has been read, whether anything may run.
// Warnings (a description that runs, but not as its author likely meant) are
// kept apart: they never stop a run, and `bgsim validate` and `bgsim run`
// print them. Every text is printed through printable() (core/printable.hpp),
// so a byte of the file that is not UTF-8 reaches the terminal as \xNN.

#include <stdexcept>
#include <string>
#include <vector>

#include "core/printable.hpp"

namespace bgsim::networks {

struct Diagnostic {
  std::string file;     // the file the value came from ("" for the main one)
  std::string pointer;  // RFC 6901 JSON pointer, e.g. /populations/d1/params/tau_m
  std::string message;  // what is wrong, and what would be right
  std::string str() const {
    return printable((file.empty() ? std::string() : file + ": ") +
                     (pointer.empty() ? "/" : pointer) + ": " + message);
  }
};

class Diagnostics {
 public:
  void error(std::string pointer, std::string message, std::string file = "") {
    items_.push_back({std::move(file), std::move(pointer), std::move(message)});
  }
  void warning(std::string pointer, std::string message, std::string file = "") {
    warnings_.push_back({std::move(file), std::move(pointer), std::move(message)});
  }
  bool ok() const { return items_.empty(); }
  const std::vector<Diagnostic>& items() const { return items_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  std::string str() const {
    std::string out;
    for (const auto& d : items_)
      out += d.str() + "\n";
    return out;
  }
  // The warnings, one per line, each starting "warning: ".
  std::string warnings_str() const {
    std::string out;
    for (const auto& d : warnings_)
      out += "warning: " + d.str() + "\n";
    return out;
  }

 private:
  std::vector<Diagnostic> items_;
  std::vector<Diagnostic> warnings_;
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
