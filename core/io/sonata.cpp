#include "core/io/sonata.hpp"

#include <cstdint>
#include <fstream>
#include <set>
#include <stdexcept>

#include "core/io/atomic_file.hpp"
#include "core/io/npy.hpp"

#ifdef BGSIM_HAVE_HDF5
#include <hdf5.h>
#endif

namespace bgsim::io {

#ifndef BGSIM_HAVE_HDF5

bool sonata_supported() {
  return false;
}

std::string sonata_unsupported_reason() {
  return "this bgsim was built without HDF5, so it cannot write SONATA files (install "
         "Debian's libhdf5-dev, e.g. with tools/setup.sh, and configure the build again)";
}

void write_sonata_spikes(const std::filesystem::path&, const std::vector<SonataSpikeSource>&) {
  throw std::runtime_error(sonata_unsupported_reason());
}

#else

bool sonata_supported() {
  return true;
}
std::string sonata_unsupported_reason() {
  return {};
}

namespace {

// An HDF5 handle closed by its destructor; a negative id is an error.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t), const std::string& what) : id_(id), close_(close) {
    if (id_ < 0) throw std::runtime_error("HDF5: cannot " + what);
  }
  ~Handle() { close_(id_); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  operator hid_t() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

void check(herr_t status, const std::string& what) {
  if (status < 0) throw std::runtime_error("HDF5: cannot " + what);
}

void scalar_attribute(hid_t object, const char* name, hid_t type, const void* value) {
  Handle space(H5Screate(H5S_SCALAR), H5Sclose, "make a scalar space");
  Handle attr(H5Acreate2(object, name, type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              std::string("create attribute ") + name);
  check(H5Awrite(attr, type, value), std::string("write attribute ") + name);
}

// A variable-length UTF-8 string, as h5py writes str attributes.
void string_attribute(hid_t object, const char* name, const std::string& value) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose, "copy a string type");
  check(H5Tset_size(type, H5T_VARIABLE), "size a string type");
  check(H5Tset_cset(type, H5T_CSET_UTF8), "set a string type's character set");
  const char* text = value.c_str();
  scalar_attribute(object, name, type, &text);
}

// SONATA's sorting enum (uint8): none = 0, by_id = 1, by_time = 2.
void sorting_attribute(hid_t group) {
  Handle type(H5Tenum_create(H5T_NATIVE_UINT8), H5Tclose, "create the sorting enum");
  const std::uint8_t values[3] = {0, 1, 2};
  check(H5Tenum_insert(type, "none", &values[0]), "name an enum value");
  check(H5Tenum_insert(type, "by_id", &values[1]), "name an enum value");
  check(H5Tenum_insert(type, "by_time", &values[2]), "name an enum value");
  scalar_attribute(group, "sorting", type, &values[2]);
}

// A 1-D dataset of `rows` items, chunked (and so extendible by a reader's
// tools, and written block by block without holding the whole array).
hid_t create_vector(hid_t group, const char* name, hid_t file_type, hsize_t rows) {
  const hsize_t dims[1] = {rows};
  const hsize_t max_dims[1] = {H5S_UNLIMITED};
  Handle space(H5Screate_simple(1, dims, max_dims), H5Sclose, "make a dataspace");
  Handle plist(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "make a dataset property list");
  const hsize_t chunk[1] = {1 << 16};
  check(H5Pset_chunk(plist, 1, chunk), "set the chunk size");
  return H5Dcreate2(group, name, file_type, space, H5P_DEFAULT, plist, H5P_DEFAULT);
}

void write_block(hid_t dataset, hid_t memory_type, hsize_t offset, hsize_t count, const void* data,
                 const std::string& what) {
  Handle file_space(H5Dget_space(dataset), H5Sclose, "get a dataspace");
  const hsize_t start[1] = {offset}, n[1] = {count};
  check(H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, n, nullptr),
        "select rows of " + what);
  Handle memory_space(H5Screate_simple(1, n, nullptr), H5Sclose, "make a dataspace");
  check(H5Dwrite(dataset, memory_type, memory_space, file_space, H5P_DEFAULT, data),
        "write " + what);
}

