// TD(λ) and distributional TD stepped through the closed loop's runner give
// the comparison's δ on the same trials (tasks/pavlovian/td_controllers.hpp),
// and the loop reads them only on the conditioning task.

#include "tasks/pavlovian/td_controllers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "networks/json_reader.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/compare/agent_runs.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/session.hpp"
#include "tasks/loop/task_factory.hpp"

namespace bgsim::tasks::pavlovian {
namespace {

using nlohmann::json;

constexpr std::uint64_t kSeed = 5;
constexpr int kTrials = 150;

// Cue at 0.5 s, reward at 1.5 s of 3 s trials in 0.1 s steps; a fifth of
// the rewards omitted and some delivered without the cue, so that the trials
// differ.
const json kConditioning = {
    {"type", "conditioning"},
    {"params",
     {{"omission_probability", 0.2}, {"unexpected_probability", 0.1}, {"cue_duration_s", 0.3}}}};

struct Loop {
  loop::TaskFactory task;
  loop::LearnerSpec learner;
};

Loop read(const json& task, const json& learner, networks::Diagnostics& diag) {
  Loop l;
  networks::ObjectReader tr(task, "/task", diag);
  l.task = loop::read_task(tr);
  networks::ObjectReader lr(learner, "/learner", diag);
  if (l.task.make) l.learner = loop::read_learner(lr, l.task, {});
  return l;
}

// δ per (trial, step + 1) of a loop session, as the comparison places it.
Eigen::MatrixXd loop_deltas(const Loop& l, int steps_per_trial, Eigen::MatrixXd* values) {
  auto task = l.task.make(bandits::derive_seed(kSeed, 0));
  auto agent = loop::make_agent(l.learner, kSeed);
  Eigen::MatrixXd delta = Eigen::MatrixXd::Constant(kTrials, steps_per_trial, std::nan(""));
  values->setConstant(kTrials, steps_per_trial, std::nan(""));
  loop::run_session(*task, *agent, kTrials, [&](const loop::StepRecord& s) {
    delta(s.trial, s.step + 1) = s.delta;
    (*values)(s.trial, s.step) = s.measures.at(0);
  });
  return delta;
}

// The task's parameters with its seed, as the comparison takes them.
ConditioningParams seeded_task(const Loop& l) {
  const auto probe = l.task.make(bandits::derive_seed(kSeed, 0));
  return dynamic_cast<const ConditioningTask&>(*probe).params();
}

Loop read_ok(const json& learner) {
  networks::Diagnostics diag;
  Loop l = read(kConditioning, learner, diag);
  EXPECT_TRUE(diag.ok()) << diag.str();
  return l;
}

class TdLambdaInTheLoop : public ::testing::TestWithParam<const char*> {};

// Step for step, bit for bit: the same calls on the same features.
TEST_P(TdLambdaInTheLoop, GivesTheComparisonsDeltaAndValue) {
  const Loop l = read_ok(
      {{"agent", "td_lambda"}, {"params", {{"alpha", 0.2}, {"representation", GetParam()}}}});
  ASSERT_TRUE(l.learner.td_agent);
  const TdAgentSpec& a = *l.learner.td_agent;
  const int T = a.representation.n_steps;
  const ConditioningTask probe(seeded_task(l));
  EXPECT_EQ(T, probe.steps_per_trial());
  Eigen::MatrixXd values;
  const Eigen::MatrixXd delta = loop_deltas(l, T, &values);
  const compare::AgentTrace ref =
      compare::run_td_lambda(seeded_task(l), a.representation, a.td, kTrials);
  int compared = 0;
  for (int n = 0; n < kTrials; ++n) {
    for (int s = 1; s < T; ++s, ++compared)
      ASSERT_EQ(delta(n, s), ref.delta(n, s)) << "trial " << n << " step " << s;
    for (int s = 0; s + 1 < T; ++s)
      ASSERT_EQ(values(n, s), ref.value(n, s)) << "trial " << n << " step " << s;
  }
  EXPECT_EQ(compared, kTrials * (T - 1));
  // Not a comparison of zeros: the first cued reward is wholly unexpected,
  // and with the CSC the cue's step carries the error by the end.
  const int cue = probe.step_of(0.5), reward = probe.step_of(1.5);
  int first = 0;
  while (ref.trials[first].cue_channel < 0 || ref.trials[first].omission)
    ++first;
  EXPECT_NEAR(delta(first, reward), 1.0, 1e-12);
  if (std::string(GetParam()) == "complete_serial_compound") {
    EXPECT_GT(delta(kTrials - 1, cue), 0.5);
    EXPECT_LT(delta(first, cue), 1e-12);
  }
}

INSTANTIATE_TEST_SUITE_P(Codes, TdLambdaInTheLoop,
                         ::testing::Values("complete_serial_compound", "presence",
                                           "microstimulus"));

// V and δ from the trial's starting weights, the changes applied at its
// end: the comparison's learn_trial, to rounding (the mean over predictors
// may group its sums differently).
TEST(DistributionalTdInTheLoop, GivesTheComparisonsDeltaAndValue) {
  const Loop l = read_ok({{"agent", "distributional_td"},
                          {"params", {{"n_predictors", 20}, {"representation", "microstimulus"}}}});
  ASSERT_TRUE(l.learner.td_agent);
  TdAgentSpec a = *l.learner.td_agent;
  const int T = a.representation.n_steps;
  Eigen::MatrixXd values;
  const Eigen::MatrixXd delta = loop_deltas(l, T, &values);
  a.distributional.seed = bandits::derive_seed(kSeed, 1);  // the loop's agent stream
  const compare::AgentTrace ref =
      compare::run_distributional(seeded_task(l), a.representation, a.distributional, kTrials);
  double largest = 0.0;
  for (int n = 0; n < kTrials; ++n) {
    for (int s = 1; s < T; ++s) {
      ASSERT_NEAR(delta(n, s), ref.delta(n, s), 1e-12) << "trial " << n << " step " << s;
      largest = std::max(largest, std::abs(ref.delta(n, s)));
    }
    for (int s = 0; s + 1 < T; ++s)
      ASSERT_NEAR(values(n, s), ref.value(n, s), 1e-12) << "trial " << n << " step " << s;
  }
  EXPECT_GT(largest, 0.1);                   // the comparison is not of zeros
  EXPECT_GT(values(kTrials - 1, 10), 0.05);  // a value between cue and reward was learned
}

TEST(PavlovianAgents, PlayOnlyTheConditioningTask) {
  networks::Diagnostics diag;
  read({{"type", "bandit"}, {"params", json::object()}}, {{"agent", "td_lambda"}}, diag);
  ASSERT_FALSE(diag.ok());
  EXPECT_EQ(diag.items().at(0).pointer, "/learner/agent");
  EXPECT_NE(diag.str().find("conditioning"), std::string::npos) << diag.str();

  networks::Diagnostics bad;
  read(kConditioning, {{"agent", "td_lambda"}, {"params", {{"alpha", 2.0}}}}, bad);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.items().at(0).pointer.rfind("/learner/params", 0), 0u) << bad.str();

