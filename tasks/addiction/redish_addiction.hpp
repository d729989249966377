#pragma once
// Redish (2004) addiction and its average-reward variant (Dezfouli et al. 2009) on
// the one-state, two-action addiction task (experiments.md §3).
//
// Setup, after the public dual-process addiction project (George-Grainger/
// addiction-simulation-env, main.ipynb run_learning): natural action rewards
// N(5, 0.02²), drug action N(2, 0.02²) plus the drug; ε-greedy Q-learning with
// ε from 0.25, decay 0.99 compounding per episode (ε ← ε·0.99^(e+1)) with floor
// 1e−4, γ = 0.75, learning rate 0.6, 40 episodes × 200 steps, 10 repetitions,
// drug dopamine D = 15 (the project's default), and for the average-reward
// variant σ = 0.005, λ = 0.0003, κ_max = 3. Learning never stops at an
// episode's end (the task is continuing; episodes only pace ε).
//
// Models:
//   redish          δ = r + γ max Q(s') − Q(s,a); drug: max(δ + D, D)
//   average_reward  Dezfouli's δ with ρ and κ (models/agents/addiction.hpp)
//   compensable     control: the drug's D is an ordinary reward, δ = r + D + γ max Q(s') − Q(s,a)

#include <cstdint>
#include <vector>

#include "tasks/environments/addiction.hpp"

namespace bgsim::tasks::addiction {

enum class AddictionModel : std::uint8_t { redish, average_reward, compensable };

struct RedishExperimentConfig {
  AddictionTaskParams task;  // default: natural N(5, .02²), drug N(2, .02²), 40 × 200
  AddictionModel model = AddictionModel::redish;  // learning rule
  double learning_rate = 0.6;                     // α [dimensionless]
  double gamma = 0.75;                            // γ (redish, compensable) [dimensionless]
  double epsilon = 0.25;                          // initial ε [dimensionless]
  double epsilon_decay = 0.99;                    // d of ε ← ε·d^(e+1) [dimensionless]
  double epsilon_min = 1e-4;                      // ε floor [dimensionless]
  double drug_dopamine = 15.0;                    // D [reward units]
  double reward_rate_step = 0.005;                // σ (average_reward) [dimensionless]
  double tolerance_rate = 0.0003;                 // λ (average_reward) [dimensionless]
  double tolerance_limit = 3.0;                   // κ_max (average_reward) [reward units]
  int repetitions = 10;                           // independent runs [runs]
  bool keep_steps = true;                         // keep the per-step trace of every run
};

// One step of one run. Values are before (value) and after (q_*) the update.
struct AddictionStep {
  int run = 0;
  std::int64_t episode = 0;
  int step = 0;                 // step within the episode, from 1
  int action = 0;               // 0 natural, 1 drug
  double reward = 0.0;          // r [reward units]
  bool drug = false;            // the reward carried the drug
  double value = 0.0;           // Q(s, a) before the update
  double delta = 0.0;           // δ
  double q_natural = 0.0;       // Q(s, natural) after the update
  double q_drug = 0.0;          // Q(s, drug) after the update
  double epsilon = 0.0;         // ε in force
  double average_reward = 0.0;  // ρ before the step (average_reward model)
  double tolerance = 0.0;       // κ before the step (average_reward model)
};

struct AddictionRun {
  double q_natural = 0.0;                   // final Q(s, natural)
  double q_drug = 0.0;                      // final Q(s, drug)
  int greedy_action = 0;                    // final greedy policy (first maximum)
  double drug_fraction_last_episode = 0.0;  // drug choices in the last episode
  int drug_steps = 0;                       // steps on which the drug was taken
  // Smallest increment ΔQ(drug) − α·floor over all drug steps, floor = D (redish),
  // D − κ − ρ (average_reward) or unbounded (compensable: +inf). ≥ 0 up to rounding.
  double min_increment_over_floor = 0.0;
};

struct RedishExperimentResult {
  std::vector<AddictionRun> runs;
  std::vector<AddictionStep> steps;  // empty unless keep_steps
  int runs_preferring_drug = 0;      // runs whose final greedy action is the drug
};

RedishExperimentResult run_redish_experiment(const RedishExperimentConfig& config,
                                             std::uint64_t seed);

}  // namespace bgsim::tasks::addiction
