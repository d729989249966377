// The ready closed-loop experiments (tasks/experiments/bandit_reversal_*.json,
// conditioning_spiking.json, track_spiking.json), read and run as `bgsim run`
// runs them.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include "../bandits/ready_experiment_support.hpp"
#include "core/activity_window.hpp"
#include "networks/builder.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/session.hpp"
#include "tasks/loop/spiking_learner.hpp"
#include "tests/core/io/io_test_support.hpp"

namespace bgsim::tasks::test {
namespace {

// The agent played through the loop: the Q-learning fit to its own choices
// gives back the α = 0.1 and β = 5 it was given (1000 trials, one reversal),
// on every seed; it prefers the better arm in each half once it has learned.
TEST(ClosedLoopReadyFiles, QLearningAgentsChoicesGiveBackItsParameters) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    nlohmann::json doc = ready_description("bandit_reversal_q_learning");
    doc["seed"] = seed;
    ScratchFolder dir;
    const nlohmann::json s = run_description(doc, dir.path());
    EXPECT_EQ(csv_rows(dir / "steps.csv"), 1000u);
    EXPECT_EQ(csv_header(dir / "steps.csv"),
              (std::vector<std::string>{"trial", "step", "state", "action", "best_action", "reward",
                                        "delta", "value", "q_0", "q_1"}));
    const auto& fit = s["q_learning_fit"];
    EXPECT_NEAR(fit["fitted_alpha"].get<double>(), 0.1, 0.05) << "seed " << seed;
    EXPECT_NEAR(fit["fitted_beta"].get<double>(), 5.0, 1.5) << "seed " << seed;
    const auto& blocks = s["better_action_fraction_by_block"];
    ASSERT_EQ(blocks.size(), 10u);
    for (int b : {2, 3, 4, 7, 8, 9})
      EXPECT_GT(blocks[b].get<double>(), 0.75) << "seed " << seed << " block " << b;
  }
}

// A ready file's task and spiking learner, played with a window that keeps
// every spike of the populations named, for the tests below.
struct Played {
  std::vector<loop::StepRecord> steps;
  std::map<std::string, std::vector<double>> spike_ms;  // per watched population
};

