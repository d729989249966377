#pragma once
// The probabilistic selection task (Frank, Seeberger & O'Reilly 2004, "By carrot
// or by stick: cognitive reinforcement learning in parkinsonism", Science
// 306:1940–1943).
//
// Six stimuli A–F in three training pairs; choosing a stimulus is rewarded with
// its own probability:
//   AB: A 80 %, B 20 %    CD: C 70 %, D 30 %    EF: E 60 %, F 40 %.
// Training: blocks of 60 trials (each pair 20 times, in shuffled order) with
// feedback. With `use_criterion` training stops after the first block in which
// accuracy (choosing A, C, E) reaches AB ≥ 65 %, CD ≥ 60 %, EF ≥ 50 %, or after
// `max_training_blocks` (Frank et al. 2004); without it all blocks are run.
// Test: all 15 pairs, each `test_repeats` times in shuffled order, without
// feedback. Choose-A = accuracy choosing A on novel pairs with A (AC, AD, AE,
// AF); avoid-B = accuracy avoiding B on novel pairs with B (BC, BD, BE, BF).
//
// Task interface: one trial is one step. The discrete state is the pair shown
// (0 = AB, 1 = CD, 2 = EF for training, 3–14 the novel pairs, see pair()); the
// action is the chosen stimulus (0–5 = A–F), which must be one of the two shown.
// reset() opens the trial (trial_start, stimulus_on for both stimuli,
// action_request; TaskStep::choices holds the two); step(stimulus) closes it
// (reward in training, stimulus_off, trial_end, terminal). Task::no_action
// (a spiking learner that chose nothing) closes the trial without feedback
// and counts as not choosing A, C or E; the trial's draw is made all the same.

#include <array>
#include <cstdint>
#include <random>
#include <string_view>
#include <utility>
#include <vector>

#include "tasks/task.hpp"

namespace bgsim::tasks {

enum class SelectionPhase : std::uint8_t { training, test, done };

struct ProbabilisticSelectionParams {
  std::array<double, 6> reward_probability = {0.8, 0.2, 0.7, 0.3, 0.6, 0.4};  // A–F [probability]
  int trials_per_block = 60;    // training block length, a multiple of 3 [trials]
  int max_training_blocks = 6;  // training blocks at most (≥ 1) [blocks]
  bool use_criterion = true;    // stop training once a block meets the accuracy criteria
  std::array<double, 3> criterion = {0.65, 0.60, 0.50};  // AB, CD, EF accuracy to stop [fraction]
  int test_repeats = 6;      // presentations of each of the 15 pairs at test (≥ 1) [trials]
  double reward_win = 1.0;   // feedback for a rewarded choice [reward units]
  double reward_loss = 0.0;  // feedback for an unrewarded choice [reward units]
  double trial_ms = 1000.0;  // duration of one trial (> 0) [ms]
};

// Throws std::invalid_argument naming the first bad field, its value and what is allowed.
void validate(const ProbabilisticSelectionParams& params);

class ProbabilisticSelectionTask final : public Task {
 public:
  static constexpr int kNumStimuli = 6;
  static constexpr int kNumPairs = 15;

  ProbabilisticSelectionTask(const ProbabilisticSelectionParams& params, std::uint64_t seed);

  std::string_view name() const override { return "probabilistic_selection"; }
  int num_states() const override { return kNumPairs; }
  int num_actions() const override { return kNumStimuli; }
  double step_ms() const override { return params_.trial_ms; }
  TaskStep reset() override;
  TaskStep step(int stimulus) override;

  const ProbabilisticSelectionParams& params() const { return params_; }
  // The two stimuli of pair `index` (0 = AB, 1 = CD, 2 = EF, then the novel pairs
  // in lexicographic order: AC, AD, AE, AF, BC, BD, BE, BF, CE, CF, DE, DF).
  static std::pair<int, int> pair(int index);
  // Phase of the next trial reset() will open (done: the session is over).
  SelectionPhase phase() const { return phase_; }
  bool finished() const override { return phase_ == SelectionPhase::done; }
  // The trial opened by the last reset().
  SelectionPhase trial_phase() const { return trial_phase_; }
  int current_pair() const { return current_pair_; }
  std::pair<int, int> offered() const { return pair(current_pair_); }
  int training_blocks_run() const { return blocks_run_; }

 private:
  void plan_training_block();
  void plan_test();
  void close_training_block();

  ProbabilisticSelectionParams params_;
  std::mt19937_64 rng_;
  SelectionPhase phase_ = SelectionPhase::training;
  SelectionPhase trial_phase_ = SelectionPhase::training;
  std::vector<int> plan_;  // pairs of the current block or of the test, in order
  std::size_t next_ = 0;   // position in plan_
  int current_pair_ = -1;
  bool open_ = false;
  int blocks_run_ = 0;
  std::array<int, 3> block_correct_{};
  std::array<int, 3> block_trials_{};
  std::int64_t trial_ = -1;
};

}  // namespace bgsim::tasks
