#pragma once
// Krausz et al. (2023, Neuron, "Dual credit assignment processes underlie
// dopamine signals in a complex spatial environment") simulated with the
// dual-process grid agent (Priestley et al., "Dopamine ramps as a normative
// consequence of dual process control", Fig. 6; reference code
// github.com/lpriestley/dopamine_ramps, experiments.py: krausz_grid).
//
// A 10 × 10 grid, goal (0, 0), rewarded with probability p = 0.5 on each
// trial. A Dual grid agent (α = 0.01, α_MB = 0.1, γ = 0.85, k = 0.5, initial
// R = 0) runs 500 training trials that alternate between starts (9, 0)
// (policy: straight up) and (0, 9) (straight left). Then three test trials:
// an omission from (9, 0), a reward from (0, 9), and a probabilistic trial
// from (9, 0). One learned R(goal) serves every path, so a reward on one trial
// raises V_MB, and with it the ramp of δ, on the next trial, even along the
// other path: the ramp of trial 3 (after a reward) lies above that of trial 2
// (after an omission).

#include <cstdint>
#include <vector>

#include <Eigen/Dense>

#include "tasks/ramps/episode.hpp"

namespace bgsim::tasks::ramps {

struct GridCell {
  int row = 0;  // [cell]
  int col = 0;  // [cell]
};

struct KrauszGridConfig {
  int rows = 10;                // grid height [cells]
  int cols = 10;                // grid width [cells]
  GridCell goal = {0, 0};       // goal cell [cell]
  double p_reward = 0.5;        // probability that a trial is rewarded [dimensionless]
  double reward = 1.0;          // reward when delivered [reward units]
  int training_episodes = 500;  // alternating training trials [episodes]
  GridCell start_a = {9, 0};    // start of even trials and of test trials 1 and 3 [cell]
  GridCell start_b = {0, 9};    // start of odd trials and of test trial 2 [cell]
  double alpha = 0.01;          // model-free learning rate α [dimensionless]
  double alpha_mb = 0.1;        // learning rate of the reward model [dimensionless]
  double gamma = 0.85;          // discount per step γ [dimensionless]
  double k = 0.5;               // weight of V_MB in V_NET [dimensionless]
  double initial_reward = 0.0;  // initial R(s) [reward units]
  std::uint64_t seed = 18;      // seed of the grid's reward draws [—]
  int max_steps = 100;          // step limit of an episode [steps]
};

void validate(const KrauszGridConfig& c);

struct KrauszGridResult {
  std::vector<EpisodeTrace> training;    // the training trials
  std::vector<double> training_outcome;  // reward delivered on each training trial
  // Mean approach δ (terminal dropped) of training trials after a rewarded / an
  // omitted trial; the previous trial always started from the other corner.
  double training_ramp_after_reward = 0.0;
  double training_ramp_after_omission = 0.0;
  EpisodeTrace omission_trial;          // test 1: from start_a, p = 0
  EpisodeTrace reward_trial;            // test 2: from start_b, p = 1
  EpisodeTrace probe_trial;             // test 3: from start_a, p as configured
  Eigen::MatrixXd v_mb_after_omission;  // V_MB map after test 1
  Eigen::MatrixXd v_mb_after_reward;    // V_MB map after test 2
  double ramp_after_omission = 0.0;     // mean approach δ of test 2 (follows the omission)
  double ramp_after_reward = 0.0;       // mean approach δ of test 3 (follows the reward)
};

KrauszGridResult run_krausz_grid(const KrauszGridConfig& config = {});

}  // namespace bgsim::tasks::ramps
