#include "models/reward_contingency.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/random.hpp"

namespace bgsim::models {

const ParamTable<PairContingency::Params>& PairContingency::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"window_ms", "ms", Constraint::positive,
            "the post neuron fires within this after the pre neuron"},
           &P::window_ms},
          {{"delay_min_ms", "ms", Constraint::nonnegative, "shortest delay of the reward"},
           &P::delay_min_ms},
          {{"delay_max_ms", "ms", Constraint::nonnegative,
            "longest delay of the reward (exclusive)"},
           &P::delay_max_ms},
          {{"amount", "1", Constraint::finite, "added to the dopamine level per reward"},
           &P::amount},
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (p.delay_max_ms < p.delay_min_ms)
          errors.push_back({"delay_max_ms", "must not be below delay_min_ms"});
      });
  return table;
}

PairContingency::PairContingency(std::string name, const Params& params, Pair pre, Pair post,
                                 std::uint32_t volume, std::uint64_t id)
    : SpikeObserver(std::move(name)),
      params_(params),
      pre_(pre),
      post_(post),
      volume_(volume),
      id_(id) {
  std::vector<ParamError> errors;
  param_table().check(params_, errors);
  if (!errors.empty()) throw ParamErrors(model_name, std::move(errors));
}

void PairContingency::prepare(const ObserverContext& ctx) {
  ctx_ = ctx;
  if (volume_ >= ctx.volume_handlers.size())
    throw std::invalid_argument("reward contingency " + name() + ": unknown neuromodulator");
  if (pre_.population >= ctx.gid_offsets.size() || post_.population >= ctx.gid_offsets.size())
    throw std::invalid_argument("reward contingency " + name() + ": unknown population");
  window_ = std::max<Step>(1, ctx.resolution.round_to_steps(params_.window_ms));
  pre_gid_ = ctx.gid_offsets[pre_.population] + pre_.neuron;
  post_gid_ = ctx.gid_offsets[post_.population] + post_.neuron;
}

void PairContingency::observe(std::span<const std::vector<SpikeEvent>> spikes, Step, Step to) {
  std::vector<Step> pre;
  for (const SpikeEvent& s : spikes[pre_.population])
    if (s.gid == pre_gid_) pre.push_back(s.step);
  auto next_pre = pre.begin();
  for (const SpikeEvent& s : spikes[post_.population]) {
    if (s.gid != post_gid_) continue;
    for (; next_pre != pre.end() && *next_pre <= s.step; ++next_pre)
      last_pre_ = *next_pre;
    if (last_pre_ < 0 || s.step - last_pre_ >= window_) continue;
    RandomStream rng(ctx_.seed, Purpose::task, id_, static_cast<std::uint64_t>(s.step));
    const double delay_ms = params_.delay_min_ms +
                            (params_.delay_max_ms - params_.delay_min_ms) * (1.0 - rng.uniform());
    // A pulse never lands inside the epoch already simulated.
    const Step at = std::max(to, s.step + ctx_.resolution.round_to_steps(delay_ms));
    ctx_.events->schedule(
        {.step = at, .handler = ctx_.volume_handlers[volume_], .value = params_.amount});
    pairings_.push_back(s.step);
    rewards_.push_back(at);
  }
  for (; next_pre != pre.end(); ++next_pre)
    last_pre_ = *next_pre;
}

std::vector<std::pair<std::string, double>> PairContingency::summary() const {
  return {{"rewards", static_cast<double>(rewards_.size())},
          {"pre_neuron", static_cast<double>(pre_.neuron)},
          {"post_neuron", static_cast<double>(post_.neuron)}};
}

void PairContingency::save(CheckpointWriter& w) const {
  w.section(name());
  w.value(last_pre_);
  w.vector(pairings_);
  w.vector(rewards_);
}

void PairContingency::load(CheckpointReader& r) {
  r.section(name());
  last_pre_ = r.value<Step>();
  r.vector(pairings_);
  r.vector(rewards_);
}

}  // namespace bgsim::models
