#include "models/group_stimulus.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "core/random.hpp"
#include "core/registry.hpp"
#include "core/simulator.hpp"

namespace bgsim::models {

namespace {

bool whole(double x) {
  return std::floor(x) == x;
}

// Onset draws, group membership and the first interval use three streams.
constexpr std::uint64_t onset_stream = 0, group_stream = 1, first_stream = 2;

enum EventCode : std::int32_t { onset_event = 0 };

}  // namespace

const ParamTable<GroupStimulus::Params>& GroupStimulus::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"groups", "1", Constraint::positive, "number of groups (a whole number)"}, &P::groups},
          {{"group_size", "1", Constraint::positive,
            "distinct neurons per group, drawn from all targets together (a whole number)"},
           &P::group_size},
          {{"amplitude", "pA", Constraint::finite,
            "added to the channel of each neuron of the group, in the channel's unit (mV/ms for "
            "izhikevich)"},
           &P::amplitude},
          {{"pulse_ms", "ms", Constraint::positive,
            "how long the current is on, from the onset (at least one step)"},
           &P::pulse_ms},
          {{"interval_min_ms", "ms", Constraint::positive,
            "shortest time from one onset to the next"},
           &P::interval_min_ms},
          {{"interval_max_ms", "ms", Constraint::positive,
            "longest time from one onset to the next (exclusive)"},
           &P::interval_max_ms},
          {{"rewarded_groups", "1", Constraint::list,
            "groups followed by a dopamine pulse (indices from 0; 0 is the paper's S1)"},
           &P::rewarded_groups},
          {{"reward_delay_min_ms", "ms", Constraint::nonnegative,
            "shortest delay from a rewarded onset to its dopamine pulse"},
           &P::reward_delay_min_ms},
          {{"reward_delay_max_ms", "ms", Constraint::nonnegative,
            "longest delay from a rewarded onset to its dopamine pulse (exclusive)"},
           &P::reward_delay_max_ms},
          {{"reward_amount", "1", Constraint::finite, "added to the dopamine level per reward"},
           &P::reward_amount},
          {{"response_start_ms", "ms", Constraint::nonnegative,
            "start of the window, from the onset, in which the response is counted"},
           &P::response_start_ms},
          {{"response_stop_ms", "ms", Constraint::positive, "end of that window (exclusive)"},
           &P::response_stop_ms},
          {{"start_ms", "ms", Constraint::nonnegative,
            "the first stimulus comes one interval after this"},
           &P::start_ms},
          {{"stop_ms", "ms", Constraint::nonnegative_or_infinite,
            "no stimulus starts at or after this; open by default"},
           &P::stop_ms},
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (!whole(p.groups)) errors.push_back({"groups", "must be a whole number"});
        if (!whole(p.group_size)) errors.push_back({"group_size", "must be a whole number"});
        if (p.interval_max_ms < p.interval_min_ms)
          errors.push_back({"interval_max_ms", "must not be below interval_min_ms"});
        if (p.interval_min_ms < p.pulse_ms)
          errors.push_back({"interval_min_ms",
                            "must be at least pulse_ms: a stimulus ends before the next begins"});
        if (p.reward_delay_max_ms < p.reward_delay_min_ms)
          errors.push_back({"reward_delay_max_ms", "must not be below reward_delay_min_ms"});
        if (p.response_stop_ms <= p.response_start_ms)
          errors.push_back({"response_stop_ms", "must be after response_start_ms"});
        if (p.stop_ms < p.start_ms) errors.push_back({"stop_ms", "must not precede start_ms"});
        std::vector<double> seen;
        for (double g : p.rewarded_groups) {
          if (!whole(g) || g < 0.0 || g >= p.groups) {
            errors.push_back({"rewarded_groups", "group " + std::to_string(g) +
                                                     " is not one of the groups 0 … groups - 1"});
            break;
          }
          if (std::find(seen.begin(), seen.end(), g) != seen.end()) {
            errors.push_back(
                {"rewarded_groups",
                 "group " + std::to_string(static_cast<long long>(g)) + " is listed twice"});
            break;
          }
          seen.push_back(g);
        }
      });
  return table;
}

std::vector<ParamError> GroupStimulus::check_targets(const Params& p, std::uint64_t neurons) {
  std::vector<ParamError> errors;
  if (p.group_size > static_cast<double>(neurons))
    errors.push_back({"group_size", "a group of " +
                                        std::to_string(static_cast<long long>(p.group_size)) +
                                        " distinct neurons cannot be drawn from the " +
                                        std::to_string(neurons) + " neurons of the targets"});
  return errors;
}

