#pragma once
// NumPy `.npy` files (format version 1.0), written incrementally and read back.
//
// The format (numpy.lib.format):
//   bytes 0-5   magic "\x93NUMPY"
//   bytes 6-7   version 1, 0
//   bytes 8-9   header length H, uint16 little-endian
//   bytes 10…   header: the text of a Python dict literal
//                 {'descr': '<f8', 'fortran_order': False, 'shape': (n, 3), }
//               padded with spaces and ended by '\n' so that 10 + H is a
//               multiple of 64 (the data then starts aligned, as NumPy writes it)
//   then        the items in C order, each in the byte order its type says.
//
// Everything here is little-endian ("<f8", "<u4"; "|u1" for single bytes),
// whatever the host, so files move between machines.
//
// Incremental writing: a long run must not hold all its spikes in memory, so
// rows are appended in blocks as recorders hand them over and only the length
// of the first axis is unknown until close(). The header is written at open
// with room for a 20-digit row count (NumPy itself leaves such room, for the
// same purpose) and rewritten in place with the current shape at every
// sync() and at close(); its length never changes. The file appears under its
// final name only at close() (see core/io/atomic_file.hpp).
//
// Streaming: sync() makes the temporary file a valid array of every row
// appended so far, in this order: the rows go to the operating system first,
// then the header with the new row count. A reader (or a run killed between
// two syncs) therefore never finds a shape that promises more rows than the
// file holds; it may find more bytes than the shape says (rows appended
// after the last sync, perhaps a part of one), which NumPy ignores.
//
// Supported subset, for writing and reading: plain arrays of bool, signed and
// unsigned integers of 1-8 bytes and float32/float64, of any dimension; and
// 1-D or N-D arrays of packed structured records whose fields are such plain
// scalars (e.g. [('time_ms', '<f8'), ('neuron', '<u4')], 12 bytes per record).
// Big-endian data, Fortran order, object arrays, nested and sub-array fields
// are refused with a message when read.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/io/atomic_file.hpp"

namespace bgsim::io {

// The NumPy type string of a C++ scalar, little-endian: npy_type<double> = "<f8".
template <class T>
constexpr std::string_view npy_type() {
  if constexpr (std::is_same_v<T, bool>)
    return "|b1";
  else if constexpr (std::is_same_v<T, double>)
    return "<f8";
  else if constexpr (std::is_same_v<T, float>)
    return "<f4";
  else if constexpr (std::is_same_v<T, std::int8_t>)
    return "|i1";
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    return "|u1";
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return "<i2";
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return "<u2";
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return "<i4";
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return "<u4";
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return "<i8";
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return "<u8";
  else
    static_assert(sizeof(T) == 0, "no .npy type for this C++ type");
}

// Bytes of one item of a supported type string; throws for any other.
std::size_t npy_type_size(std::string_view type);

// Copies a scalar into `out` little-endian (the only byte order written here).
template <class T>
void store_le(std::byte* out, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::memcpy(out, &value, sizeof(T));
  if constexpr (std::endian::native == std::endian::big && sizeof(T) > 1)
    for (std::size_t i = 0; i < sizeof(T) / 2; ++i)
      std::swap(out[i], out[sizeof(T) - 1 - i]);
}

template <class T>
T load_le(const std::byte* in) {
  static_assert(std::is_trivially_copyable_v<T>);
  std::byte tmp[sizeof(T)];
  std::memcpy(tmp, in, sizeof(T));
  if constexpr (std::endian::native == std::endian::big && sizeof(T) > 1)
    for (std::size_t i = 0; i < sizeof(T) / 2; ++i)
      std::swap(tmp[i], tmp[sizeof(T) - 1 - i]);
  T value;
  std::memcpy(&value, tmp, sizeof(T));
  return value;
}

struct NpyField {
  std::string name;
  std::string type;  // NumPy type string: "<f8", "<u4", …
  bool operator==(const NpyField&) const = default;
};

// The type of one item: a plain scalar (`fields` empty) or a packed record.
struct NpyDtype {
  std::string type;              // plain item type, when `fields` is empty
  std::vector<NpyField> fields;  // record fields in order, packed without padding

  static NpyDtype plain(std::string type);
  static NpyDtype record(std::vector<NpyField> fields);
  template <class T>
  static NpyDtype of() {
    return plain(std::string(npy_type<T>()));
  }

  bool is_record() const { return !fields.empty(); }
  std::size_t item_size() const;
  // Byte offset of a field within a record; throws if there is none of that name.
  std::size_t offset_of(std::string_view field) const;
  const NpyField& field(std::string_view name) const;
  // The header's 'descr' value as NumPy writes it: '<f8' or [('a', '<f8'), ('b', '<u4')].
  std::string descr() const;
  bool operator==(const NpyDtype&) const = default;
};

class NpyWriter {
 public:
  // A writer of an array whose first axis grows as rows are appended;
  // `row_shape` is the shape of one row: {} for a 1-D array, {columns} for 2-D.
  NpyWriter(std::filesystem::path path, NpyDtype dtype, std::vector<std::size_t> row_shape = {});

  // 1-D array of records, e.g. records(p, {{"time_ms", "<f8"}, {"neuron", "<u4"}}).
  static NpyWriter records(std::filesystem::path path, std::vector<NpyField> fields);
  // 2-D float64 array of `columns` columns, appended row by row.
  static NpyWriter matrix(std::filesystem::path path, std::size_t columns);
  // 1-D array of T.
  template <class T>
  static NpyWriter vector(std::filesystem::path path) {
    return NpyWriter(std::move(path), NpyDtype::of<T>());
  }

