#include "core/io/npy.hpp"

#include <fstream>
#include <limits>
#include <memory>
#include <optional>
#include <utility>

#include "core/printable.hpp"

namespace bgsim::io {
namespace {

constexpr char magic[] = "\x93NUMPY";
constexpr std::size_t magic_size = 6;
// NumPy >= 1.x aligns the data to 64 bytes (numpy.lib.format.ARRAY_ALIGN).
constexpr std::size_t header_align = 64;

bool is_supported_type(std::string_view type) {
  static constexpr std::string_view types[] = {"|b1", "|i1", "|u1", "<i2", "<u2", "<i4",
                                               "<u4", "<i8", "<u8", "<f4", "<f8"};
  for (auto t : types)
    if (type == t) return true;
  return false;
}

// Field names end up inside a Python string literal in the header; keeping
// them to printable ASCII without quotes or backslashes needs no escaping.
void check_field_name(const std::string& name) {
  if (name.empty()) throw std::invalid_argument("npy: a record field needs a name");
  for (unsigned char c : name)
    if (c < 0x20 || c > 0x7e || c == '\'' || c == '\\')
      throw std::invalid_argument("npy: field name " + quote(name) +
                                  " must be printable ASCII without quotes or backslashes");
}

std::string shape_text(std::uint64_t first, const std::vector<std::size_t>& rest) {
  std::string s(1, '(');  // appended, not "(" + …: GCC 12 warns falsely (-Wrestrict)
  s += std::to_string(first);
  if (rest.empty()) return s + ",)";
  for (auto n : rest)
    s += ", " + std::to_string(n);
  return s + ")";
}

// The header's dict, keys in sorted order, each followed by ", ", as
// numpy.lib.format writes them.
std::string header_dict_text(const NpyDtype& dtype, const std::vector<std::size_t>& row_shape,
                             std::uint64_t rows) {
  return "{'descr': " + dtype.descr() +
         ", 'fortran_order': False, 'shape': " + shape_text(rows, row_shape) + ", }";
}

// ---- A reader of the Python literals NumPy writes in a header -------------
// Dicts, lists, tuples, strings, integers and True/False/None: enough for
// every header NumPy writes, and nothing is evaluated.

struct PyValue {
  enum class Kind { none, boolean, integer, string, list, tuple, dict } kind = Kind::none;
  bool boolean = false;
  std::uint64_t integer = 0;
  std::string string;
  std::vector<PyValue> items;     // list, tuple; dict: the values
  std::vector<std::string> keys;  // dict: keys[i] names items[i] (a pair of an incomplete type
                                  // would not build with clang)
};

class PyLiteralParser {
 public:
  PyLiteralParser(std::string_view text, const std::filesystem::path& file)
      : text_(text), file_(file) {}

  PyValue parse() {
    PyValue v = value();
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the header dict");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error(file_.string() + ": not a supported .npy header (" + what +
                             " at character " + std::to_string(pos_) + ")");
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\t' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool eat_word(std::string_view w) {
    skip_space();
    if (text_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  PyValue value() {
    skip_space();
    if (pos_ >= text_.size()) fail("unexpected end");
    const char c = text_[pos_];
    PyValue v;
    if (c == '\'' || c == '"') {
      v.kind = PyValue::Kind::string;
      v.string = string();
    } else if (c >= '0' && c <= '9') {
      v.kind = PyValue::Kind::integer;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        const std::uint64_t digit = static_cast<std::uint64_t>(text_[pos_++] - '0');
        if (v.integer > (std::numeric_limits<std::uint64_t>::max() - digit) / 10)
          fail("integer too large");
        v.integer = v.integer * 10 + digit;
      }
      if (pos_ < text_.size() && text_[pos_] == 'L') ++pos_;  // Python 2 long
    } else if (eat_word("True")) {
      v.kind = PyValue::Kind::boolean;
      v.boolean = true;
    } else if (eat_word("False")) {
      v.kind = PyValue::Kind::boolean;
    } else if (eat_word("None")) {
      v.kind = PyValue::Kind::none;
    } else if (c == '[' || c == '(') {
      v.kind = c == '[' ? PyValue::Kind::list : PyValue::Kind::tuple;
      const char close = c == '[' ? ']' : ')';
      ++pos_;
      while (!eat(close)) {
        v.items.push_back(value());
        if (!eat(',')) {
          if (!eat(close)) fail(std::string("expected ',' or '") + close + "'");
          break;
        }
      }
    } else if (c == '{') {
      v.kind = PyValue::Kind::dict;
      ++pos_;
      while (!eat('}')) {
        skip_space();
        if (pos_ >= text_.size() || (text_[pos_] != '\'' && text_[pos_] != '"'))
          fail("expected a string key");
        std::string key = string();
        if (!eat(':')) fail("expected ':'");
        v.keys.push_back(std::move(key));
        v.items.push_back(value());
        if (!eat(',')) {
          if (!eat('}')) fail("expected ',' or '}'");
          break;
        }
      }
    } else {
      fail(std::string("unexpected character '") + c + "'");
    }
    return v;
  }

  std::string string() {
    const char quote = text_[pos_++];
    std::string s;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\') {
        if (++pos_ >= text_.size()) break;
      }
      s += text_[pos_++];
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return s;
  }

