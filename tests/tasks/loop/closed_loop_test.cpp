// The closed loop delivers what the experiment file says: inputs at the right
// times, rewards as dopamine and bursts, actions read from spikes (ties and
// silence included); the same session for any thread count and when split;
// the agent learner on the identical trial sequence; bad files refused before
// anything runs, every problem at once with its JSON pointer.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <sstream>

#include "core/activity_window.hpp"
#include "networks/builder.hpp"
#include "networks/description.hpp"
#include "tasks/bandits/q_learning_controller.hpp"
#include "tasks/environments/bandit.hpp"
#include "tasks/experiment.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/session.hpp"
#include "tasks/loop/spiking_learner.hpp"

namespace bgsim::tasks::loop {
namespace {

using nlohmann::json;

// cue drives act_0 (and act_1 when `tie`) one spike to one spike: a cue spike
// makes every target fire. us is the reward relay; da a volume without source.
json toy_network(bool tie = false) {
  json net = {{"resolution_ms", 0.1},
              {"populations",
               {{"cue", {{"model", "poisson_source"}, {"size", 20}, {"params", {{"rate_Hz", 0}}}}},
                {"act_0", {{"model", "lif_psc_delta"}, {"size", 10}}},
                {"act_1", {{"model", "lif_psc_delta"}, {"size", 10}}},
                {"us", {{"model", "poisson_source"}, {"size", 10}, {"params", {{"rate_Hz", 0}}}}}}},
              {"neuromodulators", {{"da", {{"type", "dopamine"}, {"params", {{"tau_ms", 200}}}}}}},
              {"projections", json::array({{{"source", "cue"},
                                            {"target", "act_0"},
                                            {"rule", "all_to_all"},
                                            {"synapse", {{"weight", 20.0}, {"delay_ms", 1.0}}}}})}};
  if (tie)
    net["projections"].push_back({{"source", "cue"},
                                  {"target", "act_1"},
                                  {"rule", "all_to_all"},
                                  {"synapse", {{"weight", 20.0}, {"delay_ms", 1.0}}}});
  return net;
}

// The tie network with Poisson drive into act_1 alone, so that both actions
// are chosen and a comparison of two sessions is not one of constant rows.
json noisy_network() {
  json net = toy_network(true);
  net["stimuli"] = json::array({{{"name", "noise"},
                                 {"model", "poisson_input"},
                                 {"target", "act_1"},
                                 {"params", {{"rate_Hz", 2000}, {"weight", 8}}}}});
  return net;
}

json toy_learner(const json& network) {
  return {
      {"network", network},
      {"timing", {{"step_ms", 100}, {"outcome_ms", 200}, {"iti_ms", 300}, {"reward_delay_ms", 50}}},
      {"encoding", json::array({{{"stimuli", {0, 1}},
                                 {"inputs", json::array({{{"target", "cue"},
                                                          {"value", 200},
                                                          {"onset_ms", 10},
                                                          {"duration_ms", 50}}})}}})},
      {"decoding", {{"populations", {"act_0", "act_1"}}, {"window_ms", {0, 100}}}},
      {"reward", json::array({{{"volume", "da"}, {"gain", 0.5}},
                              {{"population", "us"}, {"gain", 500}, {"duration_ms", 20}}})},
      {"monitor", {{"population", "us"}, {"volume", "da"}}}};
}

const json kBandit = {{"type", "bandit"},
                      {"params", {{"schedule", "fixed"}, {"initial_means", {1.0, 0.0}}}}};

struct Loop {
  TaskFactory task;
  LearnerSpec learner;
};

Loop read(const json& task, const json& learner, networks::Diagnostics& diag) {
  networks::ObjectReader tr(task, "/task", diag);
  Loop l;
  l.task = read_task(tr);
  networks::ObjectReader lr(learner, "/learner", diag);
  if (l.task.make) l.learner = read_learner(lr, l.task, {});
  return l;
}

Loop read_ok(const json& task, const json& learner) {
  networks::Diagnostics diag;
  Loop l = read(task, learner, diag);
  EXPECT_TRUE(diag.ok()) << diag.str();
  return l;
}

// One session of a spiking learner; every cue and us spike kept.
struct Played {
  std::vector<StepRecord> steps;
  std::vector<SpikeEvent> cue_spikes, us_spikes;
  double dt_ms = 0.1;
};

Played play(const Loop& l, std::int64_t trials, int threads = 1, int pieces = 1) {
  auto sim = networks::build(*l.learner.network, {.threads = threads});
  const auto watch = sim->add_observer(std::make_unique<ActivityWindow>(
      "watch",
      std::vector<std::uint32_t>{sim->population_index("cue"), sim->population_index("us")},
      std::vector<const DopamineVolume*>{}, true));
  SpikingLearner learner(*sim, l.learner.loop, 7);
  auto task = l.task.make(11);
  Played p;
  for (int k = 0; k < pieces; ++k)
    run_session(*task, learner, trials / pieces,
                [&](const StepRecord& s) { p.steps.push_back(s); });
  const auto& window = static_cast<const ActivityWindow&>(sim->observer(watch));
  for (const SpikeEvent& e : window.spikes())
    (e.population == sim->population_index("cue") ? p.cue_spikes : p.us_spikes).push_back(e);
  return p;
}

TEST(ClosedLoop, InputsRewardsAndActionsAtTheTimesTheFileGives) {
  const Loop l = read_ok(kBandit, toy_learner(toy_network()));
  const Played p = play(l, 5);
  ASSERT_EQ(p.steps.size(), 5u);
  // A trial is 100 + 200 + 300 ms = 6000 steps of 0.1 ms.
  const Step trial = 6000;
  ASSERT_FALSE(p.cue_spikes.empty());
  for (const SpikeEvent& e : p.cue_spikes) {
    const Step t = e.step % trial;  // stamps (on, off]: on = 10 ms, off = 60 ms
    EXPECT_GT(t, 100);
    EXPECT_LE(t, 600);
  }
  // The cue drives act_0 only: action 0 every trial, its count in the table.
  for (const StepRecord& s : p.steps) {
    EXPECT_EQ(s.action, 0);
    EXPECT_EQ(s.best_action, 0);
    EXPECT_EQ(s.reward, 1.0);  // arm 0 pays 1 with probability 1
    ASSERT_EQ(s.measures.size(), 7u);
    EXPECT_EQ(s.measures[0], static_cast<double>(s.trial) * 600.0);
    EXPECT_GT(s.measures[1], 0.0);
    EXPECT_EQ(s.measures[2], 0.0);
  }
  // The us burst: 20 ms from 100 + 50 ms into every trial.
  ASSERT_FALSE(p.us_spikes.empty());
  std::vector<int> per_trial(5, 0);
  for (const SpikeEvent& e : p.us_spikes) {
    const Step t = e.step % trial;
    EXPECT_GT(t, 1500);
    EXPECT_LE(t, 1700);
    ++per_trial[static_cast<std::size_t>(e.step / trial)];
  }
  for (int n : per_trial)
    EXPECT_GT(n, 20);  // 10 neurons x 500 Hz x 20 ms = 100 expected
  // The pulse: da is at its baseline 0 before the reward and 0.5 e^{-t/200}
  // after it; its mean over the 150 ms after the reward is 0.5·(200/150)(1 − e^{-0.75}).
  const double expected_after = 0.5 * (200.0 / 150.0) * (1.0 - std::exp(-150.0 / 200.0));
  EXPECT_EQ(p.steps[0].measures[5], 0.0);
  EXPECT_NEAR(p.steps[0].measures[6], expected_after, 1e-3);
  EXPECT_NEAR(p.steps[0].delta, expected_after, 1e-3);
  // The us rate after the reward: ~100 spikes / (10 neurons × 0.15 s).
  EXPECT_GT(p.steps[0].measures[4], 20.0);
  EXPECT_EQ(p.steps[0].measures[3], 0.0);
}

// The toy loop with an action copy: m_0, m_1 (Poisson, silent at rest) take
// 500 Hz from 5 ms after the decision window's end, for 20 ms.
json copy_learner(json network) {
  for (const char* m : {"m_0", "m_1"})
    network["populations"][m] = {
        {"model", "poisson_source"}, {"size", 10}, {"params", {{"rate_Hz", 0}}}};
  json learner = toy_learner(network);
  learner["action_copy"] = {
      {"targets", {"m_0", "m_1"}}, {"value", 500}, {"onset_ms", 5}, {"duration_ms", 20}};
  return learner;
}

// Spikes of m_0 and m_1 over a session of `trials`.
std::vector<std::vector<Step>> copy_spikes(const json& learner, std::int64_t trials) {
  const Loop l = read_ok(kBandit, learner);
  auto sim = networks::build(*l.learner.network, {});
  const std::vector<std::uint32_t> pops = {sim->population_index("m_0"),
                                           sim->population_index("m_1")};
  const auto watch = sim->add_observer(
      std::make_unique<ActivityWindow>("watch", pops, std::vector<const DopamineVolume*>{}, true));
  SpikingLearner spiking(*sim, l.learner.loop, 7);
  auto task = l.task.make(11);
  run_session(*task, spiking, trials, [](const StepRecord&) {});
  std::vector<std::vector<Step>> out(2);
  for (const SpikeEvent& e : static_cast<const ActivityWindow&>(sim->observer(watch)).spikes())
    out[e.population == pops[0] ? 0 : 1].push_back(e.step);
  return out;
}

TEST(ClosedLoop, ActionCopyDrivesTheTakenActionsTargetAfterTheDecision) {
  const auto spikes = copy_spikes(copy_learner(toy_network()), 5);
  // Action 0 every trial (the cue drives act_0 only): m_1 stays silent.
  EXPECT_TRUE(spikes[1].empty());
  // m_0 on from 100 + 5 ms to 125 ms of every 600 ms trial: stamps (1050, 1250].
  std::vector<int> per_trial(5, 0);
  for (Step s : spikes[0]) {
    EXPECT_GT(s % 6000, 1050);
    EXPECT_LE(s % 6000, 1250);
    ++per_trial[static_cast<std::size_t>(s / 6000)];
  }
  for (int n : per_trial)
    EXPECT_GT(n, 40);  // 10 cells × 500 Hz × 20 ms = 100 expected

  // No action, no copy.
  json silent = copy_learner(toy_network());
  silent["encoding"][0]["inputs"][0]["value"] = 0;
  const auto none = copy_spikes(silent, 3);
  EXPECT_TRUE(none[0].empty());
  EXPECT_TRUE(none[1].empty());
}

TEST(ClosedLoop, SilentActionPopulationsGiveNoActionAndTheBanditNoReward) {
  json learner = toy_learner(toy_network());
  learner["encoding"][0]["inputs"][0]["value"] = 0;
  const Played p = play(read_ok(kBandit, learner), 4);
  for (const StepRecord& s : p.steps) {
    EXPECT_EQ(s.action, Task::no_action);
    EXPECT_EQ(s.reward, 0.0);
  }
  EXPECT_TRUE(p.us_spikes.empty());
}

TEST(ClosedLoop, TiesAreBrokenByTheRunsOwnStreamBothWays) {
  const Loop l = read_ok(kBandit, toy_learner(toy_network(true)));
  const Played a = play(l, 40), b = play(l, 40);
  int zeros = 0;
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    EXPECT_EQ(a.steps[i].measures[1], a.steps[i].measures[2]);  // a tie every trial
    EXPECT_EQ(a.steps[i].action, b.steps[i].action);            // drawn, not arbitrary
    zeros += a.steps[i].action == 0;
  }
  EXPECT_GT(zeros, 8);
  EXPECT_LT(zeros, 32);
}

TEST(ClosedLoop, FirstToThresholdReadsTheEarliestPopulation) {
  json learner = toy_learner(toy_network());
  learner["decoding"]["rule"] = "first_to";
  learner["decoding"]["threshold"] = 5;
  const Played p = play(read_ok(kBandit, learner), 3);
  for (const StepRecord& s : p.steps)
    EXPECT_EQ(s.action, 0);
  learner["decoding"]["threshold"] = 1000000;  // never reached
  for (const StepRecord& s : play(read_ok(kBandit, learner), 2).steps)
    EXPECT_EQ(s.action, Task::no_action);
}

bool same(const std::vector<StepRecord>& a, const std::vector<StepRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].action != b[i].action || a[i].reward != b[i].reward) return false;
    for (std::size_t k = 0; k < a[i].measures.size(); ++k)
      if (!(a[i].measures[k] == b[i].measures[k]) &&
          !(std::isnan(a[i].measures[k]) && std::isnan(b[i].measures[k])))
        return false;
  }
  return true;
}

