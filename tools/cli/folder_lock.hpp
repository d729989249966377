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
#include <stdexcept>
#include <string>

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

}  // namespace bgsim::cli
