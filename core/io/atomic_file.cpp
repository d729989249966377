#include "core/io/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "core/printable.hpp"

namespace bgsim::io {
namespace {

constexpr std::string_view partial_marker = ".partial-";

// Temporary names are unique per process and per writer, so two writers (or
// a stale leftover of a killed run) can never share one.
std::atomic<std::uint64_t> temp_counter{0};

std::string errno_text(int err) {
  return std::error_code(err, std::generic_category()).message();
}

// Makes a completed rename durable: the new directory entry reaches the disk.
// Best effort: a file system that cannot sync a directory loses nothing else.
void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

bool is_partial_file_name(std::string_view file_name) {
  return file_name.size() > 1 && file_name.front() == '.' &&
         file_name.find(partial_marker) != std::string_view::npos;
}

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
  const std::string name = path_.filename().string();
  if (name.empty() || name == "." || name == "..")
    throw std::invalid_argument("cannot write " + path_.string() + ": not a file name");
  // O_EXCL: never adopt (or clobber) a file that already has this name; mode
  // 0666 minus the umask gives the permissions of any other output file.
  for (int attempt = 0;; ++attempt) {
    temp_path_ = path_.parent_path() /
                 ("." + name + std::string(partial_marker) + std::to_string(::getpid()) + "-" +
                  std::to_string(temp_counter.fetch_add(1)));
    const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      file_ = ::fdopen(fd, "wb");
      if (!file_) {
        const int err = errno;
        ::close(fd);
        std::filesystem::remove(temp_path_);
        throw std::runtime_error("cannot write " + path_.string() + ": " + errno_text(err));
      }
      break;
    }
    if (errno != EEXIST || attempt > 100) {
      const std::string folder =
          path_.parent_path().empty() ? std::string(".") : path_.parent_path().string();
      throw std::runtime_error("cannot write " + path_.string() +
                               ": cannot create a temporary file in " + folder + ": " +
                               errno_text(errno));
    }
  }
  // Large blocks: recorders hand over thousands of rows at a time.
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

std::filesystem::path AtomicFile::resumable(const std::filesystem::path& path,
                                            const std::filesystem::path& temp_path,
                                            std::uint64_t length) {
  namespace fs = std::filesystem;
  const auto fail_resume = [&](const std::string& what) {
    throw std::runtime_error("cannot resume writing " + path.filename().string() + ": " + what);
  };
  if (!is_partial_file_name(temp_path.filename().string()) ||
      temp_path.parent_path() != path.parent_path())
    fail_resume(printable(temp_path.filename().string()) + " is not a temporary name of it");
  std::error_code ec;
  const bool at_temp = fs::is_regular_file(temp_path, ec);
  const fs::path found = at_temp ? temp_path : path;
  if (!at_temp && !fs::is_regular_file(path, ec))
    fail_resume("the file is gone (neither " + temp_path.filename().string() + " nor " +
                path.filename().string() + " is in the folder)");
  const std::uintmax_t size = fs::file_size(found, ec);
  if (ec) fail_resume(ec.message());
  if (size < length)
    fail_resume(found.filename().string() + " holds " + std::to_string(size) +
                " bytes, fewer than the " + std::to_string(length) + " the checkpoint counted");
  return found;
}

AtomicFile AtomicFile::resume(std::filesystem::path path, std::filesystem::path temp_path,
                              std::uint64_t length) {
  const std::filesystem::path found = resumable(path, temp_path, length);
  const auto fail_resume = [&](const std::string& what) {
    throw std::runtime_error("cannot resume writing " + path.filename().string() + ": " + what);
  };
  if (found != temp_path) {
    std::error_code ec;
    std::filesystem::rename(found, temp_path, ec);
    if (ec) fail_resume("cannot move it back to its temporary name: " + ec.message());
  }
  if (::truncate(temp_path.c_str(), static_cast<off_t>(length)) != 0)
    fail_resume(errno_text(errno));
  AtomicFile f;
  f.keep_ = true;  // from here on it holds an earlier run's data: never removed
  f.path_ = std::move(path);
  f.temp_path_ = std::move(temp_path);
  const int fd = ::open(f.temp_path_.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail_resume(errno_text(errno));
  f.file_ = ::fdopen(fd, "wb");  // no O_TRUNC: the bytes stay
  if (!f.file_) {
    const int err = errno;
    ::close(fd);
    fail_resume(errno_text(err));
  }
  std::setvbuf(f.file_, nullptr, _IOFBF, 1 << 20);
  if (::fseeko(f.file_, 0, SEEK_END) != 0) fail_resume(errno_text(errno));
  return f;
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      file_(other.file_),
      write_failed_(other.write_failed_),
      keep_(other.keep_) {
  other.file_ = nullptr;
}

AtomicFile& AtomicFile::operator=(AtomicFile&& other) noexcept {
  if (this != &other) {
    discard();
    path_ = std::move(other.path_);
    temp_path_ = std::move(other.temp_path_);
    file_ = other.file_;
    write_failed_ = other.write_failed_;
    keep_ = other.keep_;
    other.file_ = nullptr;
  }
  return *this;
}

AtomicFile::~AtomicFile() {
  discard();
}

void AtomicFile::discard() noexcept {
  if (!file_) return;
  std::fclose(file_);
  file_ = nullptr;
  if (keep_) return;
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
}

void AtomicFile::fail(const std::string& what) const {
  throw std::runtime_error("cannot write " + path_.string() + ": " + what);
}

void AtomicFile::write(std::span<const std::byte> bytes) {
  if (!file_) fail("the file is already closed");
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) fail_write();
}

void AtomicFile::write(std::string_view text) {
  write(std::as_bytes(std::span<const char>(text.data(), text.size())));
}

// After a failed write, stdio has dropped what it held in its buffer, so a
// later flush succeeds with nothing to write: write_at and flush refuse, or a
// header rewritten at 0 would count rows that never reached the file
// (NpyWriter::sync and close) — the file must keep what its last good sync
// wrote.
void AtomicFile::write_at(std::uint64_t offset, std::span<const std::byte> bytes) {
  if (!file_) fail("the file is already closed");
  if (write_failed_) fail("an earlier write failed, so the file is not complete");
  if (::fseeko(file_, static_cast<off_t>(offset), SEEK_SET) != 0) fail_write();
  write(bytes);
  if (::fseeko(file_, 0, SEEK_END) != 0) fail_write();
}

void AtomicFile::abandon() noexcept {
  if (!file_) return;
  std::fclose(file_);  // may fail to write what is buffered; the flushed part stays
  file_ = nullptr;
}

void AtomicFile::flush() {
  if (!file_) fail("the file is already closed");
  if (write_failed_) fail("an earlier write failed, so the file is not complete");
  if (std::fflush(file_) != 0) fail_write();
}

void AtomicFile::fail_write() {
  write_failed_ = true;
  fail(errno_text(errno));
}

void AtomicFile::commit() {
  if (!file_) fail("the file is already closed");
  // A failed write may have lost buffered bytes in the middle: the file must
  // not carry its name as if it were whole.
  if (write_failed_) fail("an earlier write failed, so the file is not complete");
  // Data on disk before the name: after a crash the final name never points
  // at a file whose contents had not been written yet.
  if (std::fflush(file_) != 0) fail(errno_text(errno));
  if (::fsync(::fileno(file_)) != 0) fail(errno_text(errno));
  std::FILE* f = file_;
  file_ = nullptr;
  if (std::fclose(f) != 0) {
    const int err = errno;
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
    fail(errno_text(err));
  }
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(temp_path_, ignored);
    fail("cannot rename the finished file onto its name: " + ec.message());
  }
  sync_directory(path_.parent_path());
  temp_path_.clear();
}

}  // namespace bgsim::io