TEST(ClosedLoop, SameSessionForOneAndTwoThreadsAndWhenSplit) {
  const json net = noisy_network();
  const Loop l = read_ok(kBandit, toy_learner(net));
  const Played one = play(l, 12, 1), two = play(l, 12, 2), split = play(l, 12, 1, 3);
  EXPECT_TRUE(same(one.steps, two.steps));
  EXPECT_TRUE(same(one.steps, split.steps));
  int ones = 0;
  for (const StepRecord& s : one.steps)
    ones += s.action == 1;
  EXPECT_GT(ones, 0);  // the noise makes act_1 win some trials: the comparison is not empty
}

TEST(ClosedLoop, AgentAndNetworkFaceTheSameOutcomes) {
  const json task = {{"type", "bandit"},
                     {"params", {{"schedule", "fixed"}, {"initial_means", {0.5, 0.5}}}}};
  const Loop l = read_ok(task, toy_learner(toy_network(true)));
  const Played net = play(l, 60);
  auto bandit = l.task.make(11);
  agents::QLearningParams q;
  q.beta = 0.0;  // random choices: both arms are compared
  bandits::QLearningController agent(q, 3);
  std::vector<StepRecord> agent_steps;
  run_session(*bandit, agent, 60, [&](const StepRecord& s) { agent_steps.push_back(s); });
  int compared = 0;
  for (std::size_t i = 0; i < agent_steps.size(); ++i)
    if (agent_steps[i].action == net.steps[i].action) {
      EXPECT_EQ(agent_steps[i].reward, net.steps[i].reward) << "trial " << i;
      ++compared;
    }
  EXPECT_GT(compared, 10);
}

