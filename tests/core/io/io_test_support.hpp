#pragma once
// Helpers shared by the results-file tests: scratch folders, reading files
// back, and running Debian's Python (NumPy, pandas, matplotlib) on them.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace bgsim::io::test {

// A fresh folder under the system's temporary directory, removed with its
// contents at the end of the test. Unique per process and per instance, since
// ctest runs tests in parallel processes.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        "bgsim-io-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    if (info) name += std::string("-") + info->name();
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

  // Names of the entries of a folder (hidden ones included), sorted.
  static std::vector<std::string> list(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  std::vector<std::string> list() const { return list(path_); }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_text(const std::filesystem::path& p, std::string_view text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// The message of the exception of type E that `f` throws; the test fails
// (through EXPECT_THROW) if it throws nothing or something else.
template <class E, class F>
std::string message_of(F&& f) {
  std::string message = "(no exception)";
  EXPECT_THROW(
      {
        try {
          f();
        } catch (const E& e) {
          message = e.what();
          throw;
        }
      },
      E);
  return message;
}

inline ::testing::AssertionResult contains(const std::string& text, std::string_view needle) {
  if (text.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "\"" << text << "\" does not contain \"" << needle << "\"";
}

// A path as one word for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  q += '\'';
  return q;
}

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline CommandResult run_command(const std::string& command) {
  CommandResult r;
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
    r.output.append(buf, n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The interpreter the tests and the plotting tool use: Debian's, with
// Debian's python3-numpy, python3-pandas and python3-matplotlib.
inline constexpr const char* python = "/usr/bin/python3";

inline ::testing::AssertionResult python_stack_available() {
  if (!std::filesystem::exists(python))
    return ::testing::AssertionFailure()
           << python << " not found: install python3 with python3-numpy, python3-pandas and "
           << "python3-matplotlib (bash tools/setup.sh)";
  const auto r = run_command(std::string(python) + " -c 'import numpy, pandas, matplotlib'");
  if (r.exit_code != 0)
    return ::testing::AssertionFailure()
           << python << " cannot import numpy, pandas and matplotlib, which these tests need to "
           << "load results as users do; install python3-numpy python3-pandas "
           << "python3-matplotlib (bash tools/setup.sh). Python said:\n"
           << r.output;
  return ::testing::AssertionSuccess();
}

// Runs a Python script (written into `dir`) with the given arguments.
inline CommandResult run_python(const std::filesystem::path& dir, std::string_view script,
                                const std::vector<std::string>& args) {
  const auto file = dir / "check.py";
  write_text(file, script);
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on " " + std::string.
  std::string command = python;
  command += ' ';
  command += shell_quote(file.string());
  for (const auto& a : args) {
    command += ' ';
    command += shell_quote(a);
  }
  return run_command(command);
}

}  // namespace bgsim::io::test
