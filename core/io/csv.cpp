#include "core/io/csv.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace bgsim::io {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string s;
  s.reserve(text.size() + 2);
  s += '"';
  for (char c : text) {
    if (c == '"') s += '"';
    s += c;
  }
  s += '"';
  return s;
}

std::string csv_number(double x) {
  // to_chars would write "nan" or "-nan" depending on the sign bit; a table
  // has one spelling for not-a-number.
  if (std::isnan(x)) return "nan";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

namespace {
constexpr std::size_t block_bytes = 1 << 16;  // rows gathered before they are written
}  // namespace

CsvWriter::CsvWriter(std::filesystem::path path, std::vector<std::string> header)
    : file_(std::move(path)), header_(std::move(header)) {
  if (header_.empty())
    throw std::invalid_argument("cannot write " + file_.path().string() +
                                ": a CSV table needs at least one column");
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i].empty())
      throw std::invalid_argument("cannot write " + file_.path().string() + ": column " +
                                  std::to_string(i) + " has no name");
    if (i) line_ += ',';
    line_ += csv_field(header_[i]);
  }
  line_ += '\n';
  pending_ = line_;
}

void CsvWriter::row(std::span<const CsvCell> cells) {
  if (cells.size() != header_.size())
    throw std::invalid_argument("cannot write " + file_.path().string() + ": row " +
                                std::to_string(rows_ + 1) + " has " + std::to_string(cells.size()) +
                                " cells for " + std::to_string(header_.size()) + " columns");
  line_.clear();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) line_ += ',';
    line_ += cells[i].text();
  }
  line_ += '\n';
  pending_ += line_;
  ++rows_;
  if (pending_.size() >= block_bytes) write_pending();
}

// Written and flushed at once: the stdio buffer (1 MiB) never fills and
// never writes out a part of a row by itself.
void CsvWriter::write_pending() {
  file_.write(pending_);
  file_.flush();
  pending_.clear();
}

void CsvWriter::sync() {
  write_pending();
}

void CsvWriter::close() {
  file_.write(pending_);
  pending_.clear();
  file_.commit();
}

}  // namespace bgsim::io
