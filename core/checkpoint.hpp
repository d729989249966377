#pragma once
// Binary checkpoints. Every stateful unit of a simulation writes itself with a
// CheckpointWriter and reads itself back with a CheckpointReader, section by
// section; each section opens with a tag so that a checkpoint read into a
// network of a different shape fails with a message, not with garbage.
//
// The format is for resuming on the same build and machine (native byte order,
// IEEE-754 doubles); it is not an exchange format.
//
// A struct written raw (value, vector) must have no padding: its padding
// bytes are indeterminate, so two equal states would give different files
// (the Go/NoGo striatum's checkpoint differed between builds for that reason
// alone, docs/speed.md). Each such struct static_asserts its size next to its
// definition; give padding a named, zeroed member instead.

#include <cstdint>
#include <cstring>
#include <istream>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace bgsim {

class CheckpointWriter {
 public:
  explicit CheckpointWriter(std::ostream& out) : out_(out) {}

  void section(std::string_view tag) { string(tag); }

  template <class T>
  requires std::is_trivially_copyable_v<T>
  void value(const T& v) {
    out_.write(reinterpret_cast<const char*>(&v), sizeof(T));
    check();
  }

  template <class T>
  requires std::is_trivially_copyable_v<T>
  void vector(const std::vector<T>& v) {
    value<std::uint64_t>(v.size());
    if (!v.empty()) out_.write(reinterpret_cast<const char*>(v.data()), sizeof(T) * v.size());
    check();
  }

  void string(std::string_view s) {
    value<std::uint64_t>(s.size());
    out_.write(s.data(), static_cast<std::streamsize>(s.size()));
    check();
  }

 private:
  void check() {
    if (!out_) throw std::runtime_error("checkpoint: write failed");
  }
  std::ostream& out_;
};

class CheckpointReader {
 public:
  explicit CheckpointReader(std::istream& in) : in_(in) {}

  // Reads a section tag and refuses any other than the one expected.
  void section(std::string_view tag) {
    const std::string got = string();
    if (got != tag)
      throw std::runtime_error("checkpoint: expected section '" + std::string(tag) + "', found '" +
                               got + "' (a checkpoint of another network?)");
  }

  template <class T>
  requires std::is_trivially_copyable_v<T> T value() {
    T v;
    in_.read(reinterpret_cast<char*>(&v), sizeof(T));
    check();
    return v;
  }

  // Reads a vector; `expected_size`, when given, must match what was written.
  template <class T>
  requires std::is_trivially_copyable_v<T>
  void vector(std::vector<T>& v, std::int64_t expected_size = -1) {
    const auto n = value<std::uint64_t>();
    if (expected_size >= 0 && n != static_cast<std::uint64_t>(expected_size))
      throw std::runtime_error("checkpoint: array of " + std::to_string(n) +
                               " elements where the network has " + std::to_string(expected_size));
    if (n > (std::uint64_t{1} << 40) / sizeof(T))
      throw std::runtime_error("checkpoint: corrupt array length");
    v.resize(n);
    if (n) in_.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(sizeof(T) * n));
    check();
  }

  // A string of at most `max_bytes` (a longer one is taken for corruption).
  std::string string(std::uint64_t max_bytes = std::uint64_t{1} << 20) {
    const auto n = value<std::uint64_t>();
    if (n > max_bytes) throw std::runtime_error("checkpoint: corrupt string length");
    std::string s(n, '\0');
    in_.read(s.data(), static_cast<std::streamsize>(n));
    check();
    return s;
  }

 private:
  void check() {
    if (!in_) throw std::runtime_error("checkpoint: truncated or unreadable");
  }
  std::istream& in_;
};

}  // namespace bgsim
