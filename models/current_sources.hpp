#pragma once
// Input devices that act on every neuron of one population, through one of its
// receptor channels, during an active window [start_ms, stop_ms):
//
// * dc_current — a constant current `amplitude` (in the unit of the channel,
//   pA for the LIF models) on the "current" channel. A task may change it with
//   an event (code 0, value = new amplitude).
// * noise_current — a current mean + std·ξ, ξ ~ N(0, 1) drawn anew per neuron
//   and per step and held over the step (NEST's noise_generator with its dt
//   equal to the resolution): the spectral power therefore scales with 1/dt.
//   ξ is the first Box–Muller deviate of the neuron's stream (`normal`
//   box_muller, the default: a logarithm, a square root and a cosine per
//   neuron and step) or its ziggurat deviate (ziggurat, core/ziggurat.hpp:
//   about an eighth of the cost; a different, equally valid realisation).
// * poisson_input — Poisson drive: per neuron and step, k ~ Poisson(rate·dt)
//   input spikes of weight `weight` arrive on the "excitatory" channel (or the
//   one named). Drawn per target neuron, never per synapse: the cheap way to
//   give each of N neurons C independent inputs of rate ν is one poisson_input
//   with rate C·ν (Brunel 2000). Each k is the inversion of one uniform (two
//   words of the neuron's stream) through the tabulated cumulative
//   distribution (core/poisson_table.hpp).
//
// A step n is active when start_ms <= n·dt < stop_ms. Random numbers come from
// streams keyed by (seed, device id, neuron gid, step).

#include <cmath>
#include <string>

#include "core/device.hpp"
#include "core/parameters.hpp"
#include "core/poisson_table.hpp"
#include "models/active_window.hpp"

namespace bgsim::models {

class DcCurrent final : public InputDevice {
 public:
  struct Params {
    double amplitude = 0.0;     // current [pA, or the channel's unit]
    double start_ms = 0.0;      // first active time [ms]
    double stop_ms = HUGE_VAL;  // end of activity, exclusive [ms]; open by default
  };
  static constexpr std::string_view model_name = "dc_current";
  static constexpr int set_amplitude = 0;
  static const ParamTable<Params>& param_table();

  DcCurrent(std::string name, std::uint32_t target, std::uint32_t channel, Params p);
  std::string_view model() const override { return model_name; }
  ParamMap params() const override { return param_table().to_map(params_); }
  void prepare(const PrepareContext& ctx) override;
  void contribute(Step step, std::size_t begin, std::size_t end, double* input,
                  std::uint32_t gid_offset) override;
  void handle(const Event& e) override;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

 private:
  Params params_;
  double amplitude_;
  ActiveWindow window_;
};

class NoiseCurrent final : public InputDevice {
 public:
  struct Params {
    double mean = 0.0;                  // mean current [pA, or the channel's unit]
    double std = 0.0;                   // standard deviation per step [pA, or the channel's unit]
    double start_ms = 0.0;              // first active time [ms]
    double stop_ms = HUGE_VAL;          // end of activity, exclusive [ms]
    std::string normal = "box_muller";  // how ξ is drawn: box_muller or ziggurat
  };
  static constexpr std::string_view model_name = "noise_current";
  static const ParamTable<Params>& param_table();

  NoiseCurrent(std::string name, std::uint32_t target, std::uint32_t channel, Params p);
  std::string_view model() const override { return model_name; }
  ParamMap params() const override { return param_table().to_map(params_); }
  void prepare(const PrepareContext& ctx) override;
  void contribute(Step step, std::size_t begin, std::size_t end, double* input,
                  std::uint32_t gid_offset) override;

 private:
  Params params_;
  ActiveWindow window_;
  std::uint64_t seed_ = 0;
  bool ziggurat_ = false;
};

class PoissonInput final : public InputDevice {
 public:
  struct Params {
    double rate_Hz = 0.0;       // total rate of input spikes per neuron [Hz]
    double weight = 0.0;        // weight of each input spike [channel unit]
    double start_ms = 0.0;      // first active time [ms]
    double stop_ms = HUGE_VAL;  // end of activity, exclusive [ms]
  };
  static constexpr std::string_view model_name = "poisson_input";
  static constexpr int set_rate = 0;
  static const ParamTable<Params>& param_table();

  PoissonInput(std::string name, std::uint32_t target, std::uint32_t channel, Params p);
  std::string_view model() const override { return model_name; }
  ParamMap params() const override { return param_table().to_map(params_); }
  void prepare(const PrepareContext& ctx) override;
  void contribute(Step step, std::size_t begin, std::size_t end, double* input,
                  std::uint32_t gid_offset) override;
  void handle(const Event& e) override;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

 private:
  void change_rate(double rate_Hz);

  Params params_;
  double rate_Hz_;
  double dt_ms_ = 0.1;
  PoissonTable table_;  // of rate_Hz_ · dt
  ActiveWindow window_;
  std::uint64_t seed_ = 0;
};

}  // namespace bgsim::models
