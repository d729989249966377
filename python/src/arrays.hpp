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

// The records of <rec>_spikes.npy: time_ms float64 then neuron uint32,
// packed (12 bytes), in the machine's byte order (the file's, <f8 and <u4,
// on every machine bgsim runs on). A copy: the recording keeps its columns
// apart, the file's records interleave them.
inline pybind11::array spike_array(const Recordings::Spikes& s) {
  namespace py = pybind11;
  py::list names, formats, offsets;
  names.append("time_ms");
  names.append("neuron");
  formats.append(py::dtype::of<double>());
  formats.append(py::dtype::of<std::uint32_t>());
  offsets.append(0);
  offsets.append(8);
  const py::dtype dtype(names, formats, offsets, 12);
  py::array a(dtype, std::vector<py::ssize_t>{static_cast<py::ssize_t>(s.time_ms.size())});
  auto* out = static_cast<unsigned char*>(a.mutable_data());
  for (std::size_t i = 0; i < s.time_ms.size(); ++i, out += 12) {
    std::memcpy(out, &s.time_ms[i], 8);
    std::memcpy(out + 8, &s.neuron[i], 4);
  }
  return a;
}

}  // namespace bgsim::python
