#include "core/neuromodulator.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace bgsim {

const ParamTable<DopamineVolume::Params>& DopamineVolume::param_table() {
  using P = Params;
  static const ParamTable<P> table({
      {{"tau_ms", "ms", Constraint::positive, "decay time constant of the level (NEST: tau_n)"},
       &P::tau_ms},
      {{"baseline", "1", Constraint::finite,
        "level the volume relaxes to without input (the initial level unless one is given)"},
       &P::baseline},
      {{"spike_increment", "1", Constraint::finite,
        "added to the level by each spike of the source (NEST: 1/tau_n)"},
       &P::spike_increment},
      {{"delay_ms", "ms", Constraint::nonnegative,
        "from a source spike's time stamp to its effect on the level"},
       &P::delay_ms},
  });
  return table;
}

DopamineVolume::DopamineVolume(std::string name, const Params& params, std::int64_t source,
                               std::optional<double> initial)
    : name_(std::move(name)), params_(params), source_(source) {
  std::vector<ParamError> errors;
  param_table().check(params_, errors);
  if (initial && !std::isfinite(*initial))
    errors.push_back({"initial", "the initial level must be finite"});
  if (!errors.empty()) throw ParamErrors(model_name, std::move(errors));
  knots_.push_back({0, initial.value_or(params_.baseline)});
}

void DopamineVolume::prepare(const Resolution& resolution, std::uint32_t handler_id) {
  resolution_ = resolution;
  delay_ = resolution.duration_steps(params_.delay_ms);
  handler_id_ = handler_id;
}

void DopamineVolume::handle(const Event& e) {
  if (!std::isfinite(e.value))
    throw std::invalid_argument("dopamine volume " + name_ + ": pulse amount is not finite");
  pending_.push_back({std::max(e.step, horizon_), 1, e.seq, e.value});
}

void DopamineVolume::take_spikes(std::span<const SpikeEvent> spikes) {
  for (const SpikeEvent& s : spikes)
    pending_.push_back({s.step + delay_, 0, s.gid, params_.spike_increment});
}

void DopamineVolume::commit(Step horizon) {
  append(horizon);
  window_open_ = false;
}

void DopamineVolume::extend(Step horizon) {
  append(horizon);
  window_open_ = true;
}

void DopamineVolume::append(Step horizon) {
  // A new window keeps the last knot: the level between the previous horizon
  // and the first new jump follows from it.
  if (!window_open_) knots_.erase(knots_.begin(), knots_.end() - 1);
  auto ready = std::partition(pending_.begin(), pending_.end(),
                              [&](const Pending& p) { return p.step < horizon; });
  std::sort(pending_.begin(), ready, [](const Pending& a, const Pending& b) {
    if (a.step != b.step) return a.step < b.step;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.order < b.order;
  });
  const double tau = params_.tau_ms, d0 = params_.baseline;
  for (auto it = pending_.begin(); it != ready;) {
    const Step step = it->step;
    const Knot& last = knots_.back();
    double level = d0 + (last.level - d0) * std::exp(-resolution_.to_ms(step - last.step) / tau);
    for (; it != ready && it->step == step; ++it)
      level += it->amount;
    knots_.push_back({step, level});
    ++committed_;
  }
  pending_.erase(pending_.begin(), ready);
  horizon_ = std::max(horizon_, horizon);
}

double DopamineVolume::level(Step step) const {
  auto it = std::upper_bound(knots_.begin(), knots_.end(), step,
                             [](Step s, const Knot& k) { return s < k.step; });
  if (it == knots_.begin())
    throw std::logic_error("dopamine volume " + name_ + ": level asked before its history");
  const Knot& k = *(it - 1);
  const double d0 = params_.baseline;
  return d0 + (k.level - d0) * std::exp(-resolution_.to_ms(step - k.step) / params_.tau_ms);
}

void DopamineVolume::save(CheckpointWriter& w) const {
  w.section(name_);
  w.value(horizon_);
  w.value(committed_);
  w.vector(knots_);
  w.vector(pending_);
}

void DopamineVolume::load(CheckpointReader& r) {
  r.section(name_);
  horizon_ = r.value<Step>();
  committed_ = r.value<std::uint64_t>();
  r.vector(knots_);
  r.vector(pending_);
  if (knots_.empty()) throw std::runtime_error("checkpoint: dopamine volume without history");
}

}  // namespace bgsim
