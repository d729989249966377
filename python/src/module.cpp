// bgsim._core: the compiled half of `import bgsim` (pybind11). It holds what
// must be C++ — reading descriptions, building and running networks, handing
// recordings to NumPy (without copies: arrays.hpp), experiments, tasks and
// agents (experiments.cpp), the model catalogue — and leaves the shape of
// the Python API (errors, dicts, dataclasses) to bgsim/__init__.py.
//
// Threads and the GIL: a run releases the GIL, so other Python threads go on
// while the kernel runs; a network refuses every call while one of its runs
// goes on in another thread (its recordings grow meanwhile).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <optional>

#include "core/guards.hpp"
#include "networks/builder.hpp"
#include "python/src/arrays.hpp"
#include "python/src/network.hpp"
#include "python/src/reading.hpp"
#include "python/src/sigint.hpp"

namespace py = pybind11;

namespace bgsim::python {

void bind_catalogue(py::module_& m);    // catalogue.cpp
void bind_experiments(py::module_& m);  // experiments.cpp

namespace {

py::list problem_list(const std::vector<networks::Diagnostic>& items) {
  py::list out;
  for (const auto& d : items)
    out.append(py::make_tuple(d.file, d.pointer, d.message, d.str()));
  return out;
}

// A network and whether one of its runs is going on (in another thread: the
// run released the GIL).
struct Handle {
  explicit Handle(Network n) : net(std::move(n)) {}
  Network net;
  std::atomic<bool> busy{false};

  Network& idle() {
    if (busy.load())
      throw std::runtime_error("the network is running in another thread; wait for its run to end");
    return net;
  }
};

// Marks a handle busy for the length of a call that releases the GIL.
class Busy {
 public:
  explicit Busy(Handle& h) : h_(h) {
    if (h_.busy.exchange(true))
      throw std::runtime_error("the network is running in another thread; wait for its run to end");
  }
  ~Busy() { h_.busy.store(false); }
  Busy(const Busy&) = delete;
  Busy& operator=(const Busy&) = delete;

 private:
  Handle& h_;
};

template <class T>
py::array_t<T> array_1d(const std::vector<T>& v) {
  py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
  if (!v.empty()) std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(T));
  return a;
}

// A projection's synapses now (saved_connections): the records a "connections" recorder writes
// (source uint32, target uint32, weight float64, delay_ms float64; 24 bytes),
// which "rule": "explicit" reads back.
py::array connection_array(const ConnectionList& c, const Resolution& res) {
  py::list names, formats, offsets;
  for (const char* n : {"source", "target", "weight", "delay_ms"})
    names.append(n);
  formats.append(py::dtype::of<std::uint32_t>());
  formats.append(py::dtype::of<std::uint32_t>());
  formats.append(py::dtype::of<double>());
  formats.append(py::dtype::of<double>());
  for (int o : {0, 4, 8, 16})
    offsets.append(o);
  const py::dtype dtype(names, formats, offsets, 24);
  py::array a(dtype, std::vector<py::ssize_t>{static_cast<py::ssize_t>(c.size())});
  auto* out = static_cast<unsigned char*>(a.mutable_data());
  for (std::size_t k = 0; k < c.size(); ++k, out += 24) {
    const double w = c.weight[k], d = res.stamp_ms(c.delay[k]);
    std::memcpy(out, &c.source[k], 4);
    std::memcpy(out + 4, &c.target[k], 4);
    std::memcpy(out + 8, &w, 8);
    std::memcpy(out + 16, &d, 8);
  }
  return a;
}

// The recorder `name` of type `type`, built first; KeyError if none.
const RecorderInfo& find_recorder(Network& net, const std::string& name, const std::string& type) {
  net.build();
  try {
    return net.recorder(name, type);
  } catch (const std::out_of_range& e) {
    throw py::key_error(e.what());
  }
}

py::dict recorder_dict(const RecorderInfo& r) {
  py::dict d;
  d["name"] = r.name;
  d["type"] = r.type;
  d["source"] = r.source;
  d["variable"] = r.variable;
  d["unit"] = r.unit;
  d["interval_ms"] = r.interval_ms;
  d["neurons"] = array_1d(r.neurons);
  d["sources"] = array_1d(r.sources);
  d["targets"] = array_1d(r.targets);
  return d;
}

double run(Handle& h, std::optional<double> ms, bool take_sigint) {
  Busy busy(h);
  Network& net = h.net;
  const Step steps = ms ? net.steps_in(*ms) : net.steps_left();
  SigintStops sigint(take_sigint);
  {
    py::gil_scoped_release nogil;
    net.run(steps, sigint.flag());  // a throw comes back with the GIL held
  }
  sigint.restore();
  if (sigint.received()) {
    PyErr_SetInterrupt();
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }
  return net.now_ms();
}

}  // namespace

}  // namespace bgsim::python

using namespace bgsim;
using namespace bgsim::python;