void write_population(hid_t spikes, const SonataSpikeSource& source) {
  const NpyHeader header = read_npy_header(source.spikes_npy);
  const std::string file = source.spikes_npy.filename().string();
  if (header.shape.size() != 1 || !header.dtype.is_record() ||
      header.dtype.field("time_ms").type != npy_type<double>() ||
      header.dtype.field("neuron").type != npy_type<std::uint32_t>())
    throw std::runtime_error(file + " is not a spike file (records time_ms <f8, neuron <u4)");
  const hsize_t rows = header.shape[0];
  Handle group(H5Gcreate2(spikes, source.population.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
               H5Gclose, "create group /spikes/" + source.population);
  sorting_attribute(group);
  Handle times(create_vector(group, "timestamps", H5T_IEEE_F64LE, rows), H5Dclose,
               "create /spikes/" + source.population + "/timestamps");
  string_attribute(times, "units", "ms");
  Handle ids(create_vector(group, "node_ids", H5T_STD_U64LE, rows), H5Dclose,
             "create /spikes/" + source.population + "/node_ids");

  std::ifstream in(source.spikes_npy, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(header.data_offset));
  const std::size_t record = header.dtype.item_size();
  const std::size_t t_at = header.dtype.offset_of("time_ms");
  const std::size_t n_at = header.dtype.offset_of("neuron");
  constexpr hsize_t block_rows = 1 << 16;  // 64 Ki spikes: 768 KiB read, 1 MiB written
  std::vector<std::byte> bytes(block_rows * record);
  std::vector<double> t(block_rows);
  std::vector<std::uint64_t> n(block_rows);
  for (hsize_t done = 0; done < rows;) {
    const hsize_t count = std::min(block_rows, rows - done);
    if (!in.read(reinterpret_cast<char*>(bytes.data()),
                 static_cast<std::streamsize>(count * record)))
      throw std::runtime_error("cannot read " + file + " (shorter than its header says)");
    for (hsize_t i = 0; i < count; ++i) {
      t[i] = load_le<double>(bytes.data() + i * record + t_at);
      n[i] = load_le<std::uint32_t>(bytes.data() + i * record + n_at);
    }
    write_block(times, H5T_NATIVE_DOUBLE, done, count, t.data(), "timestamps");
    write_block(ids, H5T_NATIVE_UINT64, done, count, n.data(), "node_ids");
    done += count;
  }
}

}  // namespace

void write_sonata_spikes(const std::filesystem::path& file,
                         const std::vector<SonataSpikeSource>& sources) {
  std::set<std::string> seen;
  for (const auto& s : sources)
    if (!seen.insert(s.population).second)
      throw std::invalid_argument("SONATA spikes: population " + s.population + " given twice");
  // HDF5 writes the temporary file AtomicFile created (truncating it, same
  // inode); commit() then syncs it and gives it its name, so a kill leaves
  // no half-written spikes.h5.
  AtomicFile target(file);
  try {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are thrown, not printed
    Handle h5(H5Fcreate(target.temp_path().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
              H5Fclose, "create " + file.filename().string());
    const std::uint32_t magic = 0x0A7A;
    scalar_attribute(h5, "magic", H5T_NATIVE_UINT32, &magic);
    {
      const std::uint32_t version[2] = {0, 1};
      const hsize_t two[1] = {2};
      Handle space(H5Screate_simple(1, two, nullptr), H5Sclose, "make a dataspace");
      Handle attr(H5Acreate2(h5, "version", H5T_STD_U32LE, space, H5P_DEFAULT, H5P_DEFAULT),
                  H5Aclose, "create attribute version");
      check(H5Awrite(attr, H5T_NATIVE_UINT32, version), "write attribute version");
    }
    Handle spikes(H5Gcreate2(h5, "spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
                  "create group /spikes");
    for (const auto& s : sources)
      write_population(spikes, s);
    check(H5Fflush(h5, H5F_SCOPE_GLOBAL), "flush " + file.filename().string());
  } catch (const std::exception& e) {
    throw std::runtime_error("writing " + file.filename().string() + ": " + e.what());
  }
  target.commit();
}

#endif

}  // namespace bgsim::io