GroupStimulus::GroupStimulus(std::string name, const Params& params, std::vector<Target> targets,
                             std::int64_t volume, std::uint64_t key)
    : SpikeObserver(std::move(name)),
      params_(params),
      targets_(std::move(targets)),
      volume_(volume),
      key_(key) {
  std::vector<ParamError> errors;
  param_table().check(params_, errors);
  std::uint64_t neurons = 0;
  for (const Target& t : targets_)
    neurons += t.size;
  if (errors.empty()) errors = check_targets(params_, neurons);
  if (errors.empty() && volume_ < 0 && !params_.rewarded_groups.empty())
    errors.push_back({"rewarded_groups", "rewards need a dopamine volume to go to"});
  if (!errors.empty()) throw ParamErrors(model_name, std::move(errors));
  if (targets_.empty())
    throw std::invalid_argument("group stimulus " + this->name() + ": no target population");
  rewarded_.assign(static_cast<std::size_t>(params_.groups), false);
  for (double g : params_.rewarded_groups)
    rewarded_[static_cast<std::size_t>(g)] = true;
}

bool GroupStimulus::rewarded(std::uint32_t group) const {
  return group < rewarded_.size() && rewarded_[group];
}

// A whole number of steps uniform in [lo, hi) from u in (0, 1]; lo when hi <= lo.
Step GroupStimulus::draw_steps(double u, Step lo, Step hi) const {
  if (hi <= lo) return lo;
  const auto span = static_cast<double>(hi - lo);
  return lo + std::min(hi - lo - 1, static_cast<Step>((1.0 - u) * span));
}

void GroupStimulus::prepare(const ObserverContext& ctx) {
  ctx_ = ctx;
  const Resolution& r = ctx.resolution;
  if (volume_ >= static_cast<std::int64_t>(ctx.volume_handlers.size()))
    throw std::invalid_argument("group stimulus " + name() + ": unknown neuromodulator");
  pulse_ = std::max<Step>(1, r.round_to_steps(params_.pulse_ms));
  interval_min_ = std::max<Step>(1, r.round_to_steps(params_.interval_min_ms));
  interval_max_ = std::max(interval_min_, r.round_to_steps(params_.interval_max_ms));
  if (interval_min_ < pulse_)
    throw std::invalid_argument("group stimulus " + name() + ": interval_min_ms = " +
                                std::to_string(params_.interval_min_ms) + " ms is " +
                                std::to_string(interval_min_) + " steps, shorter than the pulse (" +
                                std::to_string(pulse_) + " steps)");
  delay_min_ = r.round_to_steps(params_.reward_delay_min_ms);
  delay_max_ = std::max(delay_min_, r.round_to_steps(params_.reward_delay_max_ms));
  response_start_ = r.round_to_steps(params_.response_start_ms);
  response_stop_ = std::max(response_start_ + 1, r.round_to_steps(params_.response_stop_ms));
  start_ = r.round_to_steps(params_.start_ms);
  stop_ = std::isinf(params_.stop_ms) ? Step{-1} : r.round_to_steps(params_.stop_ms);

  // Groups: a partial Fisher–Yates shuffle of all target neurons per group,
  // from the group's own stream; stored as ascending global ids.
  std::vector<std::uint32_t> all;
  for (const Target& t : targets_) {
    if (t.population >= ctx.gid_offsets.size())
      throw std::invalid_argument("group stimulus " + name() + ": unknown population");
    for (std::uint64_t i = 0; i < t.size; ++i)
      all.push_back(ctx.gid_offsets[t.population] + static_cast<std::uint32_t>(i));
  }
  const auto size = static_cast<std::size_t>(params_.group_size);
  groups_.assign(static_cast<std::size_t>(params_.groups), {});
  std::vector<std::uint32_t> pool(all.size());
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    RandomStream rng(ctx.seed, Purpose::task, key_ + group_stream, g);
    std::iota(pool.begin(), pool.end(), 0u);
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t left = pool.size() - i;
      const std::size_t j =
          i + std::min(left - 1,
                       static_cast<std::size_t>((1.0 - rng.uniform()) * static_cast<double>(left)));
      std::swap(pool[i], pool[j]);
    }
    auto& members = groups_[g];
    for (std::size_t i = 0; i < size; ++i)
      members.push_back(all[pool[i]]);
    std::sort(members.begin(), members.end());
  }

  // The first onset; a checkpoint loaded afterwards replaces the queue and
  // with it this event.
  RandomStream rng(ctx.seed, Purpose::task, key_ + first_stream, 0);
  const Step first = start_ + draw_steps(rng.uniform(), interval_min_, interval_max_);
  if (stop_ < 0 || first < stop_)
    ctx.events->schedule({.step = first, .handler = handler_, .code = onset_event});
}

