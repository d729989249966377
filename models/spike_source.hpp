#pragma once
// spike_source — neurons that spike at given times.
//
// `spike_times_ms` holds one list of times per neuron (or a single list shared
// by every neuron). A time t becomes the step stamp k = round(t / dt) (the
// rounding rule of core/time.hpp): the spike is emitted by the update of step
// k − 1 and carries the stamp k, exactly like a neuron crossing threshold then.
// So k must be at least 1: times below dt / 2 are refused. Repeated times give
// repeated spikes.

#include <cstdint>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "core/population.hpp"

namespace bgsim::models {

class SpikeSource final : public Population {
 public:
  struct Params {
    std::vector<std::vector<double>> spike_times_ms;  // per neuron (or one shared list) [ms]
  };
  static constexpr std::string_view model_name = "spike_source";
  static const ParamTable<Params>& param_table();

  SpikeSource(std::string name, std::size_t size, Params params);

  std::string_view model() const override { return model_name; }
  std::span<const Receptor> receptors() const override { return {}; }
  std::vector<StateVarInfo> state_vars() const override { return {}; }
  std::vector<ParamInfo> param_infos() const override { return param_table().infos(); }
  ParamMap params() const override { return param_table().to_map(params_); }

  void prepare(const PrepareContext& ctx) override;
  void update(const UpdateContext& ctx, std::size_t begin, std::size_t end) override;
  double* state(std::string_view) override { return nullptr; }
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;
  void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const override;

 private:
  const std::vector<Step>& stamps_of(std::size_t i) const {
    return stamps_.size() == 1 ? stamps_[0] : stamps_[i];
  }
  Params params_;
  std::vector<std::vector<Step>> stamps_;  // sorted step stamps per neuron
  std::vector<std::uint64_t> next_;        // per neuron: index of the next stamp
};

}  // namespace bgsim::models
