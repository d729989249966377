#pragma once
// poisson_source — a population of independent Poisson spike generators.
//
// In the update of step n, neuron i emits k ~ Poisson(rate · dt) spikes, all
// stamped n + 1 (several spikes in one step are delivered as several spikes,
// like NEST's multiplicity). The count is drawn from the stream
// (seed, source_spikes, gid, n), so the trains do not depend on threads.
//
// The rate may change over time: `rate_times_ms` and `rate_values_Hz` give a
// step function (the rate becomes rate_values_Hz[j] at rate_times_ms[j],
// rounded to the nearest step), and a task may set it through an event with
// code 0 and the new rate in Hz as value.

#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "core/poisson_table.hpp"
#include "core/population.hpp"

namespace bgsim::models {

class PoissonSource final : public Population {
 public:
  struct Params {
    double rate_Hz = 10.0;               // rate from the start [Hz]
    std::vector<double> rate_times_ms;   // times of rate changes [ms], increasing
    std::vector<double> rate_values_Hz;  // rates from those times on [Hz]
  };
  static constexpr std::string_view model_name = "poisson_source";
  static constexpr int set_rate = 0;  // event code: value = new rate [Hz]
  static const ParamTable<Params>& param_table();

  PoissonSource(std::string name, std::size_t size, Params params);

  std::string_view model() const override { return model_name; }
  std::span<const Receptor> receptors() const override { return {}; }
  std::vector<StateVarInfo> state_vars() const override { return {}; }
  std::vector<ParamInfo> param_infos() const override { return param_table().infos(); }
  ParamMap params() const override { return param_table().to_map(params_); }
  double rate_Hz() const { return rate_Hz_; }

  void prepare(const PrepareContext& ctx) override;
  void update(const UpdateContext& ctx, std::size_t begin, std::size_t end) override;
  double* state(std::string_view) override { return nullptr; }
  void handle(const Event& e) override;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;
  void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const override;

 private:
  Params params_;
  double rate_Hz_;
  void set_mean(double mean_per_step) {
    mean_per_step_ = mean_per_step;
    table_ = PoissonTable(mean_per_step);
  }

  double dt_ms_ = 0.1;
  double mean_per_step_ = 0.0;
  PoissonTable table_;  // of mean_per_step_
};

}  // namespace bgsim::models
