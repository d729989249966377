#pragma once
// NumPy arrays from C++ buffers, for the bindings (module.cpp,
// experiments.cpp).
//
// hand_over moves a vector into a capsule that the array owns: NumPy reads
// the vector's own memory, and the vector is freed with the last array (or
// view) that refers to it. No copy is made; the C++ side keeps nothing.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "python/src/recordings.hpp"

namespace bgsim::python {

template <class T>
pybind11::array_t<T> hand_over(std::vector<T>&& v) {
  auto* owner = new std::vector<T>(std::move(v));
  pybind11::capsule free_with_array(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return pybind11::array_t<T>(static_cast<pybind11::ssize_t>(owner->size()), owner->data(),
                              free_with_array);
}

// hand_over for a row-major matrix of `width` columns.
inline pybind11::array_t<double> hand_over_2d(std::vector<double>&& v, std::size_t width) {
  auto* owner = new std::vector<double>(std::move(v));
  pybind11::capsule free_with_array(owner,
                                    [](void* p) { delete static_cast<std::vector<double>*>(p); });
  const std::size_t rows = width ? owner->size() / width : 0;
  return pybind11::array_t<double>(
      {static_cast<pybind11::ssize_t>(rows), static_cast<pybind11::ssize_t>(width)}, owner->data(),
      free_with_array);
}

// A sealed block of a recording (recordings.hpp) as a read-only array of
// `shape` over the block's own memory; the array's capsule keeps the block.
template <class T>
pybind11::array sealed_array(typename SealedColumn<T>::Block block, const pybind11::dtype& dtype,
                             std::vector<pybind11::ssize_t> shape) {
  namespace py = pybind11;
  using Block = typename SealedColumn<T>::Block;
  auto* owner = new Block(std::move(block));
  py::capsule keep(owner, [](void* p) { delete static_cast<Block*>(p); });
  py::array a(dtype, std::move(shape), std::vector<py::ssize_t>{}, (*owner)->data(), keep);
  a.attr("setflags")(py::arg("write") = false);
  return a;
}

// The records of <rec>_spikes.npy: time_ms float64 then neuron uint32,
// packed (12 bytes), in the machine's byte order (the file's, <f8 and <u4,
// on every machine bgsim runs on).
inline pybind11::dtype spike_dtype() {
  namespace py = pybind11;
  py::list names, formats, offsets;
  names.append("time_ms");
  names.append("neuron");
  formats.append(py::dtype::of<double>());
  formats.append(py::dtype::of<std::uint32_t>());
  offsets.append(0);
  offsets.append(8);
  return py::dtype(names, formats, offsets, 12);
}

inline pybind11::array spike_array(Recordings::Spikes& s) {
  auto block = s.records.seal();
  const auto n = static_cast<pybind11::ssize_t>(block->size());
  return sealed_array<PackedSpike>(std::move(block), spike_dtype(), {n});
}

// A sampled recording: (times (samples,), values (samples × width)).
inline pybind11::tuple sample_arrays(Recordings::Samples& s) {
  namespace py = pybind11;
  auto times = s.time_ms.seal();
  auto values = s.values.seal();
  const auto rows = static_cast<py::ssize_t>(times->size());
  const auto width = static_cast<py::ssize_t>(s.width);
  const py::dtype f8 = py::dtype::of<double>();
  return py::make_tuple(sealed_array<double>(std::move(times), f8, {rows}),
                        sealed_array<double>(std::move(values), f8, {rows, width}));
}

}  // namespace bgsim::python
