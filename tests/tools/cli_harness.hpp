#pragma once
// Running the bgsim command line from a test as a user would: a child process
// with its own stdout and stderr files, optionally a file-size limit (a full
// disk) and an alarm (a hang fails the test instead of the suite), and a
// scratch folder per test.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace bgsim::test_support {

namespace fs = std::filesystem;
inline const fs::path bgsim_binary = fs::path(BGSIM_BINARY_DIR) / "tools" / "bgsim";
inline const fs::path source_dir = BGSIM_SOURCE_DIR;

struct CliResult {
  int status = -1;  // exit code, or 128 + signal
  std::string out, err;
  double seconds = 0.0;  // wall time from start() to finish()
};

struct CliLimits {
  rlim_t file_size_bytes = RLIM_INFINITY;  // ulimit -f
  unsigned alarm_s = 0;                    // SIGALRM after this many seconds (0: none)
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fixture with a scratch folder `dir` named after the test.
class CliTest : public ::testing::Test {
 protected:
  fs::path dir =
      fs::temp_directory_path() / ("bgsim_cli_" + std::to_string(::getpid()) + "_" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }

  // Starts bgsim with `args`; stdout and stderr go to files in `dir`.
  pid_t start(const std::vector<std::string>& args, CliLimits limits = {}) {
    started_ = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const rlimit limit{limits.file_size_bytes, limits.file_size_bytes};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(125);
      const std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
      if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr))
        _exit(126);
      if (limits.alarm_s) ::alarm(limits.alarm_s);
      std::vector<char*> argv{const_cast<char*>(bgsim_binary.c_str())};
      for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(bgsim_binary.c_str(), argv.data());
      _exit(127);
    }
    return pid;
  }

  CliResult finish(pid_t pid) {
    int wstatus = 0;
    ::waitpid(pid, &wstatus, 0);
    CliResult r;
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    r.out = slurp(dir / "stdout");
    r.err = slurp(dir / "stderr");
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    return r;
  }

  CliResult run(const std::vector<std::string>& args, CliLimits limits = {}) {
    return finish(start(args, limits));
  }

  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  }

 private:
  std::chrono::steady_clock::time_point started_;
};

// Waits until a run is under way (its manifest exists), and `more` after that.
inline void wait_until_running(const fs::path& out,
                               std::chrono::milliseconds more = std::chrono::milliseconds(1500)) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(out / "manifest.json") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(more);
}

}  // namespace bgsim::test_support
