#include "networks/connection_arrays.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "core/io/npy.hpp"
#include "core/parameters.hpp"
#include "core/printable.hpp"
#include "networks/json_reader.hpp"

namespace bgsim::networks {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> columns{"source", "target", "weight", "delay_ms"};

// Where a column's numbers were found, for messages: "a.npy, field weight".
struct Column {
  std::vector<double> values;
  std::string where;
};

template <class T>
double item(const std::byte* p) {
  return static_cast<double>(io::load_le<T>(p));
}

// Every item of a numeric .npy type as a double (integers above 2^53 are not
// indices or weights anyone writes).
std::optional<double (*)(const std::byte*)> reader_of(const std::string& type) {
  static const std::map<std::string, double (*)(const std::byte*)> readers{
      {"<f8", item<double>},        {"<f4", item<float>},         {"|i1", item<std::int8_t>},
      {"|u1", item<std::uint8_t>},  {"<i2", item<std::int16_t>},  {"<u2", item<std::uint16_t>},
      {"<i4", item<std::int32_t>},  {"<u4", item<std::uint32_t>}, {"<i8", item<std::int64_t>},
      {"<u8", item<std::uint64_t>}, {"|b1", item<std::uint8_t>}};
  if (auto it = readers.find(type); it != readers.end()) return it->second;
  return std::nullopt;
}

std::vector<double> npy_column(const io::NpyArray& a, const std::string& field,
                               const std::string& shown) {
  const std::string type = field.empty() ? a.dtype.type : a.dtype.field(field).type;
  const auto read = reader_of(type);
  if (!read)
    throw std::runtime_error(shown + " holds " + type +
                             " numbers; expected integers or floating point");
  const std::size_t stride = a.dtype.item_size();
  const std::size_t offset = field.empty() ? 0 : a.dtype.offset_of(field);
  std::vector<double> out(a.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = (*read)(a.data.data() + i * stride + offset);
  return out;
}

std::map<std::string, Column> read_npy_records(const fs::path& path) {
  const io::NpyArray a = io::read_npy(path);
  const std::string name = path.filename().string();
  if (!a.dtype.is_record() || a.shape.size() != 1)
    throw std::runtime_error(name +
                             " is not a 1-D record array with fields source, target[, weight]"
                             "[, delay_ms] (as a \"connections\" recorder writes)");
  std::map<std::string, Column> out;
  for (const auto& f : a.dtype.fields) {
    if (std::find(columns.begin(), columns.end(), f.name) == columns.end())
      throw std::runtime_error(name + ": unknown field " + quote(f.name) +
                               hint_for(f.name, columns) + " (fields: " + join(columns) + ")");
    out[f.name] = {npy_column(a, f.name, name + ", field " + f.name), name + ", field " + f.name};
  }
  return out;
}

std::map<std::string, Column> read_csv_table(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string name = path.filename().string();
  if (!in) throw std::runtime_error("cannot read " + quote(path.string()));
  const auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
      const auto b = cell.find_first_not_of(" \t\r");
      const auto e = cell.find_last_not_of(" \t\r");
      out.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
  };
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(name + " is empty (expected a header row)");
  const std::vector<std::string> header = cells(line);
  std::map<std::string, Column> out;
  for (const auto& h : header) {
    if (std::find(columns.begin(), columns.end(), h) == columns.end())
      throw std::runtime_error(name + ": unknown column " + quote(h) + hint_for(h, columns) +
                               " (columns: " + join(columns) + ")");
    if (out.count(h)) throw std::runtime_error(name + ": column " + quote(h) + " named twice");
    out[h].where = name + ", column " + h;
  }
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> row = cells(line);
    if (row.size() != header.size())
      throw std::runtime_error(name + ", line " + std::to_string(number) + ": " +
                               std::to_string(row.size()) + " cells; the header names " +
                               std::to_string(header.size()));
    for (std::size_t c = 0; c < row.size(); ++c) {
      char* end = nullptr;
      const double x = std::strtod(row[c].c_str(), &end);
      if (row[c].empty() || end != row[c].c_str() + row[c].size())
        throw std::runtime_error(name + ", line " + std::to_string(number) + ", column " +
                                 header[c] + ": " + quote(row[c]) + " is not a number");
      out[header[c]].values.push_back(x);
    }
  }
  return out;
}

// One member of the object form: a list of numbers or a 1-D .npy file.
std::optional<Column> read_member(const json& v, const std::string& ptr, Diagnostics& diag,
                                  const std::string& file) {
  if (v.is_array()) {
    Column c{{}, ""};
    c.values.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number()) {
        diag.error(ptr + "/" + std::to_string(i), "expected a number, got " + type_name(v[i]),
                   file);
        return std::nullopt;
      }
      c.values.push_back(v[i].get<double>());
    }
    return c;
  }
  if (v.is_string()) {
    const fs::path path = v.get<std::string>();
    try {
      const io::NpyArray a = io::read_npy(path);
      if (a.dtype.is_record() || a.shape.size() != 1)
        throw std::runtime_error(path.filename().string() + " is not a 1-D array of numbers");
      return Column{npy_column(a, "", path.filename().string()), path.filename().string()};
    } catch (const std::exception& e) {
      diag.error(ptr, printable(e.what()), file);
      return std::nullopt;
    }
  }
  diag.error(ptr, "expected a list of numbers or the path of a 1-D .npy file, got " + type_name(v),
             file);
  return std::nullopt;
}

