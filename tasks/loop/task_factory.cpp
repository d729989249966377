#include "tasks/loop/task_factory.hpp"

#include <stdexcept>

#include "core/printable.hpp"
#include "tasks/environments/bandit.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/environments/probabilistic_selection.hpp"
#include "tasks/environments/track.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks::loop {

namespace {

const std::vector<std::string> kTypes = {"bandit", "conditioning", "track",
                                         "probabilistic_selection"};

TaskFactory bandit(ExperimentParams& p) {
  BanditParams b;
  b.schedule = BanditSchedule::reversal;
  b.initial_means = {0.8, 0.2};
  b.trials_per_block = 500;
  std::string outcome = "bernoulli", schedule = "reversal";
  p.whole("num_arms", b.num_arms);
  p.text("outcome", outcome, {"bernoulli", "gaussian"});
  p.text("schedule", schedule, {"fixed", "complementary", "reversal", "drifting"});
  p.whole("trials_per_block", b.trials_per_block);
  p.numbers("block_options", b.block_options);
  p.numbers("initial_means", b.initial_means);
  p.number("outcome_sd", b.outcome_sd);
  p.number("drift_sd", b.drift_sd);
  p.number("drift_lower", b.drift_lower);
  p.number("drift_upper", b.drift_upper);
  p.finish();
  b.outcome = outcome == "gaussian" ? BanditOutcome::gaussian : BanditOutcome::bernoulli;
  b.schedule = schedule == "fixed"           ? BanditSchedule::fixed
               : schedule == "complementary" ? BanditSchedule::complementary
               : schedule == "drifting"      ? BanditSchedule::drifting
                                             : BanditSchedule::reversal;
  p.check([&] { validate(b); });
  return {"bandit",   p.resolved(),
          b.num_arms, 1,
          b.num_arms, [b](std::uint64_t seed) { return std::make_unique<BanditTask>(b, seed); }};
}

TaskFactory conditioning(ExperimentParams& p) {
  ConditioningParams c;
  c.dt_s = 0.1;
  c.trial_s = 3.0;
  TrialType& t = c.trial_types[0];
  t.cue_time_s = 0.5;
  t.cue_duration_s = 0.0;
  t.rewards[0].time_s = 1.5;
  RewardSpec& r = t.rewards[0];
  double magnitude = 1.0;
  double uncued = 0.0;
  p.number("dt_s", c.dt_s);
  p.number("trial_s", c.trial_s);
  p.number("cue_time_s", t.cue_time_s);
  p.number("cue_duration_s", t.cue_duration_s);
  p.number("reward_time_s", r.time_s);
  p.number("reward_magnitude", magnitude);
  p.number("delivery_probability", r.delivery_probability);
  p.number("omission_probability", t.omission_probability);
  p.number("unexpected_probability", c.unexpected.probability);
  p.number("uncued_probability", uncued);
  p.number("iti_min_s", c.iti_min_s);
  p.number("iti_max_s", c.iti_max_s);
  p.finish();
  r.magnitudes = {magnitude};
  c.unexpected.latest_s = c.trial_s;
  if (uncued < 0.0 || uncued > 1.0) {
    p.reader().error("uncued_probability", "must lie in [0, 1] [probability]");
  } else if (uncued > 0.0) {
    // A second trial type: the reward at its time, no cue, no omission probe.
    // Only then, so that files without it keep their trial sequences.
    t.name = "paired";
    t.frequency = 1.0 - uncued;
    TrialType alone = t;
    alone.name = "uncued";
    alone.frequency = uncued;
    alone.cue_channel = -1;
    alone.omission_probability = 0.0;
    c.trial_types.push_back(alone);
  }
  p.check([&] { ConditioningTask check(c); });
  return {"conditioning", p.resolved(), 1, 0, 1, [c](std::uint64_t seed) {
            ConditioningParams seeded = c;
            seeded.seed = seed;
            return std::make_unique<ConditioningTask>(seeded);
          }};
}

// The stimuli A–F are channels 0–5 and the actions; a trial offers two.
// Defaults: fixed training (use_criterion false, 6 blocks), so that every
// learner given the seed meets the same trials.
TaskFactory probabilistic_selection(ExperimentParams& p) {
  ProbabilisticSelectionParams t;
  t.use_criterion = false;
  std::vector<double> probability(t.reward_probability.begin(), t.reward_probability.end());
  p.numbers("reward_probability", probability);
  p.whole("trials_per_block", t.trials_per_block);
  p.whole("max_training_blocks", t.max_training_blocks);
  p.flag("use_criterion", t.use_criterion);
  p.whole("test_repeats", t.test_repeats);
  p.number("reward_win", t.reward_win);
  p.number("reward_loss", t.reward_loss);
  p.number("trial_ms", t.trial_ms);
  p.finish();
  p.check([&] {
    if (probability.size() != t.reward_probability.size())
      throw std::invalid_argument("reward_probability must list 6 probabilities (A-F), got " +
                                  std::to_string(probability.size()));
    std::copy(probability.begin(), probability.end(), t.reward_probability.begin());
    validate(t);
  });
  return {
      "probabilistic_selection",
      p.resolved(),
      ProbabilisticSelectionTask::kNumStimuli,
      ProbabilisticSelectionTask::kNumPairs,
      ProbabilisticSelectionTask::kNumStimuli,
      [t](std::uint64_t seed) { return std::make_unique<ProbabilisticSelectionTask>(t, seed); }};
}

TaskFactory track(ExperimentParams& p) {
  TrackParams t;
  p.whole("num_states", t.num_states);
  p.number("reward", t.reward);
  p.whole("step_size", t.step_size);
  p.number("step_ms", t.step_ms);
  p.finish();
  p.check([&] { validate(t); });
  return {"track", p.resolved(),
          0,       t.num_states,
          2,       [t](std::uint64_t) { return std::make_unique<Track>(t); }};
}

}  // namespace

TaskFactory read_task(networks::ObjectReader& task) {
  const std::string type = task.string("type", true).value_or("");
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json* params = task.take("params");
  task.finish({"type", "params"});
  networks::ObjectReader pr(params ? *params : empty, task.at("params"), task.diagnostics());
  ExperimentParams p(pr);
  if (type == "bandit") return bandit(p);
  if (type == "conditioning") return conditioning(p);
  if (type == "track") return track(p);
  if (type == "probabilistic_selection") return probabilistic_selection(p);
  if (!type.empty()) {
    const std::string hint = nearest_name(type, kTypes);
    task.error("type", "unknown task " + quote(type) +
                           "; the tasks are bandit, conditioning, track, probabilistic_selection" +
                           (hint.empty() ? "" : "; did you mean " + quote(hint) + "?"));
  }
  return {};
}

}  // namespace bgsim::tasks::loop
