#pragma once
// The n-armed bandit: one choice per trial among n arms, each paying a reward
// drawn from its own distribution, whose means change over the session in blocks
// (fresh draws or reversals) or by a slow random walk.
//
//   outcome   Bernoulli:  r = 1 with probability μ_a, else 0
//             Gaussian:   r ~ N(μ_a, σ_r²)
//   schedule  fixed         μ = initial_means throughout
//             complementary two arms; at each block start μ_0 is drawn uniformly from
//                           block_options and μ_1 = 1 − μ_0 (the two-armed task of the
//                           t-RNN baselines: blocks of 100 trials, μ_0 ∈ {0.1, 0.5, 0.9};
//                           utils.create_reward_probs)
//             reversal      μ = initial_means, rotated by one arm at every block start
//                           (two arms: swapped)
//             drifting      μ_a ← μ_a + N(0, drift_sd²) after every trial, reflected
//                           into [drift_lower, drift_upper]
//
// Same seed, same session: the task draws, on every trial and in a fixed order,
// the drift (after the first trial), the block means (at a block start) and one
// outcome for *every* arm, from the trial's own counter-based stream (Philox
// keyed by (seed, Purpose::task, 0, trial): a checkpoint holds no generator).
// What the controller chooses only selects which of the prepared outcomes it
// receives, so two controllers given the same task seed face the identical
// sequence of means and outcomes.
//
// One trial is two steps of the Task interface: reset() opens the trial
// (trial_start, stimulus_on for each arm, action_request) and step(a) closes it
// (reward on channel a, stimulus_off, trial_end, terminal). There is a single
// discrete state, 0. step(no_action) closes the trial unrewarded (no reward
// event): a controller that did not choose gets nothing.

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/random.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks {

enum class BanditOutcome : std::uint8_t { bernoulli, gaussian };
enum class BanditSchedule : std::uint8_t { fixed, complementary, reversal, drifting };

struct BanditParams {
  int num_arms = 2;                                  // number of arms n ≥ 2 [dimensionless]
  BanditOutcome outcome = BanditOutcome::bernoulli;  // outcome distribution
  BanditSchedule schedule = BanditSchedule::complementary;  // how the means change
  int trials_per_block = 100;                               // block length ≥ 1 [trials]
  std::vector<double> block_options = {0.1, 0.5,
                                       0.9};  // complementary: values of μ_0 [reward prob.]
  std::vector<double> initial_means = {
      0.5, 0.5};             // fixed/reversal/drifting: μ at trial 0, one per arm [reward units]
  double outcome_sd = 1.0;   // Gaussian outcomes: σ_r ≥ 0 [reward units]
  double drift_sd = 0.025;   // drifting: random-walk step σ ≥ 0 per trial [reward units]
  double drift_lower = 0.0;  // drifting: lower reflecting bound [reward units]
  double drift_upper = 1.0;  // drifting: upper reflecting bound [reward units]
  double trial_ms = 1000.0;  // duration of one trial (> 0) [ms]
};

// Throws std::invalid_argument naming the first bad field, its value and what is allowed.
void validate(const BanditParams& params);

class BanditTask final : public Task {
 public:
  BanditTask(const BanditParams& params, std::uint64_t seed);

  std::string_view name() const override { return "bandit"; }
  int num_states() const override { return 1; }
  int num_actions() const override { return params_.num_arms; }
  // A trial is one decision: half the trial before the choice, half after.
  double step_ms() const override { return params_.trial_ms / 2.0; }
  TaskStep reset() override;
  TaskStep step(int action) override;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

  const BanditParams& params() const { return params_; }
  // Trial index of the trial opened by the last reset() (−1 before the first).
  std::int64_t trial() const { return trial_; }
  // Block index of that trial, and whether it is the block's first trial.
  std::int64_t block() const { return trial_ < 0 ? -1 : trial_ / params_.trials_per_block; }
  bool block_start() const { return trial_ >= 0 && trial_ % params_.trials_per_block == 0; }
  // Mean outcome μ_a of each arm on the current trial (reward probability for Bernoulli).
  const std::vector<double>& means() const { return means_; }
  // The arm with the largest mean on the current trial (first maximum).
  int best_arm() const;
  int best_action() const override { return best_arm(); }

 private:
  void begin_block(RandomStream& rng);
  void draw_outcomes(RandomStream& rng);
  void drift(RandomStream& rng);

  BanditParams params_;
  std::uint64_t seed_;
  std::vector<double> means_;
  std::vector<double> outcomes_;  // this trial's prepared outcome of every arm
  std::int64_t trial_ = -1;
  bool open_ = false;  // a trial is waiting for step()
};

}  // namespace bgsim::tasks