// The first bad entry of an index column and how many are bad.
bool check_indices(const Column& c, std::uint64_t n, const std::string& role,
                   const std::string& ptr, Diagnostics& diag, const std::string& file,
                   std::vector<std::uint32_t>& out) {
  std::size_t bad = 0, first = 0;
  out.resize(c.values.size());
  for (std::size_t i = 0; i < c.values.size(); ++i) {
    const double x = c.values[i];
    if (!(x >= 0.0 && x < static_cast<double>(n) && x == std::floor(x))) {
      if (bad++ == 0) first = i;
      continue;
    }
    out[i] = static_cast<std::uint32_t>(x);
  }
  if (bad == 0) return true;
  std::ostringstream x;
  x << c.values[first];
  diag.error(ptr,
             (c.where.empty() ? "" : c.where + ": ") + role + " " + x.str() + " at position " +
                 std::to_string(first) + " is not a neuron of the " + role + " population (" +
                 (n == 0 ? std::string("it has no neurons")
                         : std::to_string(n) + " neurons: 0 to " + std::to_string(n - 1)) +
                 ")" + (bad > 1 ? "; " + std::to_string(bad) + " entries are out of range" : ""),
             file);
  return false;
}

}  // namespace

std::optional<ConnectionArrays> read_connection_arrays(const json& v, const std::string& pointer,
                                                       std::uint64_t n_source,
                                                       std::uint64_t n_target, Diagnostics& diag,
                                                       const std::string& file) {
  std::map<std::string, Column> cols;
  std::map<std::string, std::string> at;  // column -> its pointer
  if (v.is_string()) {
    const fs::path path = v.get<std::string>();
    const std::string ext = path.extension().string();
    try {
      if (ext == ".npy")
        cols = read_npy_records(path);
      else if (ext == ".csv")
        cols = read_csv_table(path);
      else
        throw std::runtime_error("expected a .npy or .csv file, got " + quote(path.string()));
    } catch (const std::exception& e) {
      diag.error(pointer, printable(e.what()), file);
      return std::nullopt;
    }
    for (const auto& c : columns)
      at[c] = pointer;
  } else if (v.is_object()) {
    ObjectReader r(v, pointer, diag, file);
    bool ok = true;
    for (const auto& c : columns) {
      at[c] = r.at(c);
      if (const json* m = r.take(c)) {
        if (auto col = read_member(*m, r.at(c), diag, file))
          cols[c] = std::move(*col);
        else
          ok = false;
      }
    }
    r.finish(columns);
    if (!ok) return std::nullopt;
  } else {
    diag.error(pointer,
               "expected the path of a .npy or .csv file, or an object of arrays {\"source\": "
               "[...], \"target\": [...], \"weight\": [...], \"delay_ms\": [...]}; got " +
                   type_name(v),
               file);
    return std::nullopt;
  }
  for (const char* c : {"source", "target"})
    if (!cols.count(c)) {
      diag.error(pointer,
                 std::string("missing \"") + c + "\" (the " + c + " neuron of each synapse)", file);
      return std::nullopt;
    }
  const std::size_t n = cols["source"].values.size();
  bool ok = true;
  for (const auto& [name, c] : cols)
    if (c.values.size() != n) {
      diag.error(at[name],
                 (c.where.empty() ? "" : c.where + ": ") + name + " has " +
                     std::to_string(c.values.size()) + " entries; source has " + std::to_string(n) +
                     " (one entry per synapse)",
                 file);
      ok = false;
    }
  if (!ok) return std::nullopt;
  ConnectionArrays out;
  out.given = v;
  ok = check_indices(cols["source"], n_source, "source", at["source"], diag, file, out.source);
  ok =
      check_indices(cols["target"], n_target, "target", at["target"], diag, file, out.target) && ok;
  for (const char* c : {"weight", "delay_ms"}) {
    auto it = cols.find(c);
    if (it == cols.end()) continue;
    for (std::size_t i = 0; i < it->second.values.size(); ++i)
      if (!std::isfinite(it->second.values[i])) {
        diag.error(at[c],
                   (it->second.where.empty() ? "" : it->second.where + ": ") + c + " at position " +
                       std::to_string(i) + " is not a finite number",
                   file);
        ok = false;
        break;
      }
    (std::string(c) == "weight" ? out.weight : out.delay_ms) = std::move(it->second.values);
  }
  if (!ok) return std::nullopt;
  return out;
}

void absolute_connection_paths(json& doc, const fs::path& directory) {
  auto projections = doc.find("projections");
  if (projections == doc.end() || !projections->is_array()) return;
  const auto absolute = [&](json& x) {
    if (x.is_string() && !x.get<std::string>().empty())
      x = (directory / x.get<std::string>()).lexically_normal().string();
  };
  for (json& p : *projections) {
    if (!p.is_object()) continue;
    auto c = p.find("connections");
    if (c == p.end()) continue;
    if (c->is_string()) absolute(*c);
    if (c->is_object())
      for (auto& [key, value] : c->items())
        absolute(value);
  }
}

}  // namespace bgsim::networks