PYBIND11_MODULE(_core, m) {
  m.doc() = "The compiled part of bgsim: use the package bgsim, not this module.";
  m.attr("version") = BGSIM_VERSION;
  py::register_exception<GuardViolation>(m, "GuardViolation", PyExc_RuntimeError);

  py::class_<Reading>(m, "Reading")
      .def_static(
          "from_file",
          [](const std::string& path, const std::string& label,
             const std::optional<std::string>& base, const std::vector<std::string>& sets) {
            return read_file(path, label,
                             base ? std::optional<std::filesystem::path>(*base) : std::nullopt,
                             sets);
          },
          py::arg("path"), py::arg("label") = "", py::arg("base") = py::none(),
          py::arg("sets") = std::vector<std::string>{}, py::call_guard<py::gil_scoped_release>())
      .def_static(
          "from_text",
          [](const std::string& text, const std::string& label, const std::string& base,
             const std::vector<std::string>& sets) { return read_text(text, label, base, sets); },
          py::arg("text"), py::arg("label"), py::arg("base"),
          py::arg("sets") = std::vector<std::string>{}, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("problems",
                             [](const Reading& r) { return problem_list(r.diag.items()); })
      .def_property_readonly("warnings",
                             [](const Reading& r) { return problem_list(r.diag.warnings()); })
      .def_property_readonly("text", &problems_text)
      .def_property_readonly("label", [](const Reading& r) { return r.label; })
      .def_property_readonly("is_experiment", [](const Reading& r) { return r.is_experiment; })
      .def_property_readonly("document", [](const Reading& r) { return r.loaded.document.dump(); });

  py::class_<Handle>(m, "Network")
      .def(py::init([](const Reading& r) {
             if (!r.spec) throw std::invalid_argument("not a network read without problems");
             return std::make_unique<Handle>(Network(*r.spec, r.loaded.document));
           }),
           py::arg("reading"))
      .def_property(
          "seed", [](Handle& h) { return h.idle().seed(); },
          [](Handle& h, std::uint64_t seed) { h.idle().set_seed(seed); })
      .def_property(
          "threads", [](Handle& h) { return h.idle().threads(); },
          [](Handle& h, int threads) { h.idle().set_threads(threads); })
      .def_property_readonly("built", [](Handle& h) { return h.idle().built(); })
      .def("build",
           [](Handle& h) {
             Busy busy(h);
             py::gil_scoped_release nogil;
             h.net.build();
           })
      .def("reset", [](Handle& h) { h.idle().reset(); })
      .def("run", &run, py::arg("ms"), py::arg("take_sigint"))
      .def_property_readonly("time_ms", [](Handle& h) { return h.idle().now_ms(); })
      .def_property_readonly("resolution_ms",
                             [](Handle& h) { return h.idle().spec().resolution_ms; })
      .def_property_readonly("duration_ms", [](Handle& h) { return h.idle().spec().duration_ms; })
      .def_property_readonly("document", [](Handle& h) { return h.idle().document().dump(); })
      .def_property_readonly("resolved", [](Handle& h) { return h.idle().resolved().dump(); })
      .def_property_readonly("populations",
                             [](Handle& h) {
                               py::list out;
                               for (const auto& p : h.idle().spec().populations)
                                 out.append(py::make_tuple(p.name, p.model, p.size));
                               return out;
                             })
      .def_property_readonly("recorder_types",
                             [](Handle& h) {
                               py::list out;
                               for (const auto& r : h.idle().spec().recorders)
                                 out.append(py::make_tuple(r.name, r.type));
                               return out;
                             })
      .def("recorder",
           [](Handle& h, const std::string& name, const std::string& type) {
             return recorder_dict(find_recorder(h.idle(), name, type));
           })
      .def("spikes",
           [](Handle& h, const std::string& name) {
             Network& net = h.idle();
             find_recorder(net, name, "spikes");
             return spike_array(net.recordings().spikes_of(name));
           })
      .def("connections",
           [](Handle& h, const std::string& projection) {
             Network& net = h.idle();
             Simulator& sim = net.simulator();
             if (!net.spec().projection(projection))
               throw py::key_error("no projection named \"" + projection + "\"");
             return connection_array(networks::saved_connections(sim, net.spec(), projection),
                                     sim.resolution());
           })
      .def("samples",
           [](Handle& h, const std::string& name, const std::string& type) {
             Network& net = h.idle();
             find_recorder(net, name, type);
             return sample_arrays(net.recordings().samples_of(name));
           })
      .def_property_readonly("counters",
                             [](Handle& h) {
                               Network& net = h.idle();
                               py::dict d;
                               const RunCounters c =
                                   net.built() ? net.simulator().counters() : RunCounters{};
                               d["spikes"] = c.spikes;
                               d["synaptic_events"] = c.synaptic_events;
                               d["events"] = c.events;
                               if (net.built()) {
                                 d["neurons"] = net.simulator().num_neurons();
                                 d["synapses"] = net.simulator().num_synapses();
                               }
                               return d;
                             })
      .def("tables", [](Handle& h) {
        Network& net = h.idle();
        py::list out;
        if (!net.built()) return out;
        Simulator& sim = net.simulator();
        for (std::uint32_t i = 0; i < sim.num_observers(); ++i)
          for (const ResultTable& t : sim.observer(i).tables())
            out.append(py::make_tuple(t.name, t.columns, t.rows));
        return out;
      });

  bind_catalogue(m);
  bind_experiments(m);
}
