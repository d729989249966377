#pragma once
// uniform_current — a current drawn uniformly from [low, high) per neuron and
// per step and held over the step: the random thalamic input of Izhikevich's
// networks (13·(rand − 0.5) per neuron per ms, i.e. low = −6.5, high = 6.5 at
// dt = 1 ms, on the "current" channel in mV/ms). Like noise_current, its power
// scales with 1/dt: it reproduces the published input at the published dt.
//
// Random numbers come from streams keyed by (seed, device id, neuron gid,
// step), so the input does not depend on the thread count.
//
// Reference: Izhikevich EM (2007) Cereb Cortex 17:2443–2452 (and its code,
// dastdp.cpp).

#include <cmath>
#include <string>

#include "core/device.hpp"
#include "core/parameters.hpp"
#include "models/active_window.hpp"

namespace bgsim::models {

class UniformCurrent final : public InputDevice {
 public:
  struct Params {
    double low = -6.5;          // lower end of the current [channel unit, mV/ms for izhikevich]
    double high = 6.5;          // upper end (exclusive) [channel unit]
    double start_ms = 0.0;      // first active time [ms]
    double stop_ms = HUGE_VAL;  // end of activity, exclusive [ms]; open by default
  };
  static constexpr std::string_view model_name = "uniform_current";
  static const ParamTable<Params>& param_table();

  UniformCurrent(std::string name, std::uint32_t target, std::uint32_t channel, Params p);
  std::string_view model() const override { return model_name; }
  ParamMap params() const override { return param_table().to_map(params_); }
  void prepare(const PrepareContext& ctx) override;
  void contribute(Step step, std::size_t begin, std::size_t end, double* input,
                  std::uint32_t gid_offset) override;

 private:
  Params params_;
  ActiveWindow window_;
  std::uint64_t seed_ = 0;
};

}  // namespace bgsim::models