Played play_ready(const std::string& file, std::int64_t trials,
                  const std::vector<std::string>& watched, const nlohmann::json& encoding = {}) {
  nlohmann::json doc = ready_description(file);
  if (!encoding.is_null()) doc["experiment"]["params"]["learner"]["encoding"] = encoding;
  const nlohmann::json& params = doc["experiment"]["params"];
  networks::Diagnostics diag;
  networks::ObjectReader tr(params["task"], "/task", diag);
  const loop::TaskFactory task = loop::read_task(tr);
  networks::ObjectReader lr(params["learner"], "/learner", diag);
  const loop::LearnerSpec learner = loop::read_learner(
      lr, task, std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments");
  EXPECT_TRUE(diag.ok()) << diag.str();
  auto sim = networks::build(*learner.network);
  std::vector<std::uint32_t> pops;
  for (const auto& name : watched)
    pops.push_back(sim->population_index(name));
  const auto watch = sim->add_observer(
      std::make_unique<ActivityWindow>("watch", pops, std::vector<const DopamineVolume*>{}, true));
  loop::SpikingLearner spiking(*sim, learner.loop, 1);
  auto t = task.make(1);
  Played p;
  loop::run_session(*t, spiking, trials, [&](const loop::StepRecord& s) { p.steps.push_back(s); });
  for (const SpikeEvent& e : static_cast<const ActivityWindow&>(sim->observer(watch)).spikes())
    for (std::size_t k = 0; k < pops.size(); ++k)
      if (e.population == pops[k])
        p.spike_ms[watched[k]].push_back(sim->resolution().to_ms(e.step));
  return p;
}

// Spikes of `pop` in (from, to] [ms].
int spikes_in(const Played& p, const std::string& pop, double from, double to) {
  int n = 0;
  for (double t : p.spike_ms.at(pop))
    n += t > from && t <= to;
  return n;
}

// The track file: one place population per position, on for exactly the
// 200 ms the agent is there; forced forward steps; the reward of the goal as
// a 100 ms burst of the relay after the step from the goal; the SNc rate
// recorded at every position.
TEST(ClosedLoopReadyFiles, TrackFileDeliversPlacesForcedStepsAndTheGoalsReward) {
  const Played p =
      play_ready("track_spiking", 3, {"place_0", "place_1", "place_2", "place_3", "place_4", "us"});
  ASSERT_EQ(p.steps.size(), 15u);  // positions 0 … 4 in each of 3 trials
  int total_place = 0;
  for (const auto& s : p.steps) {
    EXPECT_EQ(s.state, s.step);  // forward every step
    EXPECT_EQ(s.action, 1);
    EXPECT_EQ(s.reward, s.state == 4 ? 1.0 : 0.0);
    const double t0 = s.measures[0];  // step_start_ms
    for (int k = 0; k < 5; ++k) {
      const int n = spikes_in(p, "place_" + std::to_string(k), t0, t0 + 200);
      if (k == s.state) {
        EXPECT_GT(n, 40);  // 20 cells x 40 Hz x 0.2 s = 160 expected
        total_place += n;
      } else {
        EXPECT_EQ(n, 0) << "place_" << k << " during position " << s.state;
      }
    }
    EXPECT_FALSE(std::isnan(s.measures[1]));  // the SNc rate at this position
    // The relay fires exactly in the 100 ms after the step from the goal.
    EXPECT_EQ(spikes_in(p, "us", t0, t0 + 200), 0);
    if (s.state == 4) {
      EXPECT_GT(spikes_in(p, "us", t0 + 200, t0 + 300), 100);
    }
  }
  int place_spikes = 0;
  for (int k = 0; k < 5; ++k)
    place_spikes += static_cast<int>(p.spike_ms.at("place_" + std::to_string(k)).size());
  EXPECT_EQ(place_spikes, total_place);  // none during the inter-trial intervals
}

// A feature rule: the position as a number sets one population's rate,
// 10 + 20·position Hz, anew at every step.
TEST(ClosedLoopReadyFiles, TrackPositionAsARateCode) {
  const nlohmann::json encoding = nlohmann::json::array(
      {{{"feature", "state"},
        {"inputs",
         nlohmann::json::array({{{"target", "place_0"}, {"value", 10}, {"per_unit", 20}}})}}});
  const Played p = play_ready("track_spiking", 4, {"place_0"}, encoding);
  std::vector<int> per_position(5, 0);
  for (const auto& s : p.steps)
    per_position[s.state] += spikes_in(p, "place_0", s.measures[0], s.measures[0] + 200);
  // 20 cells x 0.2 s x 4 trials = 16 cell-seconds: 160, 480, 800, 1120, 1440 expected.
  for (int k = 0; k < 5; ++k) {
    const double expected = 16.0 * (10.0 + 20.0 * k);
    EXPECT_NEAR(per_position[k], expected, 5.0 * std::sqrt(expected)) << "position " << k;
  }
  EXPECT_EQ(static_cast<int>(p.spike_ms.at("place_0").size()),
            std::accumulate(per_position.begin(), per_position.end(), 0));  // rest between trials
}

// The conditioning file: the cue's input from its onset step to the trial's
// end, the reward's burst right after the step that carries it (none on
// omission probes); the learner acts on 30 of the trial's 31 steps (the last
// one ends the trial).
TEST(ClosedLoopReadyFiles, ConditioningFileDeliversCueAndRewardAtTheirSteps) {
  const Played p = play_ready("conditioning_spiking", 6, {"cue", "us"});
  ASSERT_EQ(p.steps.size(), 6u * 30);
  int rewarded = 0;
  for (std::size_t i = 0; i < p.steps.size(); ++i) {
    const auto& s = p.steps[i];
    const double t0 = s.measures[0];
    // Cue step: the step ending at 0.5 s is step 4; the cue is shown from it on.
    const int cue = spikes_in(p, "cue", t0, t0 + 100);
    if (s.step >= 4)
      EXPECT_GT(cue, 50) << "trial " << s.trial << " step " << s.step;  // 200 expected
    else
      EXPECT_EQ(cue, 0) << "trial " << s.trial << " step " << s.step;
    // A reward received on entering the next step is delivered at this step's end.
    const int us = spikes_in(p, "us", t0 + 100, t0 + 200);
    if (s.reward > 0) {
      EXPECT_EQ(s.step, 13);  // the reward at 1.5 s belongs to step 14, entered from 13
      EXPECT_GT(us, 200) << "trial " << s.trial;  // 50 cells x 100 Hz x 0.1 s = 500 expected
      ++rewarded;
    } else {
      EXPECT_EQ(us, 0) << "trial " << s.trial << " step " << s.step;
    }
  }
  EXPECT_GE(rewarded, 3);  // 20 % omission probes: some of the 6 trials are rewarded
}

// tools/plot_experiment.py draws the closed loop's three figures from a
// spiking learner's results folder (60 trials with the reversal at 30).
TEST(ClosedLoopReadyFiles, PlotToolDrawsLearningCurveDopamineAndRasters) {
  ASSERT_TRUE(io::test::python_stack_available());
  nlohmann::json doc = ready_description("bandit_reversal_spiking");
  doc["experiment"]["params"]["trials"] = 60;
  doc["experiment"]["params"]["task"]["params"]["trials_per_block"] = 30;
  ScratchFolder dir;
  networks::Diagnostics diag;
  ExperimentDescription exp = read_experiment_description(
      doc, diag, std::filesystem::path(BGSIM_SOURCE_DIR) / "tasks" / "experiments");
  ASSERT_TRUE(diag.ok()) << diag.str();
  const io::ResultsFolder folder(dir.path());
  nlohmann::json manifest = {{"status", "complete"},
                             {"experiment", exp.kind},
                             {"description", exp.resolved},
                             {"seed", exp.seed}};
  manifest["summary"] = exp.run({folder, exp.seed});
  folder.write_manifest(manifest);
  const io::test::CommandResult r = io::test::run_command(
      std::string(io::test::python) + " " +
      io::test::shell_quote(std::string(BGSIM_SOURCE_DIR) + "/tools/plot_experiment.py") + " " +
      io::test::shell_quote(dir.path().string()));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* name :
       {"learning_curve.png", "dopamine_at_outcome.png", "rasters_early_late.png"})
    EXPECT_TRUE(std::filesystem::is_regular_file(dir / "plots" / name)) << name << "\n" << r.output;
}

}  // namespace
}  // namespace bgsim::tasks::test