  std::string_view text_;
  const std::filesystem::path& file_;
  std::size_t pos_ = 0;
};

const PyValue* find_key(const PyValue& dict, std::string_view key) {
  for (std::size_t i = 0; i < dict.keys.size(); ++i)
    if (dict.keys[i] == key) return &dict.items[i];
  return nullptr;
}

NpyDtype parse_descr(const PyValue& d, const std::filesystem::path& file) {
  auto unsupported = [&](const std::string& what) -> std::runtime_error {
    return std::runtime_error(file.string() + ": unsupported .npy dtype: " + what +
                              " (supported: little-endian bool, integers, float32/64, and "
                              "packed records of them)");
  };
  auto check_type = [&](const std::string& t) {
    if (!is_supported_type(t)) throw unsupported("'" + t + "'");
  };
  if (d.kind == PyValue::Kind::string) {
    check_type(d.string);
    return NpyDtype::plain(d.string);
  }
  if (d.kind != PyValue::Kind::list || d.items.empty()) throw unsupported("malformed 'descr'");
  std::vector<NpyField> fields;
  for (const auto& f : d.items) {
    if (f.kind != PyValue::Kind::tuple || f.items.size() < 2 ||
        f.items[0].kind != PyValue::Kind::string || f.items[1].kind != PyValue::Kind::string)
      throw unsupported("a field that is not a (name, type) pair");
    if (f.items.size() > 2) throw unsupported("sub-array field '" + f.items[0].string + "'");
    if (f.items[0].string.empty())
      throw unsupported("an unnamed (padding) field: only packed records are supported");
    check_type(f.items[1].string);
    fields.push_back({f.items[0].string, f.items[1].string});
  }
  return NpyDtype::record(std::move(fields));
}

}  // namespace

std::size_t npy_type_size(std::string_view type) {
  if (!is_supported_type(type))
    throw std::invalid_argument("npy: unsupported type string '" + std::string(type) + "'");
  return static_cast<std::size_t>(type[2] - '0');
}

NpyDtype NpyDtype::plain(std::string type) {
  npy_type_size(type);  // validates
  return NpyDtype{std::move(type), {}};
}

NpyDtype NpyDtype::record(std::vector<NpyField> fields) {
  if (fields.empty()) throw std::invalid_argument("npy: a record needs at least one field");
  for (std::size_t i = 0; i < fields.size(); ++i) {
    check_field_name(fields[i].name);
    npy_type_size(fields[i].type);
    for (std::size_t j = 0; j < i; ++j)
      if (fields[j].name == fields[i].name)
        throw std::invalid_argument("npy: field name " + quote(fields[i].name) + " repeated");
  }
  return NpyDtype{"", std::move(fields)};
}

std::size_t NpyDtype::item_size() const {
  if (!is_record()) return npy_type_size(type);
  std::size_t n = 0;
  for (const auto& f : fields)
    n += npy_type_size(f.type);
  return n;
}

const NpyField& NpyDtype::field(std::string_view name) const {
  for (const auto& f : fields)
    if (f.name == name) return f;
  throw std::invalid_argument("npy: no field '" + std::string(name) + "' in " + descr());
}

std::size_t NpyDtype::offset_of(std::string_view name) const {
  std::size_t offset = 0;
  for (const auto& f : fields) {
    if (f.name == name) return offset;
    offset += npy_type_size(f.type);
  }
  throw std::invalid_argument("npy: no field '" + std::string(name) + "' in " + descr());
}

std::string NpyDtype::descr() const {
  if (!is_record()) return "'" + type + "'";
  std::string s = "[";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) s += ", ";
    s += "('" + fields[i].name + "', '" + fields[i].type + "')";
  }
  return s + "]";
}

// ---- Writer ----------------------------------------------------------------

NpyWriter::NpyWriter(std::filesystem::path path, NpyDtype dtype, std::vector<std::size_t> row_shape)
    : NpyWriter(AtomicFile(std::move(path)), std::move(dtype), std::move(row_shape), 0) {
  // A valid (empty) array from the start: an unfinished temporary is still
  // readable for inspection.
  const std::string h = header(0);
  file_.write(h);
}

