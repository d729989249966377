#pragma once
// The two-armed bandit experiment of experiments.md §4 and its parameter recovery
// (the synthetic data set of the t-RNN study; public code
// yoavger/harnessing_the_flexibility_of_nn_to_predict_dynamical, artificial/code:
// utils.py, q_sim.py, q_sim_rw.py, q_fit.py, create_train_data.ipynb).
//
// Task: 1000 trials in blocks of 100; at each block start p(reward | arm 0) is
// drawn from {0.1, 0.5, 0.9} and arm 1 pays with 1 − p (tasks/environments/bandit.hpp).
// Simulated subject: Q-learning, Q ← 0 at each block start,
//   P(a) = softmax(β·Q)[a],   Q[a] ← Q[a] + α·(r − Q[a]),
// with α ~ U(0, 1), β ~ U(0, 10) for a population. Its parameters may be
//   fixed     constant over the session,
//   switching (q_sim.py) after more than 100 trials since its last change, each
//             parameter is redrawn from its prior with probability 0.005 per trial,
//             at most `max_switches` times (the reference draws 2, 3 or 4),
//   drifting  (q_sim_rw.py) logit α and log β take Gaussian random-walk steps each
//             trial, α = 1/(1 + e^(−x_α)), β = min(e^(x_β), 10).
// Recovery: maximum likelihood of (α, β) in [0, 1] × [0, 10] per subject
// (tasks/fit/q_learning_fit.hpp), and the Pearson correlation of true and
// recovered values over the population, as the reference notebook reports.
//
// Randomness: the task has its own stream (task seed); the subject has two, one
// for its choices (the agent's) and one for its parameter process, both derived
// from the subject seed.

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "models/agents/choice_likelihood.hpp"
#include "tasks/environments/bandit.hpp"
#include "tasks/fit/q_learning_fit.hpp"

namespace bgsim::tasks::bandits {

enum class ParameterProcess : std::uint8_t { fixed, switching, drifting };

struct BanditSubject {
  double alpha = 0.3;  // learning rate α at trial 0 [dimensionless]
  double beta = 5.0;   // inverse temperature β at trial 0 [1/reward units]
  ParameterProcess process = ParameterProcess::fixed;  // how α and β evolve
  double switch_probability = 0.005;  // switching: chance per trial of a redraw [probability]
  int min_trials_between_switches =
      100;  // switching: trials since the last change before a redraw may happen [trials]
  int max_switches = 3;  // switching: redraws per parameter at most [count]
  std::array<double, 2> drift_sd = {
      0.05, 0.05};               // drifting: per-trial step of logit α and log β [dimensionless]
  bool reset_each_block = true;  // Q ← 0 at every block start, as the reference
};

struct TwoArmedBanditConfig {
  BanditParams task;      // the bandit (default: complementary blocks of 100 trials)
  int num_trials = 1000;  // trials in the session [trials]
  BanditSubject subject;  // the simulated learner
};

// Per-trial trace of one session (in memory). Q values are after the trial's update.
struct BanditTrace {
  int num_arms = 2;
  std::vector<int> block;        // block index
  std::vector<int> action;       // chosen arm
  std::vector<double> reward;    // outcome [reward units]
  std::vector<double> p_choice;  // probability the policy gave the chosen arm
  std::vector<double> q;         // Q after the update, [trial][arm]
  std::vector<double> delta;     // prediction error r − Q[a] [reward units]
  std::vector<double> alpha;     // α in force on the trial
  std::vector<double> beta;      // β in force on the trial
  std::vector<double> mean;      // the task's arm means on the trial, [trial][arm]

  std::size_t size() const { return action.size(); }
  double q_at(std::size_t trial, int arm) const { return q[trial * num_arms + arm]; }
  // The choices and outcomes, ready for fitting.
  agents::choice::ChoiceData choices() const;
};

BanditTrace run_two_armed_bandit(const TwoArmedBanditConfig& config, std::uint64_t task_seed,
                                 std::uint64_t subject_seed);

struct RecoveryConfig {
  TwoArmedBanditConfig bandit;  // session design; subject.alpha/beta are drawn per subject
  int num_subjects = 2000;      // population size [subjects]
  std::array<double, 2> alpha_range = {0.0, 1.0};  // α ~ U(range) [dimensionless]
  std::array<double, 2> beta_range = {0.0, 10.0};  // β ~ U(range) [1/reward units]
  bool fit = true;  // run the maximum-likelihood fit (false: simulate only)
  fit::QLearningFitOptions fit_options;
};

struct RecoveryResult {
  std::vector<double> true_alpha, true_beta;      // at trial 0
  std::vector<double> fitted_alpha, fitted_beta;  // empty if !fit
  std::vector<double> negative_log_likelihood;    // empty if !fit
  std::int64_t trials_simulated = 0;
  double alpha_correlation = 0.0;  // Pearson r(true, fitted) for α (0 if !fit)
  double beta_correlation = 0.0;   // Pearson r(true, fitted) for β (0 if !fit)
};

// Draws the population from `seed`, simulates each subject with its own task and
// subject seeds, and fits each one.
RecoveryResult run_parameter_recovery(const RecoveryConfig& config, std::uint64_t seed);

// Pearson correlation of two equally long series (0 when either is constant).
double pearson(const std::vector<double>& x, const std::vector<double>& y);

// Uniform in [0, 1) from the top 53 bits of one draw: the same on every
// standard library (std::uniform_real_distribution is not).
double uniform01(std::mt19937_64& rng);

// A well-mixed 64-bit seed derived from (seed, stream) (SplitMix64 finaliser).
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

}  // namespace bgsim::tasks::bandits
