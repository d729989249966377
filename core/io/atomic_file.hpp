#pragma once
// A file that appears under its final name only when it is whole.
//
// Every file of a results folder is written through an AtomicFile: the bytes go
// to a temporary file in the same folder (a hidden name, `.<name>.partial-…`,
// so that no `*.npy` or `*.csv` glob ever sees it), and commit() flushes it to
// disk and renames it onto the final name. rename(2) within one file system is
// atomic, which is why the temporary lives in the same folder and not in /tmp:
// a reader sees either no file or the whole file, never a prefix of it. An
// AtomicFile destroyed before commit() (an exception, a failed run) removes
// its temporary, so nothing half-written is left behind.
//
// A process killed outright (SIGKILL, power loss) cannot clean up: it leaves
// its `.partial-…` files, which never carry a final name, and which
// ResultsFolder removes when the folder is overwritten. What a writer handed
// to flush() before the kill is in them (the results files use this to stay
// readable while a run goes on: core/io/npy.hpp, docs/results.md).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>

namespace bgsim::io {

class AtomicFile {
 public:
  // Creates the temporary file next to `path` (whose folder must exist).
  explicit AtomicFile(std::filesystem::path path);
  // Takes up a file that an earlier writer left unfinished, to go on writing
  // it (bgsim resume): its bytes are at `temp_path` if that exists, else under
  // the final name `path` (a file an interrupted run had finished), which is
  // moved back to `temp_path` first. The file is cut to its first `length`
  // bytes (what a checkpoint counted; a killed writer may have written more)
  // and later writes continue there. Throws, changing nothing, when neither
  // file exists or the one found holds fewer than `length` bytes. A resumed
  // file holds an earlier run's data: destroyed before commit(), it is
  // closed and left where it is, never removed.
  static AtomicFile resume(std::filesystem::path path, std::filesystem::path temp_path,
                           std::uint64_t length);
  // What resume() would take up (temp_path or path), or throws why it cannot;
  // changes nothing. To check every file of a folder before touching one.
  static std::filesystem::path resumable(const std::filesystem::path& path,
                                         const std::filesystem::path& temp_path,
                                         std::uint64_t length);
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();  // without commit(): closes and removes the temporary

  const std::filesystem::path& path() const { return path_; }            // final name
  const std::filesystem::path& temp_path() const { return temp_path_; }  // while open
  bool is_open() const { return file_ != nullptr; }

  void write(std::span<const std::byte> bytes);
  void write(std::string_view text);
  // Overwrites bytes already written at `offset` (a header fixed at the end);
  // later writes continue at the end of the file. Whatever was buffered before
  // is written to the file first.
  void write_at(std::uint64_t offset, std::span<const std::byte> bytes);
  // Hands everything written so far to the operating system (no fsync): it
  // survives the death of the process, not a power cut.
  void flush();

  // Flushes, syncs to disk, closes and renames onto path(), replacing any file
  // of that name. After commit() the object holds nothing. If the data cannot
  // be written (a full disk), or an earlier write failed, throws with the
  // file still open.
  void commit();
  // Closes the temporary file without naming it and leaves it where it is,
  // holding whatever was flushed: for a file that cannot be finished (the
  // disk is full), whose flushed part stays readable. temp_path() still
  // names it.
  void abandon() noexcept;

 private:
  AtomicFile() = default;
  [[noreturn]] void fail(const std::string& what) const;
  [[noreturn]] void fail_write();  // an I/O error: the file can no longer be committed
  void discard() noexcept;

  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  std::FILE* file_ = nullptr;
  bool write_failed_ = false;
  bool keep_ = false;  // resumed: the temporary is never removed
};

// The hidden temporary-name prefix of `name`: files in a folder whose name
// starts with it are leftovers of writers that never finished.
bool is_partial_file_name(std::string_view file_name);

}  // namespace bgsim::io