NpyWriter::NpyWriter(AtomicFile file, NpyDtype dtype, std::vector<std::size_t> row_shape,
                     std::uint64_t rows)
    : file_(std::move(file)),
      dtype_(std::move(dtype)),
      row_shape_(std::move(row_shape)),
      row_bytes_(row_size(dtype_, row_shape_)),
      header_bytes_(header_size(dtype_, row_shape_)),
      rows_(rows) {
  if (header_bytes_ - magic_size - 4 > std::numeric_limits<std::uint16_t>::max())
    throw std::invalid_argument("cannot write " + file_.path().string() +
                                ": header too long for .npy format 1.0 (too many fields)");
}

std::size_t NpyWriter::row_size(const NpyDtype& dtype, const std::vector<std::size_t>& row_shape) {
  std::size_t bytes = dtype.item_size();
  for (auto n : row_shape)
    bytes *= n;
  return bytes;
}

std::size_t NpyWriter::header_size(const NpyDtype& dtype,
                                   const std::vector<std::size_t>& row_shape) {
  // Sized for the longest row count a uint64 can hold, so close() can always
  // rewrite the header in place.
  const std::size_t longest =
      magic_size + 4 + header_dict_text(dtype, row_shape, ~std::uint64_t{0}).size() + 1;
  return (longest + header_align - 1) / header_align * header_align;
}

std::uint64_t NpyWriter::resumable(const std::filesystem::path& path,
                                   const std::filesystem::path& temp_path, const NpyDtype& dtype,
                                   const std::vector<std::size_t>& row_shape, std::uint64_t rows) {
  const std::string name = path.filename().string();
  const std::filesystem::path found = AtomicFile::resumable(path, temp_path, 0);
  const NpyHeader h = read_npy_header(found);
  std::vector<std::size_t> expected{0}, held = h.shape;
  expected.insert(expected.end(), row_shape.begin(), row_shape.end());
  if (!held.empty()) held[0] = 0;
  const std::size_t header_bytes = header_size(dtype, row_shape);
  if (h.dtype != dtype || held != expected || h.data_offset != header_bytes)
    throw std::runtime_error(
        "cannot resume writing " + name + ": " + found.filename().string() + " holds an array of " +
        h.dtype.descr() + " of shape " +
        shape_text(h.shape.empty() ? 0 : h.shape[0],
                   {h.shape.begin() + (h.shape.empty() ? 0 : 1), h.shape.end()}) +
        ", not the one this run writes");
  const std::size_t row_bytes = std::max<std::size_t>(row_size(dtype, row_shape), 1);
  if (rows > (std::numeric_limits<std::uint64_t>::max() - header_bytes) / row_bytes)
    throw std::runtime_error("cannot resume writing " + name + ": a corrupt row count");
  const std::uint64_t length = header_bytes + rows * row_size(dtype, row_shape);
  AtomicFile::resumable(path, temp_path, length);
  return length;
}

NpyWriter NpyWriter::resume(std::filesystem::path path, std::filesystem::path temp_path,
                            NpyDtype dtype, std::vector<std::size_t> row_shape,
                            std::uint64_t rows) {
  const std::uint64_t length = resumable(path, temp_path, dtype, row_shape, rows);
  return NpyWriter(AtomicFile::resume(std::move(path), std::move(temp_path), length),
                   std::move(dtype), std::move(row_shape), rows);
}

NpyWriter NpyWriter::records(std::filesystem::path path, std::vector<NpyField> fields) {
  return NpyWriter(std::move(path), NpyDtype::record(std::move(fields)));
}

NpyWriter NpyWriter::matrix(std::filesystem::path path, std::size_t columns) {
  return NpyWriter(std::move(path), NpyDtype::of<double>(), {columns});
}

std::string NpyWriter::header_dict(std::uint64_t rows) const {
  return header_dict_text(dtype_, row_shape_, rows);
}

std::string NpyWriter::header(std::uint64_t rows) const {
  std::string h(magic, magic_size);
  h += '\x01';
  h += '\x00';
  const auto len = static_cast<std::uint16_t>(header_bytes_ - magic_size - 4);
  h += static_cast<char>(len & 0xff);
  h += static_cast<char>(len >> 8);
  h += header_dict(rows);
  h.resize(header_bytes_ - 1, ' ');
  h += '\n';
  return h;
}

void NpyWriter::check_plain(std::string_view type) const {
  if (dtype_.is_record() || dtype_.type != type)
    throw std::invalid_argument("cannot write " + path().string() + ": array of " + dtype_.descr() +
                                " given values of type '" + std::string(type) + "'");
}