  networks::Diagnostics typo;
  read(kConditioning, {{"agent", "td_lamda"}}, typo);
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.str().find("td_lambda"), std::string::npos) << typo.str();
}

// The features of a step come from the events seen so far: a stimulus still
// on lasts to the trial's end, an offset ends it (the presence code shows it).
TEST(TrialStimuli, FollowOnsetsAndOffsetsAsTheyCome) {
  RepresentationParams code;
  code.kind = Representation::presence;
  code.n_channels = 2;
  code.n_steps = 6;
  TrialStimuli stimuli(code);
  auto step = [](int k, std::vector<TaskEvent> events) {
    TaskStep s;
    s.trial = 3;
    s.time_step = k;
    s.events = std::move(events);
    return s;
  };
  EXPECT_TRUE(stimuli.see(step(0, {})));
  EXPECT_FALSE(stimuli.see(step(1, {{0.0, EventKind::stimulus_on, 1}})));
  EXPECT_FALSE(stimuli.see(step(1, {{0.0, EventKind::stimulus_on, 1}})));  // seen: ignored
  EXPECT_FALSE(stimuli.see(step(2, {})));
  EXPECT_FALSE(stimuli.see(step(3, {{0.0, EventKind::stimulus_off, 1}})));
  EXPECT_EQ(Eigen::VectorXd(stimuli.column(0).col(0)), Eigen::Vector2d(0, 0));
  EXPECT_EQ(Eigen::VectorXd(stimuli.column(2).col(0)), Eigen::Vector2d(0, 1));
  EXPECT_EQ(Eigen::VectorXd(stimuli.column(3).col(0)), Eigen::Vector2d(0, 0));
  EXPECT_THROW(stimuli.column(4), std::logic_error);
  EXPECT_THROW(stimuli.see(step(5, {})), std::logic_error);  // step 4 skipped
}

}  // namespace
}  // namespace bgsim::tasks::pavlovian
