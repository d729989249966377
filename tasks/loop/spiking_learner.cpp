#include "tasks/loop/spiking_learner.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "core/random.hpp"

namespace bgsim::tasks::loop {

namespace {

// Identities of the learner's random streams (Purpose::task, this id, the step).
constexpr std::uint64_t tie_break_stream = 0x4c00;
constexpr std::uint64_t noncontingent_stream = 0x4c01;

// The settable quantity as the description gives it: the target's rest.
double described_value(const ParamMap& params, std::string_view key) {
  const auto it = params.find(key);
  if (it == params.end() || !std::holds_alternative<double>(it->second))
    throw std::logic_error("closed loop: a target without its parameter " + std::string(key));
  return std::get<double>(it->second);
}

}  // namespace

std::string_view settable_parameter(std::string_view model, bool population) {
  if (population) return model == "poisson_source" ? "rate_Hz" : "";
  if (model == "poisson_input") return "rate_Hz";
  if (model == "dc_current") return "amplitude";
  return "";
}

SpikingLearner::SpikingLearner(Simulator& sim, SpikingLoopSpec spec, std::uint64_t seed)
    : sim_(sim), spec_(std::move(spec)), seed_(seed) {
  for (const EncodingRule& rule : spec_.encoding) {
    std::vector<Target> targets;
    for (const InputSpec& in : rule.inputs)
      targets.push_back(resolve_target(in.target));
    input_targets_.push_back(std::move(targets));
  }
  rule_shown_.assign(spec_.encoding.size(), false);
  for (const RewardSpec& r : spec_.reward)
    reward_targets_.push_back(
        r.kind == RewardSpec::Kind::volume
            ? RewardTarget{.volume = sim_.volume_index(r.target), .target = {}}
            : RewardTarget{.target = resolve_target(r.target)});
  if (spec_.action_copy)
    for (const std::string& name : spec_.action_copy->targets)
      copy_targets_.push_back(resolve_target(name));
  if (spec_.decoding) {
    std::vector<std::uint32_t> pops;
    for (const std::string& name : spec_.decoding->populations)
      pops.push_back(sim_.population_index(name));
    const bool first_to = spec_.decoding->rule == DecodingSpec::Rule::first_to;
    const auto index = sim_.add_observer(std::make_unique<ActivityWindow>(
        "decision_window", std::move(pops), std::vector<const DopamineVolume*>{}, first_to));
    decision_ = static_cast<ActivityWindow*>(&sim_.observer(index));
    monitor_column_ += spec_.decoding->populations.size();
  }
  if (!spec_.monitor.population.empty() || !spec_.monitor.volume.empty()) {
    std::vector<std::uint32_t> pops;
    std::vector<const DopamineVolume*> volumes;
    if (!spec_.monitor.population.empty()) {
      pops.push_back(sim_.population_index(spec_.monitor.population));
      monitor_population_size_ = static_cast<std::int64_t>(sim_.population(pops.back()).size());
    }
    if (!spec_.monitor.volume.empty())
      volumes.push_back(&sim_.volume(sim_.volume_index(spec_.monitor.volume)));
    const auto index = sim_.add_observer(
        std::make_unique<ActivityWindow>("outcome_monitor", std::move(pops), std::move(volumes)));
    monitor_ = static_cast<ActivityWindow*>(&sim_.observer(index));
  }
  measures_.assign(measure_names().size(), std::nan(""));
}

SpikingLearner::Target SpikingLearner::resolve_target(const std::string& name) const {
  for (std::uint32_t p = 0; p < sim_.num_populations(); ++p) {
    const Population& pop = sim_.population(p);
    if (pop.name() != name) continue;
    const std::string_view key = settable_parameter(pop.model(), true);
    if (key.empty())
      throw std::invalid_argument("closed loop: population " + name + " is a " +
                                  std::string(pop.model()) + ", which the loop cannot set");
    return {sim_.population_handler(p), described_value(pop.params(), key)};
  }
  for (std::uint32_t d = 0; d < sim_.num_devices(); ++d) {
    const InputDevice& dev = sim_.device(d);
    if (dev.name() != name) continue;
    const std::string_view key = settable_parameter(dev.model(), false);
    if (key.empty())
      throw std::invalid_argument("closed loop: device " + name + " is a " +
                                  std::string(dev.model()) + ", which the loop cannot set");
    return {sim_.device_handler(d), described_value(dev.params(), key)};
  }
  throw std::invalid_argument("closed loop: no population or device named " + name);
}

void SpikingLearner::set(const Target& t, Step step, double value) {
  sim_.schedule(Event{.step = step, .handler = t.handler, .code = 0, .value = value});
}

void SpikingLearner::run_to(Step step) {
  if (step <= sim_.now()) return;
  const auto t0 = std::chrono::steady_clock::now();
  sim_.run(step - sim_.now());
  kernel_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double SpikingLearner::draw(std::uint64_t purpose, const TaskStep& s) const {
  RandomStream rng(
      seed_, Purpose::task, purpose,
      static_cast<std::uint64_t>(s.trial) * 4096u + static_cast<std::uint64_t>(s.time_step & 4095));
  return rng.uniform();
}

// The observation of step `s`, at step `at`: stimulus events update the set of
// stimuli on; rules no longer shown go to rest, newly shown ones come on;
// feature rules take the state's value at every step that has one.
void SpikingLearner::show(const TaskStep& s, Step at) {
  for (const TaskEvent& e : s.events) {
    if (e.kind == EventKind::stimulus_on) stimuli_on_.insert(e.channel);
    if (e.kind == EventKind::stimulus_off) stimuli_on_.erase(e.channel);
  }
  for (std::size_t r = 0; r < spec_.encoding.size(); ++r) {
    const EncodingRule& rule = spec_.encoding[r];
    bool shown = false;
    if (rule.key == EncodingRule::Key::feature)
      shown = s.state >= 0;
    else
      for (int v : rule.values)
        shown |= rule.key == EncodingRule::Key::stimulus ? stimuli_on_.contains(v) : s.state == v;
    if (!shown) {
      if (rule_shown_[r]) hide_rule(r, at);
      continue;
    }
    if (rule_shown_[r] && rule.key != EncodingRule::Key::feature) continue;
    switch_on(r, at, rule.key == EncodingRule::Key::feature ? s.state : 0.0);
  }
}

// Every input of rule `r` takes its value (plus per_unit · feature) from
// onset_ms after `at`; a timed input's end is an event already, so it
// survives a checkpoint.
void SpikingLearner::switch_on(std::size_t r, Step at, double feature) {
  rule_shown_[r] = true;
  const Resolution& res = sim_.resolution();
  const EncodingRule& rule = spec_.encoding[r];
  for (std::size_t i = 0; i < rule.inputs.size(); ++i) {
    const InputSpec& in = rule.inputs[i];
    const Target& t = input_targets_[r][i];
    const Step on = at + res.round_to_steps(in.onset_ms);
    set(t, on, in.value + in.per_unit * feature);
    if (std::isfinite(in.duration_ms)) set(t, on + res.duration_steps(in.duration_ms), t.rest);
  }
}

// Inputs with a duration keep it; the others go to rest now.
void SpikingLearner::hide_rule(std::size_t r, Step at) {
  rule_shown_[r] = false;
  for (std::size_t i = 0; i < spec_.encoding[r].inputs.size(); ++i)
    if (!std::isfinite(spec_.encoding[r].inputs[i].duration_ms))
      set(input_targets_[r][i], at, input_targets_[r][i].rest);
}

int SpikingLearner::act(const TaskStep& now) {
  const Resolution& res = sim_.resolution();
  step_start_ = sim_.now();
  show(now, step_start_);
  const Step end = step_start_ + res.duration_steps(spec_.timing.step_ms);
  if (monitor_) monitor_->open();
  int action = 0;
  Step read_at = end;
  if (decision_) {
    const DecodingSpec& d = *spec_.decoding;
    const Step from = step_start_ + res.round_to_steps(d.window_start_ms);
    const Step to =
        std::isfinite(d.window_end_ms) ? step_start_ + res.round_to_steps(d.window_end_ms) : end;
    run_to(from);
    decision_->open();
    run_to(to);
    action = decide(now);
    read_at = to;
  }
  if (spec_.forced_action >= 0) action = spec_.forced_action;
  copy_action(action, read_at);
  run_to(end);
  // Measures of the decision period; those after the reward come in learn().
  std::fill(measures_.begin(), measures_.end(), std::nan(""));
  measures_[0] = res.to_ms(step_start_);
  if (decision_)
    for (std::size_t a = 0; a < decision_->counts().size(); ++a)
      measures_[1 + a] = static_cast<double>(decision_->counts()[a]);
  if (monitor_) {
    if (!spec_.monitor.population.empty()) measures_[monitor_column_] = rate_per_neuron();
    if (!spec_.monitor.volume.empty()) measures_[monitor_column_ + 2] = monitor_->mean_level(0);
  }
  return action;
}

// The taken action's copy target: on from onset_ms after `read_at` for
// duration_ms (both are events, so they survive a checkpoint).
void SpikingLearner::copy_action(int action, Step read_at) {
  if (!spec_.action_copy || action < 0 || static_cast<std::size_t>(action) >= copy_targets_.size())
    return;
  const Resolution& res = sim_.resolution();
  const ActionCopySpec& c = *spec_.action_copy;
  const Target& t = copy_targets_[static_cast<std::size_t>(action)];
  const Step on = read_at + res.round_to_steps(c.onset_ms);
  set(t, on, c.value);
  set(t, on + res.duration_steps(c.duration_ms), t.rest);
}

// The monitored population's mean rate per neuron over the window [Hz].
double SpikingLearner::rate_per_neuron() const {
  const double seconds = sim_.resolution().to_ms(monitor_->steps()) * 1e-3;
  return static_cast<double>(monitor_->counts()[0]) /
         (seconds * static_cast<double>(monitor_population_size_));
}

int SpikingLearner::decide(const TaskStep& now) {
  const DecodingSpec& d = *spec_.decoding;
  const std::size_t n = d.populations.size();
  // Only the actions the step accepts compete (all when it names none).
  const auto open = [&](std::size_t a) {
    return now.choices.empty() || std::find(now.choices.begin(), now.choices.end(),
                                            static_cast<int>(a)) != now.choices.end();
  };
  std::vector<std::size_t> best;
  if (d.rule == DecodingSpec::Rule::most_spikes) {
    const auto& counts = decision_->counts();
    std::uint64_t top = 0;
    for (std::size_t a = 0; a < n; ++a)
      if (open(a)) top = std::max(top, counts[a]);
    if (top == 0) return Task::no_action;
    for (std::size_t a = 0; a < n; ++a)
      if (open(a) && counts[a] == top) best.push_back(a);
  } else {
    // The kept spikes are grouped by population, each in time order: the
    // step at which population a reaches the threshold is its threshold-th.
    std::vector<Step> reached(n, -1);
    std::vector<int> seen(n, 0);
    const auto& pops = decision_->populations();
    for (const SpikeEvent& e : decision_->spikes()) {
      const auto a = static_cast<std::size_t>(std::find(pops.begin(), pops.end(), e.population) -
                                              pops.begin());
      if (++seen[a] == d.threshold) reached[a] = e.step;
    }
    Step first = -1;
    for (std::size_t a = 0; a < n; ++a)
      if (open(a) && reached[a] >= 0 && (first < 0 || reached[a] < first)) first = reached[a];
    if (first < 0) return Task::no_action;
    for (std::size_t a = 0; a < n; ++a)
      if (open(a) && reached[a] == first) best.push_back(a);
  }
  if (best.size() == 1) return static_cast<int>(best[0]);
  const double u = draw(tie_break_stream, now);  // in (0, 1]
  const auto pick = std::min(best.size() - 1, static_cast<std::size_t>((1.0 - u) * best.size()));
  return static_cast<int>(best[pick]);
}

double SpikingLearner::learn(const TaskStep& from, int, const TaskStep& to) {
  const Resolution& res = sim_.resolution();
  double reward = to.reward;
  if (spec_.noncontingent.enabled)
    reward = draw(noncontingent_stream, from) <= spec_.noncontingent.probability
                 ? spec_.noncontingent.magnitude
                 : 0.0;
  const Step outcome = sim_.now();
  const Step at = outcome + res.round_to_steps(spec_.timing.reward_delay_ms);
  if (reward != 0.0) {
    for (std::size_t k = 0; k < spec_.reward.size(); ++k) {
      const RewardSpec& r = spec_.reward[k];
      if (r.kind == RewardSpec::Kind::volume) {
        const bool take = r.sign == RewardSpec::Sign::both ||
                          (r.sign == RewardSpec::Sign::positive) == (reward > 0.0);
        if (take) sim_.pulse(reward_targets_[k].volume, at, r.gain * reward);
        continue;
      }
      if ((r.sign == RewardSpec::Sign::positive) != (reward > 0.0)) continue;
      const Target& t = reward_targets_[k].target;
      set(t, at, t.rest + r.gain * std::abs(reward));
      set(t, at + res.duration_steps(r.duration_ms), t.rest);
    }
  }
  // The outcome period: the task's next observation (`to`) shows only after
  // it, at the next act() or, for a terminal step, not at all (end_trial).
  const Step end = outcome + res.duration_steps(spec_.timing.outcome_ms);
  if (monitor_ && end > at) {
    run_to(at);
    monitor_->open();
    run_to(end);
    if (!spec_.monitor.population.empty()) measures_[monitor_column_ + 1] = rate_per_neuron();
    if (!spec_.monitor.volume.empty()) measures_[monitor_column_ + 3] = monitor_->mean_level(0);
  } else {
    run_to(end);
  }
  // δ of a spiking learner: the change of the dopamine level the outcome
  // brought (after − before), when a volume is monitored.
  return monitor_ && !spec_.monitor.volume.empty()
             ? measures_[monitor_column_ + 3] - measures_[monitor_column_ + 2]
             : 0.0;
}

void SpikingLearner::end_trial(const TaskStep&) {
  const Step now = sim_.now();
  stimuli_on_.clear();
  for (std::size_t r = 0; r < spec_.encoding.size(); ++r)
    if (rule_shown_[r]) hide_rule(r, now);
  run_to(now + sim_.resolution().duration_steps(spec_.timing.iti_ms));
}

std::vector<std::string> SpikingLearner::measure_names() const {
  std::vector<std::string> names = {"step_start_ms"};
  if (spec_.decoding)
    for (const std::string& p : spec_.decoding->populations)
      names.push_back("count_" + p);
  if (monitor_) {
    const std::string p = spec_.monitor.population.empty() ? "monitor" : spec_.monitor.population;
    const std::string v = spec_.monitor.volume.empty() ? "volume" : spec_.monitor.volume;
    names.insert(names.end(),
                 {p + "_rate_before_Hz", p + "_rate_after_Hz", v + "_before", v + "_after"});
  }
  return names;
}

void SpikingLearner::save(std::ostream& out) {
  sim_.save(out);
  CheckpointWriter w(out);
  w.section("spiking_learner");
  std::vector<std::uint8_t> shown(rule_shown_.begin(), rule_shown_.end());
  w.vector(shown);
  w.vector(std::vector<int>(stimuli_on_.begin(), stimuli_on_.end()));
  w.value(step_start_);
  w.vector(measures_);
}

void SpikingLearner::load(std::istream& in) {
  sim_.load(in);
  CheckpointReader r(in);
  r.section("spiking_learner");
  std::vector<std::uint8_t> shown;
  r.vector(shown, static_cast<std::int64_t>(rule_shown_.size()));
  rule_shown_.assign(shown.begin(), shown.end());
  std::vector<int> stimuli;
  r.vector(stimuli);
  stimuli_on_ = {stimuli.begin(), stimuli.end()};
  step_start_ = r.value<Step>();
  r.vector(measures_, static_cast<std::int64_t>(measures_.size()));
}

}  // namespace bgsim::tasks::loop
