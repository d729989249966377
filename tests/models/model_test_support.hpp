#pragma once
// Helpers for the model tests: build a one-population network on the real
// Simulator, feed it from devices or a spike_source, read state and spikes
// back through recorders and a MemorySink; check refusals of bad parameters.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "core/projection.hpp"
#include "core/recorder.hpp"
#include "core/registry.hpp"
#include "core/simulator.hpp"

namespace bgsim::test {

// A simulator with a sink, and shorthands for the pieces a model test needs.
struct Bench {
  explicit Bench(double dt_ms, std::uint64_t seed = 1)
      : sim({.dt_ms = dt_ms, .seed = seed, .threads = 1}) {
    sim.set_sink(&sink);
  }

  Step steps(double ms) const { return sim.resolution().duration_steps(ms); }

  std::uint32_t population(const std::string& model, const std::string& name, std::size_t size,
                           const ParamMap& params = {}, const std::string& preset = "") {
    return sim.add_population(make_population(model, name, size, params, preset));
  }

  // A registered device (dc_current, noise_current, poisson_input) on the
  // named receptor of population `pop`.
  void device(const std::string& model, const std::string& name, std::uint32_t pop,
              const std::string& receptor, const ParamMap& params) {
    const int channel = sim.population(pop).receptor_index(receptor);
    if (channel < 0) throw std::invalid_argument("no receptor " + receptor);
    sim.add_device(DeviceModels::instance().find(model)->create(
        name, pop, static_cast<std::uint32_t>(channel), params));
  }

  // One spike_source neuron spiking at `times_ms`, connected one-to-all onto
  // `receptor` of `pop` with `weight` and a delay of `delay_steps`.
  void spikes_into(std::uint32_t pop, const std::string& receptor, std::vector<double> times_ms,
                   double weight, Step delay_steps) {
    const std::uint32_t src = sim.add_population(
        make_population("spike_source", "src" + std::to_string(sources_++), 1,
                        {{"spike_times_ms", std::vector<std::vector<double>>{times_ms}}}));
    ConnectionList c;
    for (std::uint32_t t = 0; t < sim.population(pop).size(); ++t)
      c.add(0, t, weight, delay_steps);
    sim.add_projection(std::make_unique<StaticProjection>(
        "proj" + std::to_string(sources_), src, pop,
        static_cast<std::uint32_t>(sim.population(pop).receptor_index(receptor)), 1, std::move(c)));
  }

  void record(const std::string& name, std::uint32_t pop, const std::string& var, Step start,
              Step interval = 1, std::vector<std::uint32_t> subset = {}) {
    sim.add_state_recorder(
        std::make_unique<StateRecorder>(name, pop, var, std::move(subset), interval), start);
  }
  void record_spikes(const std::string& name, std::uint32_t pop) {
    sim.add_spike_recorder(
        std::make_unique<SpikeRecorder>(name, pop, std::vector<std::uint32_t>{}));
  }

  void run(Step n) {
    sim.run(n);
    sim.flush_recorders();
  }

  const MemorySink::Samples& samples(const std::string& name) { return sink.samples_of(name); }
  // The sampled values of neuron column `col` (one per sample).
  std::vector<double> trace(const std::string& name, std::size_t col = 0) {
    const auto& s = sink.samples_of(name);
    std::vector<double> out;
    for (std::size_t r = 0; r < s.steps.size(); ++r)
      out.push_back(s.values[r * s.width + col]);
    return out;
  }
  // The step stamps of the spikes of local neuron `local` (all when < 0).
  std::vector<Step> stamps(const std::string& name, std::uint32_t pop, long local = -1) {
    std::vector<Step> out;
    const std::uint32_t off = sim.population(pop).gid_offset();
    for (const SpikeEvent& e : sink.spikes_of(name))
      if (local < 0 || e.gid - off == static_cast<std::uint32_t>(local)) out.push_back(e.step);
    return out;
  }

  MemorySink sink;
  Simulator sim;
  int sources_ = 0;
};

// The message of the ParamErrors that building `model` with `params` raises,
// or "" if it is accepted.
inline std::string refusal(const std::string& model, const ParamMap& params,
                           const std::string& preset = "") {
  try {
    make_population(model, "p", 1, params, preset);
  } catch (const ParamErrors& e) {
    return e.what();
  }
  return "";
}

// Building `model` with `params` throws ParamErrors whose message holds every
// one of `parts` (the parameter's name, its unit, a hint).
inline void expect_refused(const std::string& model, const ParamMap& params,
                           std::initializer_list<std::string> parts) {
  EXPECT_THROW(make_population(model, "p", 1, params), ParamErrors);
  const std::string msg = refusal(model, params);
  for (const std::string& part : parts)
    EXPECT_NE(msg.find(part), std::string::npos)
        << "message \"" << msg << "\" lacks \"" << part << "\"";
}

// A number in scientific notation, for RecordProperty and messages.
inline std::string sci(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3e", x);
  return buf;
}

inline double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double m = 0.0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

}  // namespace bgsim::test
