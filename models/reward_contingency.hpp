#pragma once
// reward_contingency — dopamine pulses contingent on a pairing of two neurons:
// the reward schedule of Izhikevich's (2007) distal reward experiment.
//
// Whenever the post neuron fires within `window_ms` after the pre neuron
// (0 <= t_post − t_pre < window_ms, t_pre the pre neuron's latest spike, stamps
// in ms; a spike of both in one step counts, as in the published code), a
// pulse of `amount` is added to a dopamine volume after a delay drawn
// uniformly from [delay_min_ms, delay_max_ms) — 1–3 s in the paper, so that
// many other pairings happen between the one that earned the reward and the
// reward itself. The pre and post neurons are those of one chosen synapse.
//
// The delay is drawn from the stream (seed, task, id, step of the post spike),
// so the schedule does not depend on the thread count or on how a run is
// split; pulses are ordinary events of the volume and travel in checkpoints.
//
// | parameter     | unit | default | meaning                                     |
// |---------------|------|---------|---------------------------------------------|
// | window_ms     | ms   | 20      | the post spike follows the pre within this  |
// | delay_min_ms  | ms   | 1000    | shortest delay of the reward                |
// | delay_max_ms  | ms   | 3000    | longest delay of the reward (exclusive)     |
// | amount        | 1    | 0.5     | added to the dopamine level per reward      |
//
// Reference: Izhikevich EM (2007) Solving the distal reward problem through
// linkage of STDP and dopamine signaling. Cereb Cortex 17:2443–2452.

#include <cstdint>
#include <string>
#include <vector>

#include "core/observer.hpp"
#include "core/parameters.hpp"

namespace bgsim::models {

class PairContingency final : public SpikeObserver {
 public:
  struct Params {
    double window_ms = 20.0;       // post within this after pre [ms]
    double delay_min_ms = 1000.0;  // reward delay, lower end [ms]
    double delay_max_ms = 3000.0;  // reward delay, upper end (exclusive) [ms]
    double amount = 0.5;           // pulse added to the dopamine level [1]
  };
  static constexpr std::string_view model_name = "pair_contingency";
  static const ParamTable<Params>& param_table();

  struct Pair {
    std::uint32_t population;  // index
    std::uint32_t neuron;      // local index
  };
  // `id` keys the stream of reward delays (distinct per observer).
  PairContingency(std::string name, const Params& params, Pair pre, Pair post, std::uint32_t volume,
                  std::uint64_t id);

  const Params& params() const { return params_; }
  Pair pre() const { return pre_; }
  Pair post() const { return post_; }
  // Steps of the post spikes that earned a reward, and of the pulses.
  const std::vector<Step>& pairings() const { return pairings_; }
  const std::vector<Step>& rewards() const { return rewards_; }

  void prepare(const ObserverContext& ctx) override;
  void observe(std::span<const std::vector<SpikeEvent>> spikes, Step from, Step to) override;
  std::vector<std::pair<std::string, double>> summary() const override;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

 private:
  Params params_;
  Pair pre_, post_;
  std::uint32_t volume_;
  std::uint64_t id_;
  ObserverContext ctx_;
  Step window_ = 0;
  std::uint32_t pre_gid_ = 0, post_gid_ = 0;
  Step last_pre_ = -1;  // stamp of the pre neuron's latest spike; -1: none yet
  std::vector<Step> pairings_, rewards_;
};

}  // namespace bgsim::models
