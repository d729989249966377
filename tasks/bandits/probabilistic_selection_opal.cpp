#include "tasks/bandits/probabilistic_selection_opal.hpp"

#include <array>
#include <limits>
#include <stdexcept>
#include <string>

#include "tasks/bandits/opal_controller.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/loop/session.hpp"

namespace bgsim::tasks::bandits {

SelectionOpalResult run_selection_opal(const SelectionOpalConfig& config, std::uint64_t seed) {
  if (config.subjects < 1) {
    throw std::invalid_argument(
        "SelectionOpalConfig.subjects = " + std::to_string(config.subjects) + ": must be >= 1");
  }
  if (config.rho_levels.empty()) {
    throw std::invalid_argument("SelectionOpalConfig.rho_levels is empty: give at least one ρ");
  }
  constexpr int kA = 0, kB = 1;
  SelectionOpalResult result;
  for (std::size_t level = 0; level < config.rho_levels.size(); ++level) {
    SelectionLevelSummary summary;
    summary.rho = config.rho_levels[level];
    summary.go.assign(ProbabilisticSelectionTask::kNumStimuli, 0.0);
    summary.nogo.assign(ProbabilisticSelectionTask::kNumStimuli, 0.0);
    int a_trials = 0, a_correct = 0, b_trials = 0, b_correct = 0;
    double a_probability = 0.0, b_probability = 0.0;
    int last_block_trials = 0, last_block_correct = 0;

    for (int subject = 0; subject < config.subjects; ++subject) {
      // The same subject seeds at every level: the levels differ only in ρ.
      const auto id = static_cast<std::uint64_t>(subject);
      ProbabilisticSelectionTask task(config.task, derive_seed(seed, 2 * id));
      agents::OpalParams op = config.opal;
      op.num_states = ProbabilisticSelectionTask::kNumPairs;
      op.num_actions = ProbabilisticSelectionTask::kNumStimuli;
      op.rho = summary.rho;
      OpalController learner(op, derive_seed(seed, 2 * id + 1));

      int block_trials = 0, block_correct = 0, blocks_seen = 0;
      // Training blocks completed before the trial just run (the count as it
      // stood at its reset()).
      int blocks_before = task.training_blocks_run();
      const auto record = [&](const loop::StepRecord& step) {
        const auto [first, second] = task.offered();
        SelectionTrial row;
        row.level = static_cast<int>(level);
        row.subject = subject;
        row.pair = step.state;
        row.choice = step.action;
        row.act_first = step.measures[0];
        row.act_second = step.measures[1];
        if (task.trial_phase() == SelectionPhase::training) {
          row.reward = step.reward;
          row.value = step.measures[4];
          row.delta = step.delta;
          if (blocks_before != blocks_seen) {
            block_trials = block_correct = 0;
            blocks_seen = blocks_before;
          }
          ++block_trials;
          block_correct += row.choice == first ? 1 : 0;
        } else {
          row.test = true;
          // Novel pairs with A (AC…AF) and with B (BC…BF); A and B are never paired at test
          // in these sums because AB is a training pair.
          if (step.state >= 3 && first == kA) {
            ++a_trials;
            a_correct += row.choice == kA ? 1 : 0;
            a_probability += step.measures[2];
          } else if (step.state >= 3 && first == kB) {
            ++b_trials;
            b_correct += row.choice != kB ? 1 : 0;
            b_probability += step.measures[3];
          }
        }
        if (config.keep_trials) result.trials.push_back(row);
        blocks_before = task.training_blocks_run();
      };
      // The task ends the session itself (training blocks, then the test).
      loop::run_session(task, learner, std::numeric_limits<std::int64_t>::max(), record);
      const agents::OpalAgent& agent = learner.agent();
      last_block_trials += block_trials;
      last_block_correct += block_correct;
      for (int s = 0; s < ProbabilisticSelectionTask::kNumStimuli; ++s) {
        summary.go[s] += agent.go(s) / config.subjects;
        summary.nogo[s] += agent.nogo(s) / config.subjects;
      }
    }
    summary.choose_a = static_cast<double>(a_correct) / a_trials;
    summary.avoid_b = static_cast<double>(b_correct) / b_trials;
    summary.choose_a_probability = a_probability / a_trials;
    summary.avoid_b_probability = b_probability / b_trials;
    summary.training_accuracy = static_cast<double>(last_block_correct) / last_block_trials;
    result.levels.push_back(summary);
  }
  return result;
}

}  // namespace bgsim::tasks::bandits
