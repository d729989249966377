#pragma once
// CSV tables with a header row, for the small tables of a results folder.
//
// * Fields are quoted as RFC 4180 says, only where needed: a field holding a
//   comma, a double quote, CR or LF is enclosed in double quotes, and each
//   double quote inside it is doubled. Rows end with "\n" (pandas, NumPy and
//   Python's csv module all read it; RFC 4180's CRLF would only add a byte).
// * Numbers are written in the shortest form that reads back to the same
//   double (std::to_chars), so a table loses nothing against the binary data;
//   not-a-number and infinities are written nan, inf, -inf, which pandas and
//   numpy.genfromtxt read as such.
// * The file appears under its name only at close() (core/io/atomic_file.hpp).
// * Rows leave memory whole: they are gathered and written in blocks of whole
//   rows (64 KiB), and sync() writes out every row so far, so the temporary
//   file a killed run leaves ends with a whole row, never inside one (a cut
//   number would read back as another number).

#include <concepts>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/io/atomic_file.hpp"

namespace bgsim::io {

// `text` as one CSV field: unchanged, or quoted when RFC 4180 requires it.
std::string csv_field(std::string_view text);
// The shortest decimal text that reads back as exactly `x`.
std::string csv_number(double x);

// One cell of a row: text (quoted as needed) or a number.
class CsvCell {
 public:
  CsvCell(std::string_view text) : text_(csv_field(text)) {}
  CsvCell(const char* text) : text_(csv_field(text)) {}
  CsvCell(const std::string& text) : text_(csv_field(text)) {}
  CsvCell(double x) : text_(csv_number(x)) {}
  CsvCell(float x) : text_(csv_number(x)) {}
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) CsvCell(T x)
      : text_(std::to_string(x)) {}
  CsvCell(bool) = delete;  // write "true"/"false" explicitly if a table needs it

  const std::string& text() const { return text_; }  // as it goes into the file

 private:
  std::string text_;
};

class CsvWriter {
 public:
  // Writes the header row at once; every row must have as many cells.
  CsvWriter(std::filesystem::path path, std::vector<std::string> header);

  void row(std::span<const CsvCell> cells);
  void row(std::initializer_list<CsvCell> cells) {
    row(std::span<const CsvCell>(cells.begin(), cells.size()));
  }

  const std::filesystem::path& path() const { return file_.path(); }
  const std::vector<std::string>& header() const { return header_; }
  std::size_t rows() const { return rows_; }
  bool is_open() const { return file_.is_open(); }

  // Hands every row so far to the operating system (no fsync).
  void sync();
  void close();
  // The temporary file while open (what a killed run leaves).
  const std::filesystem::path& temp_path() const { return file_.temp_path(); }

 private:
  void write_pending();

  AtomicFile file_;
  std::vector<std::string> header_;
  std::size_t rows_ = 0;
  std::string line_;     // reused between rows
  std::string pending_;  // whole rows not yet handed to the file
};

}  // namespace bgsim::io