// A checkpoint between trials holds the network, the learner and the task:
// the session goes on from it exactly as without the pause.
TEST(ClosedLoop, CheckpointHoldsNetworkLearnerAndTask) {
  const json net = noisy_network();
  const json task = {{"type", "bandit"},
                     {"params", {{"schedule", "reversal"}, {"trials_per_block", 4}}}};
  const Loop l = read_ok(task, toy_learner(net));
  const auto record = [](std::vector<StepRecord>& into) {
    return [&into](const StepRecord& s) { into.push_back(s); };
  };
  auto sim = networks::build(*l.learner.network);
  SpikingLearner learner(*sim, l.learner.loop, 7);
  auto bandit = l.task.make(11);
  std::vector<StepRecord> before, straight, resumed;
  run_session(*bandit, learner, 6, record(before));
  std::stringstream checkpoint;
  learner.save(checkpoint);
  CheckpointWriter w(checkpoint);
  bandit->save(w);
  run_session(*bandit, learner, 6, record(straight));

  auto sim2 = networks::build(*l.learner.network, {.threads = 2});
  SpikingLearner learner2(*sim2, l.learner.loop, 7);
  auto bandit2 = l.task.make(11);
  learner2.load(checkpoint);
  CheckpointReader r(checkpoint);
  bandit2->load(r);
  run_session(*bandit2, learner2, 6, record(resumed));
  EXPECT_TRUE(same(straight, resumed));
  EXPECT_EQ(straight.front().trial, resumed.front().trial);
  EXPECT_EQ(resumed.front().trial, 6);
  EXPECT_EQ(straight.front().measures[0], resumed.front().measures[0]);  // same network time
}

