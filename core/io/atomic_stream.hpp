#pragma once
// A std::ostream that writes an AtomicFile: for writers that speak streams
// (a checkpoint: Simulator::save) into a file that appears whole or not at all.
//
//   io::AtomicOstream out(folder.path("checkpoint.bgsim"));
//   sim.save(out);
//   out.commit();  // fsync, then the rename: the old file until this returns

#include <array>
#include <filesystem>
#include <ostream>
#include <streambuf>

#include "core/io/atomic_file.hpp"

namespace bgsim::io {

class AtomicOstream : public std::ostream {
 public:
  explicit AtomicOstream(std::filesystem::path path)
      : std::ostream(nullptr), buf_(std::move(path)) {
    rdbuf(&buf_);
  }
  // Writes what is buffered and gives the file its name (AtomicFile::commit).
  // A write that failed before (a full disk) makes it throw with the reason.
  void commit() {
    buf_.pubsync();
    buf_.file.commit();
  }

 private:
  struct Buffer : std::streambuf {
    explicit Buffer(std::filesystem::path path) : file(std::move(path)) {
      setp(bytes.data(), bytes.data() + bytes.size());
    }
    int_type overflow(int_type c) override {
      if (sync() != 0) return traits_type::eof();
      if (!traits_type::eq_int_type(c, traits_type::eof())) {
        *pptr() = traits_type::to_char_type(c);
        pbump(1);
      }
      return traits_type::not_eof(c);
    }
    int sync() override {
      try {
        file.write(std::string_view(pbase(), static_cast<std::size_t>(pptr() - pbase())));
      } catch (...) {
        return -1;  // the stream's badbit; commit() then throws the reason
      }
      setp(bytes.data(), bytes.data() + bytes.size());
      return 0;
    }
    AtomicFile file;
    std::array<char, 1 << 16> bytes{};
  };
  Buffer buf_;
};

}  // namespace bgsim::io
