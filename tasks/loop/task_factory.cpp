#include "tasks/loop/task_factory.hpp"

#include <stdexcept>

#include "tasks/environments/bandit.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/environments/track.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks::loop {

namespace {

const std::vector<std::string> kTypes = {"bandit", "conditioning", "track"};

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
  if (!type.empty()) {
    const std::string hint = nearest_name(type, kTypes);
    task.error("type", "unknown task \"" + type + "\"; the tasks are bandit, conditioning, track" +
                           (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
  }
  return {};
}

}  // namespace bgsim::tasks::loop
