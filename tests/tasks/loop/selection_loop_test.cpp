// The probabilistic selection task in the closed loop: a trial offers two
// stimuli (TaskStep::choices), a spiking learner's decoding lets only those
// compete, a trial without a choice gets no feedback but keeps the sequence,
// OpAL plays through the same runner, and the summary holds choose-A and
// avoid-B (tasks/loop/selection_score.hpp).

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "../bandits/ready_experiment_support.hpp"
#include "selection_chooser.hpp"
#include "tasks/environments/probabilistic_selection.hpp"

namespace bgsim::tasks::test {
namespace {

ProbabilisticSelectionParams short_session() {
  ProbabilisticSelectionParams p;
  p.use_criterion = false;
  p.max_training_blocks = 2;
  p.test_repeats = 2;
  return p;
}

// Whatever the learner chooses — or if it chooses nothing — the trials,
// their order and their draws are the same.
TEST(SelectionInTheLoop, ATrialWithoutAChoiceKeepsTheSequenceAndGivesNoFeedback) {
  ProbabilisticSelectionTask chooses(short_session(), 9), silent(short_session(), 9);
  int without_feedback = 0;
  while (!chooses.finished()) {
    const TaskStep a = chooses.reset(), b = silent.reset();
    ASSERT_EQ(a.state, b.state);
    ASSERT_EQ(a.choices.size(), 2u);
    const auto [first, second] = ProbabilisticSelectionTask::pair(a.state);
    EXPECT_EQ(a.choices, (std::vector<int>{first, second}));
    chooses.step(first);
    const TaskStep none = silent.step(Task::no_action);
    EXPECT_EQ(none.reward, 0.0);
    for (const TaskEvent& e : none.events)
      EXPECT_NE(e.kind, EventKind::reward);
    ++without_feedback;
  }
  EXPECT_TRUE(silent.finished());
  EXPECT_EQ(without_feedback, 2 * 60 + 15 * 2);
}

// Six action populations fire at fixed rates, the last far faster than the
// others: it wins only on trials that offer F; on every other trial the
// choice is one of the two stimuli shown.
TEST(SelectionInTheLoop, OnlyTheOfferedActionsCompete) {
  const SelectionChooser chooser = selection_chooser({40, 40, 40, 40, 40, 500}, 20);
  const nlohmann::json doc = {
      {"name", "selection_choices"},
      {"seed", 4},
      {"experiment",
       {{"kind", "closed_loop"},
        {"params",
         {{"trials", 150},
          {"task",
           {{"type", "probabilistic_selection"},
            {"params", {{"max_training_blocks", 2}, {"test_repeats", 2}}}}},
          {"learner",
           {{"network", chooser.network},
            {"timing", {{"step_ms", 100}, {"outcome_ms", 50}}},
            {"encoding", chooser.encoding},
            {"decoding", {{"rule", "most_spikes"}, {"populations", chooser.actions}}},
            {"reward", {{{"population", "s0"}, {"gain", 1}, {"duration_ms", 10}}}}}}}}}}};
  ScratchFolder dir;
  const nlohmann::json s = run_description(doc, dir.path());
  EXPECT_EQ(s["trials"].get<int>(), 150);
  std::ifstream in(dir / "steps.csv");
  std::string line;
  std::getline(in, line);
  int rows = 0, chose_f = 0;
  while (std::getline(in, line)) {
    std::stringstream fields(line);
    std::string trial, step, state, action;
    std::getline(fields, trial, ',');
    std::getline(fields, step, ',');
    std::getline(fields, state, ',');
    std::getline(fields, action, ',');
    const auto [first, second] = ProbabilisticSelectionTask::pair(std::stoi(state));
    const int chosen = std::stoi(action);
    EXPECT_TRUE(chosen == first || chosen == second) << line;
    if (second == 5) {
      EXPECT_EQ(chosen, 5) << line;
    }
    chose_f += chosen == 5;
    ++rows;
  }
  EXPECT_EQ(rows, 150);
  EXPECT_GT(chose_f, 10);
  // The summary scores the test: A is never chosen against F ...
  EXPECT_TRUE(s["selection"]["choose_a"].is_number());
  EXPECT_EQ(s["selection"]["training_accuracy_by_block"].size(), 2u);
}

// OpAL through the runner, with the constants of
// tasks/experiments/probabilistic_selection_opal.json: with high dopamine
// (rho 0.8) it learns the training pairs and chooses A more than it avoids B;
// with low dopamine (rho -0.8) the other way (Collins & Frank 2014), in the
// mean over 100 seeds (that file's 200 subjects: +0.098 and -0.048).
TEST(SelectionInTheLoop, OpalPlaysThroughTheRunnerAndItsBiasFollowsDopamine) {
  double high = 0, low = 0;
  const int seeds = 100;
  for (int seed = 1; seed <= seeds; ++seed) {
    for (double rho : {0.8, -0.8}) {
      const nlohmann::json doc = {
          {"name", "opal_loop"},
          {"seed", seed},
          {"experiment",
           {{"kind", "closed_loop"},
            {"params",
             {{"trials", 1000},
              {"task", {{"type", "probabilistic_selection"}, {"params", nlohmann::json::object()}}},
              {"learner",
               {{"agent", "opal"},
                {"params",
                 {{"alpha_critic", 0.2},
                  {"alpha_go", 0.1},
                  {"alpha_nogo", 0.1},
                  {"beta", 1},
                  {"rho", rho}}}}}}}}}};
      ScratchFolder dir;
      const nlohmann::json s = run_description(doc, dir.path());
      EXPECT_EQ(s["trials"].get<int>(), 6 * 60 + 15 * 6);  // the task ends the session
      const double d = s["selection"]["choose_a_minus_avoid_b"].get<double>();
      (rho > 0 ? high : low) += d / seeds;
      if (rho > 0) {
        EXPECT_GT(s["selection"]["training_accuracy_by_block"].back()["AB"].get<double>(), 0.6);
      }
    }
  }
  EXPECT_GT(high, 0.0);
  EXPECT_LT(low, 0.0);
}

}  // namespace
}  // namespace bgsim::tasks::test