std::vector<std::string> problems(const json& task, const json& learner) {
  networks::Diagnostics diag;
  read(task, learner, diag);
  std::vector<std::string> out;
  for (const auto& d : diag.items())
    out.push_back(d.pointer + ": " + d.message);
  return out;
}

bool reported(const std::vector<std::string>& p, const std::string& pointer,
              const std::string& words) {
  return std::any_of(p.begin(), p.end(), [&](const std::string& s) {
    return s.rfind(pointer + ": ", 0) == 0 && s.find(words) != std::string::npos;
  });
}

TEST(ClosedLoop, BadFilesAreRefusedAllAtOnceWithPointersAndHints) {
  json learner = toy_learner(toy_network());
  learner["decoding"]["populations"] = {"act_0", "act_2"};  // no such population
  learner["encoding"][0]["stimuli"] = {0};                  // stimulus 1 uncovered
  learner["encoding"][0]["inputs"][0]["target"] = "act_0";  // not a source
  learner["reward"][1] = {{"population", "usx"}, {"gain", 1}, {"duration_ms", 5}};
  learner["reward"].push_back({{"gain", 1}});    // neither volume nor population
  learner["decoding"]["window_ms"] = {50, 150};  // beyond the step
  learner["timing"]["reward_delay_ms"] = 500;    // after the outcome period
  const auto p = problems(kBandit, learner);
  EXPECT_TRUE(reported(p, "/learner/decoding/populations/1", "did you mean \"act_0\"")) << p.size();
  EXPECT_TRUE(reported(p, "/learner/encoding", "stimulus 1, which no encoding rule covers"));
  EXPECT_TRUE(reported(p, "/learner/encoding/0/inputs/0/target", "is a lif_psc_delta"));
  EXPECT_TRUE(reported(p, "/learner/reward/1/population", "did you mean \"us\""));
  EXPECT_TRUE(reported(p, "/learner/reward/2", "give exactly one target"));
  EXPECT_TRUE(reported(p, "/learner/decoding/window_ms", "overlap the next step"));
  EXPECT_TRUE(reported(p, "/learner/timing/reward_delay_ms", "within the outcome period"));
  EXPECT_EQ(p.size(), 7u);
  for (const auto& s : p)
    SCOPED_TRACE(s);

  json three = learner;
  three = toy_learner(toy_network());
  three["decoding"]["populations"] = {"act_0"};
  EXPECT_TRUE(reported(problems(kBandit, three), "/learner/decoding/populations", "2 actions"));
  three.erase("decoding");
  EXPECT_TRUE(reported(problems(kBandit, three), "/learner", "\"decoding\" must say"));
  EXPECT_TRUE(
      reported(problems({{"type", "bandid"}}, three), "/task/type", "did you mean \"bandit\""));

  json slow = toy_learner(toy_network());
  slow["network"]["projections"][0]["synapse"]["delay_ms"] = 150.0;  // longer than a step
  EXPECT_TRUE(reported(problems(kBandit, slow), "/learner/timing/step_ms",
                       "shorter than the network's shortest delay"));
  json copy = copy_learner(toy_network());
  copy["action_copy"]["targets"] = {"m_0", "act_1", 3};  // a LIF, a number, one too many
  copy["action_copy"].erase("duration_ms");
  const auto cp = problems(kBandit, copy);
  EXPECT_TRUE(reported(cp, "/learner/action_copy/targets/1", "is a lif_psc_delta"));
  EXPECT_TRUE(reported(cp, "/learner/action_copy/targets/2", "expected a population"));
  EXPECT_TRUE(reported(cp, "/learner/action_copy/targets", "2 actions"));
  EXPECT_TRUE(reported(cp, "/learner/action_copy/duration_ms", "duration > 0"));
  EXPECT_EQ(cp.size(), 4u);
  json feature = toy_learner(toy_network());
  feature["encoding"] = json::array(
      {{{"feature", "state"},
        {"inputs", json::array({{{"target", "cue"}, {"value", 5}, {"per_unit", -10}}})}}});
  EXPECT_TRUE(reported(problems({{"type", "track"}, {"params", {{"num_states", 3}}}}, feature),
                       "/learner/encoding/0/inputs/0/per_unit", "must stay >= 0"));
}

TEST(ClosedLoop, ExperimentFileRunsThroughTheRegistry) {
  json doc = {
      {"seed", 3},
      {"experiment",
       {{"kind", "closed_loop"},
        {"params", {{"trials", 3}, {"task", kBandit}, {"learner", toy_learner(toy_network())}}}}}};
  networks::Diagnostics diag;
  const ExperimentDescription exp = read_experiment_description(doc, diag);
  ASSERT_TRUE(diag.ok()) << diag.str();
  EXPECT_EQ(exp.kind, "closed_loop");
  EXPECT_EQ(exp.resolved["experiment"]["params"]["task"]["params"]["num_arms"], 2);
  doc["experiment"]["params"]["trials"] = 0;
  doc["experiment"]["params"]["extra"] = 1;
  networks::Diagnostics bad;
  read_experiment_description(doc, bad);
  EXPECT_EQ(bad.items().size(), 2u) << bad.str();
}

}  // namespace
}  // namespace bgsim::tasks::loop