  // Goes on writing an array that an earlier writer left at `rows` rows (a
  // checkpoint's count; bgsim resume): its bytes under `temp_path`, or under
  // `path` if that writer had finished it (AtomicFile::resume). The file's
  // header must declare this dtype and row shape; bytes past `rows` rows are
  // cut off. resumable() checks the same without changing anything.
  static NpyWriter resume(std::filesystem::path path, std::filesystem::path temp_path,
                          NpyDtype dtype, std::vector<std::size_t> row_shape, std::uint64_t rows);
  // Returns the bytes the file will be cut to.
  static std::uint64_t resumable(const std::filesystem::path& path,
                                 const std::filesystem::path& temp_path, const NpyDtype& dtype,
                                 const std::vector<std::size_t>& row_shape, std::uint64_t rows);

  NpyWriter(NpyWriter&&) noexcept = default;
  NpyWriter& operator=(NpyWriter&&) noexcept = default;
  ~NpyWriter() = default;  // without close(): the temporary file is removed

  // Appends whole rows given as their bytes (little-endian items, records
  // packed): `bytes.size()` must be a multiple of row_bytes().
  void append_bytes(std::span<const std::byte> bytes);

  // Appends values of a plain array of T, row-major: a multiple of a row's items.
  template <class T>
  void append(std::span<const T> values) {
    check_plain(npy_type<T>());
    if constexpr (std::endian::native == std::endian::little) {
      append_bytes(std::as_bytes(values));
    } else {
      std::vector<std::byte> le(values.size_bytes());
      for (std::size_t i = 0; i < values.size(); ++i)
        store_le(le.data() + i * sizeof(T), values[i]);
      append_bytes(le);
    }
  }
  template <class T>
  void append(const std::vector<T>& values) {
    append(std::span<const T>(values));
  }

  const std::filesystem::path& path() const { return file_.path(); }
  const NpyDtype& dtype() const { return dtype_; }
  const std::vector<std::size_t>& row_shape() const { return row_shape_; }
  std::uint64_t rows() const { return rows_; }
  std::size_t row_bytes() const { return row_bytes_; }
  bool is_open() const { return file_.is_open(); }

  // Makes the temporary file (AtomicFile::temp_path) a valid .npy array of
  // every row appended so far: rows first, then the header's shape. No fsync.
  void sync();
  // The temporary file's path while open (a killed run leaves it behind).
  const std::filesystem::path& temp_path() const { return file_.temp_path(); }

  // Writes the final shape into the header and gives the file its name.
  void close();
  // Leaves the temporary file as the last sync() made it (a file that cannot
  // be closed: AtomicFile::abandon).
  void abandon() noexcept { file_.abandon(); }

 private:
  // A writer of this dtype and row shape whose file is `file`, at `rows` rows.
  NpyWriter(AtomicFile file, NpyDtype dtype, std::vector<std::size_t> row_shape,
            std::uint64_t rows);
  static std::size_t row_size(const NpyDtype& dtype, const std::vector<std::size_t>& row_shape);
  static std::size_t header_size(const NpyDtype& dtype, const std::vector<std::size_t>& row_shape);
  void check_plain(std::string_view type) const;
  std::string header_dict(std::uint64_t rows) const;
  std::string header(std::uint64_t rows) const;

  AtomicFile file_;
  NpyDtype dtype_;
  std::vector<std::size_t> row_shape_;
  std::size_t row_bytes_ = 0;
  std::size_t header_bytes_ = 0;  // magic through '\n', fixed at open
  std::uint64_t rows_ = 0;
};

// A whole array read into memory, for tests and tools that resume or inspect
// results. Items are kept as the file's little-endian bytes.
struct NpyArray {
  NpyDtype dtype;
  std::vector<std::size_t> shape;
  std::vector<std::byte> data;

  std::size_t size() const;  // number of items (product of the shape)

  // All items of a plain array of T (the type must match exactly).
  template <class T>
  std::vector<T> values() const {
    if (dtype.is_record() || dtype.type != npy_type<T>())
      throw std::invalid_argument("npy: array of " + dtype.descr() + " read as " +
                                  std::string(npy_type<T>()));
    std::vector<T> out(size());
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = load_le<T>(data.data() + i * sizeof(T));
    return out;
  }

  // One field of every record of a record array (the type must match exactly).
  template <class T>
  std::vector<T> field(std::string_view name) const {
    const NpyField& f = dtype.field(name);
    if (f.type != npy_type<T>())
      throw std::invalid_argument("npy: field '" + std::string(name) + "' of type " + f.type +
                                  " read as " + std::string(npy_type<T>()));
    const std::size_t offset = dtype.offset_of(name), stride = dtype.item_size();
    std::vector<T> out(size());
    for (std::size_t i = 0; i < out.size(); ++i)
      out[i] = load_le<T>(data.data() + i * stride + offset);
    return out;
  }
};

// What the header says, without the data.
struct NpyHeader {
  int major = 1, minor = 0;
  NpyDtype dtype;
  std::vector<std::size_t> shape;
  std::size_t data_offset = 0;  // bytes before the first item
};

// What to do with bytes after the data the header's shape describes.
enum class NpyTrailingBytes {
  refuse,  // a finished file: its header describes all of it
  ignore,  // a file still written, or left by a killed run (as NumPy reads it)
};

// Reads versions 1.0, 2.0 and 3.0 of the format within the supported subset;
// throws std::runtime_error naming the file for anything else, including a
// file shorter than its header says.
NpyHeader read_npy_header(const std::filesystem::path& path);
NpyArray read_npy(const std::filesystem::path& path,
                  NpyTrailingBytes trailing = NpyTrailingBytes::refuse);

}  // namespace bgsim::io