void GroupStimulus::handle(const Event& e) {
  if (e.code != onset_event) return;
  const Step n = e.step;
  RandomStream rng(ctx_.seed, Purpose::task, key_ + onset_stream, static_cast<std::uint64_t>(n));
  const double u_group = rng.uniform(), u_delay = rng.uniform(), u_next = rng.uniform();
  const auto group = static_cast<std::uint32_t>(
      std::min(groups_.size() - 1,
               static_cast<std::size_t>((1.0 - u_group) * static_cast<double>(groups_.size()))));
  Stimulus s{.onset = n, .group = group};
  if (rewarded(group)) {
    s.reward = n + draw_steps(u_delay, delay_min_, delay_max_);
    ctx_.events->schedule({.step = s.reward,
                           .handler = ctx_.volume_handlers[static_cast<std::size_t>(volume_)],
                           .value = params_.reward_amount});
  }
  log_.push_back(s);
  active_onset_ = n;
  active_group_ = group;
  const Step next = n + draw_steps(u_next, interval_min_, interval_max_);
  if (stop_ < 0 || next < stop_)
    ctx_.events->schedule({.step = next, .handler = handler_, .code = onset_event});
}

// Counts the epoch's spikes (stamped in (from, to]) into every response
// window still open; a window is closed once every spike stamped before its
// end has been seen. A spike stamped at the onset step itself was emitted
// before the current came on, so a window starts one step after the onset
// at the earliest.
void GroupStimulus::observe(std::span<const std::vector<SpikeEvent>> spikes, Step, Step to) {
  for (std::size_t i = open_; i < log_.size(); ++i) {
    Stimulus& s = log_[i];
    const Step begin = s.onset + std::max<Step>(1, response_start_);
    const Step end = s.onset + response_stop_;
    const auto& members = groups_[s.group];
    for (const Target& t : targets_)
      for (const SpikeEvent& spike : spikes[t.population]) {
        if (spike.step < begin || spike.step >= end) continue;
        if (std::binary_search(members.begin(), members.end(), spike.gid))
          ++s.group_spikes;
        else
          ++s.response;
      }
  }
  while (open_ < log_.size() && log_[open_].onset + response_stop_ <= to + 1)
    ++open_;
}

