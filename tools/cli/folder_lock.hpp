#pragma once
// One bgsim process per results folder: `bgsim run` and `bgsim resume` hold
// an exclusive flock(2) on the folder for as long as they write into it, so a
// resume (or an --overwrite) aimed at a run that is still going is refused
// instead of two processes writing the same files. The kernel releases the
// lock when the process ends, however it ends (SIGKILL included): a killed
// run's folder is free at once.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/io/results_folder.hpp"

namespace bgsim::cli {

class FolderLock {
 public:
  // Takes the lock on `dir` (which must exist), or throws if another process
  // holds it.
  explicit FolderLock(const std::filesystem::path& dir)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
    if (fd_ < 0) return;  // a folder that cannot be opened: its own errors follow
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw std::runtime_error("results folder " + dir.string() +
                               " is in use by another bgsim process (a run still going?); wait "
                               "for it to end or stop it first");
    }
  }
  ~FolderLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

// A results folder created (or, with `overwrite`, cleared) and locked by this
// process. An existing folder is locked first, so that an --overwrite never
// removes what a live run is writing. Throws a message, as ResultsFolder and
// FolderLock do.
class LockedFolder {
 public:
  LockedFolder(const std::filesystem::path& dir, bool overwrite) {
    if (std::filesystem::is_directory(dir)) lock_.emplace(dir);
    folder_.emplace(dir, overwrite);
    if (!lock_) lock_.emplace(dir);
  }
  io::ResultsFolder& folder() { return *folder_; }

 private:
  std::optional<FolderLock> lock_;
  std::optional<io::ResultsFolder> folder_;
};

// The folder a command writes: `out`, or results/<stem of `file`>.
std::filesystem::path output_folder(const std::string& file, const std::string& out);

// Creates and locks `dir` into `slot`; when it cannot, prints why ("bgsim:
// …") and returns nullptr.
io::ResultsFolder* open_output_folder(std::optional<LockedFolder>& slot,
                                      const std::filesystem::path& dir, bool overwrite);

}  // namespace bgsim::cli