void NpyWriter::append_bytes(std::span<const std::byte> bytes) {
  if (row_bytes_ == 0) {
    if (!bytes.empty())
      throw std::invalid_argument("cannot write " + path().string() +
                                  ": rows of zero columns hold no bytes");
    return;
  }
  if (bytes.size() % row_bytes_ != 0)
    throw std::invalid_argument(
        "cannot write " + path().string() + ": " + std::to_string(bytes.size()) +
        " bytes is not a whole number of rows of " + std::to_string(row_bytes_) + " bytes");
  file_.write(bytes);
  rows_ += bytes.size() / row_bytes_;
}

void NpyWriter::sync() {
  file_.flush();  // the rows before the header that counts them
  const std::string h = header(rows_);
  file_.write_at(0, std::as_bytes(std::span<const char>(h.data(), h.size())));
  file_.flush();
}

void NpyWriter::close() {
  const std::string h = header(rows_);
  file_.write_at(0, std::as_bytes(std::span<const char>(h.data(), h.size())));
  file_.commit();
}

// ---- Reader ----------------------------------------------------------------

std::size_t NpyArray::size() const {
  std::size_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

namespace {

NpyHeader parse_header(std::istream& in, const std::filesystem::path& path) {
  auto bad = [&](const std::string& what) {
    return std::runtime_error(path.string() + ": not a .npy file (" + what + ")");
  };
  char lead[magic_size + 2];
  if (!in.read(lead, sizeof lead)) throw bad("shorter than the magic string");
  if (std::string_view(lead, magic_size) != std::string_view(magic, magic_size))
    throw bad("wrong magic string");
  NpyHeader h;
  h.major = static_cast<unsigned char>(lead[6]);
  h.minor = static_cast<unsigned char>(lead[7]);
  std::size_t header_len = 0;
  if (h.major == 1) {
    unsigned char b[2];
    if (!in.read(reinterpret_cast<char*>(b), 2)) throw bad("truncated header length");
    header_len = b[0] | (std::size_t{b[1]} << 8);
    h.data_offset = magic_size + 4 + header_len;
  } else if (h.major == 2 || h.major == 3) {
    unsigned char b[4];
    if (!in.read(reinterpret_cast<char*>(b), 4)) throw bad("truncated header length");
    header_len =
        b[0] | (std::size_t{b[1]} << 8) | (std::size_t{b[2]} << 16) | (std::size_t{b[3]} << 24);
    h.data_offset = magic_size + 6 + header_len;
  } else {
    throw std::runtime_error(path.string() + ": unsupported .npy format version " +
                             std::to_string(h.major) + "." + std::to_string(h.minor));
  }
  std::string text(header_len, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(header_len)))
    throw bad("header shorter than its stated length");
  const PyValue dict = PyLiteralParser(text, path).parse();
  if (dict.kind != PyValue::Kind::dict) throw bad("header is not a dict");
  const PyValue* descr = find_key(dict, "descr");
  const PyValue* fortran = find_key(dict, "fortran_order");
  const PyValue* shape = find_key(dict, "shape");
  if (!descr || !fortran || !shape)
    throw bad("header lacks one of 'descr', 'fortran_order', 'shape'");
  h.dtype = parse_descr(*descr, path);
  if (fortran->kind != PyValue::Kind::boolean) throw bad("'fortran_order' is not a boolean");
  if (shape->kind != PyValue::Kind::tuple) throw bad("'shape' is not a tuple");
  for (const auto& d : shape->items) {
    if (d.kind != PyValue::Kind::integer) throw bad("'shape' holds a non-integer");
    h.shape.push_back(static_cast<std::size_t>(d.integer));
  }
  // A 1-D or 0-D array is the same in either order; beyond that, refuse
  // rather than silently transpose.
  if (fortran->boolean && h.shape.size() > 1)
    throw std::runtime_error(path.string() + ": Fortran-order arrays are not supported");
  return h;
}

}  // namespace

NpyHeader read_npy_header(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string() + ": no such file or no access");
  return parse_header(in, path);
}

NpyArray read_npy(const std::filesystem::path& path, NpyTrailingBytes trailing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string() + ": no such file or no access");
  NpyHeader h = parse_header(in, path);
  NpyArray a{std::move(h.dtype), std::move(h.shape), {}};
  const std::size_t bytes = a.size() * a.dtype.item_size();
  a.data.resize(bytes);
  if (bytes &&
      !in.read(reinterpret_cast<char*>(a.data.data()), static_cast<std::streamsize>(bytes)))
    throw std::runtime_error(path.string() + ": truncated .npy file: the header promises " +
                             std::to_string(bytes) + " bytes of data");
  // Trailing bytes would mean the header's shape does not describe the file.
  if (trailing == NpyTrailingBytes::refuse && in.peek() != std::char_traits<char>::eof())
    throw std::runtime_error(path.string() + ": .npy file longer than its header's shape says");
  return a;
}

}  // namespace bgsim::io