std::vector<std::pair<std::string, double>> GroupStimulus::summary() const {
  // Mean responses over the last quarter of the stimuli (complete windows).
  std::size_t rewards = 0;
  for (const Stimulus& s : log_)
    rewards += s.reward >= 0;
  const std::size_t from = open_ - open_ / 4;
  double rewarded_sum = 0.0, other_sum = 0.0;
  std::size_t rewarded_n = 0, other_n = 0;
  for (std::size_t i = from; i < open_; ++i) {
    if (rewarded(log_[i].group)) {
      rewarded_sum += log_[i].response;
      ++rewarded_n;
    } else {
      other_sum += log_[i].response;
      ++other_n;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {{"stimuli", static_cast<double>(log_.size())},
          {"rewards", static_cast<double>(rewards)},
          {"groups", static_cast<double>(groups_.size())},
          {"last_quarter_mean_response_rewarded",
           rewarded_n ? rewarded_sum / static_cast<double>(rewarded_n) : nan},
          {"last_quarter_mean_response_others",
           other_n ? other_sum / static_cast<double>(other_n) : nan}};
}

std::vector<ResultTable> GroupStimulus::tables() const {
  const Resolution& r = ctx_.resolution;
  ResultTable stimuli{
      .name = name() + "_stimuli",
      .columns = {"time_ms", "group", "rewarded", "reward_time_ms", "group_spikes", "response"},
      .rows = {}};
  stimuli.rows.reserve(log_.size());
  for (const Stimulus& s : log_)
    stimuli.rows.push_back(
        {r.stamp_ms(s.onset), static_cast<double>(s.group), s.reward >= 0 ? 1.0 : 0.0,
         s.reward >= 0 ? r.stamp_ms(s.reward) : std::numeric_limits<double>::quiet_NaN(),
         static_cast<double>(s.group_spikes), static_cast<double>(s.response)});
  ResultTable groups{
      .name = name() + "_groups", .columns = {"group", "population", "neuron"}, .rows = {}};
  for (std::size_t g = 0; g < groups_.size(); ++g)
    for (std::uint32_t gid : groups_[g])
      for (const Target& t : targets_) {
        const std::uint32_t offset = ctx_.gid_offsets[t.population];
        if (gid < offset || gid - offset >= t.size) continue;
        groups.rows.push_back({static_cast<double>(g), t.name, static_cast<double>(gid - offset)});
      }
  return {std::move(stimuli), std::move(groups)};
}

void GroupStimulus::save(CheckpointWriter& w) const {
  w.section(name());
  w.value(active_onset_);
  w.value(active_group_);
  w.value(open_);
  w.vector(log_);
}

void GroupStimulus::load(CheckpointReader& r) {
  r.section(name());
  active_onset_ = r.value<Step>();
  active_group_ = r.value<std::uint32_t>();
  open_ = r.value<std::uint64_t>();
  r.vector(log_);
}

GroupStimulusInput::GroupStimulusInput(std::string name, std::uint32_t target,
                                       std::uint32_t channel, GroupStimulus::Params params,
                                       const GroupStimulus* schedule)
    : InputDevice(std::move(name), target, channel),
      params_(std::move(params)),
      schedule_(schedule) {
  std::vector<ParamError> errors;
  GroupStimulus::param_table().check(params_, errors);
  if (!errors.empty()) throw ParamErrors(GroupStimulus::model_name, std::move(errors));
}

void GroupStimulusInput::contribute(Step step, std::size_t begin, std::size_t end, double* input,
                                    std::uint32_t gid_offset) {
  if (!schedule_) return;
  const std::vector<std::uint32_t>* members = schedule_->active(step);
  if (!members) return;
  const std::uint64_t lo = std::uint64_t{gid_offset} + begin, hi = std::uint64_t{gid_offset} + end;
  for (auto it = std::lower_bound(members->begin(), members->end(), lo);
       it != members->end() && *it < hi; ++it)
    input[*it - gid_offset] += params_.amplitude;
}

GroupStimulus& attach_group_stimulus(
    Simulator& sim, const std::string& name, const GroupStimulus::Params& params,
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& targets, std::int64_t volume) {
  std::vector<GroupStimulus::Target> parts;
  for (const auto& [population, channel] : targets) {
    const Population& pop = sim.population(population);
    parts.push_back({population, pop.name(), pop.size()});
  }
  // The streams are keyed by the id the first part will get (devices are
  // numbered in order of addition).
  const std::uint64_t key = (std::uint64_t{1} << 30) + 4 * std::uint64_t{sim.num_devices()};
  auto schedule = std::make_unique<GroupStimulus>(name, params, std::move(parts), volume, key);
  GroupStimulus& s = *schedule;
  s.set_handler(sim.add_handler(&s));
  for (const auto& [population, channel] : targets)
    sim.add_device(std::make_unique<GroupStimulusInput>(
        name + ":" + sim.population(population).name(), population, channel, params, &s));
  sim.add_observer(std::move(schedule));
  return s;
}

namespace {
const bool registered = [] {
  DeviceModel m;
  m.name = std::string(GroupStimulus::model_name);
  m.doc =
      "Random groups of neurons drawn over all its target populations, stimulated one at a time "
      "in random order (a current pulse to every neuron of the group), with a dopamine pulse "
      "after the rewarded groups; logs every stimulus and the network's response (Izhikevich "
      "2007, classical conditioning).";
  m.params = GroupStimulus::param_table().infos();
  m.default_receptor = "current";
  m.create = [](const std::string& name, std::uint32_t target, std::uint32_t channel,
                const ParamMap& params) -> std::unique_ptr<InputDevice> {
    const auto p = GroupStimulus::param_table().apply(GroupStimulus::model_name,
                                                      GroupStimulus::Params{}, params);
    return std::make_unique<GroupStimulusInput>(name, target, channel, p);
  };
  m.attach = [](Simulator& sim, const DeviceAttachArgs& args) {
    const auto p = GroupStimulus::param_table().apply(GroupStimulus::model_name,
                                                      GroupStimulus::Params{}, args.params);
    attach_group_stimulus(sim, args.name, p, args.targets, args.volume);
  };
  m.sends_dopamine = true;
  m.check_targets = [](const ParamMap& params, std::uint64_t neurons) {
    try {
      const auto p = GroupStimulus::param_table().apply(GroupStimulus::model_name,
                                                        GroupStimulus::Params{}, params);
      return GroupStimulus::check_targets(p, neurons);
    } catch (const ParamErrors&) {
      return std::vector<ParamError>{};  // reported by the parameter check itself
    }
  };
  DeviceModels::instance().add(std::move(m));
  return true;
}();
}  // namespace

}  // namespace bgsim::models
