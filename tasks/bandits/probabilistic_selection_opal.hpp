#pragma once
// OpAL on the probabilistic selection task at three dopamine levels
// (experiments.md §4; Frank et al. 2004; Collins & Frank 2014).
//
// Each simulated subject is a fresh OpalAgent (critic over the three training
// pairs' states, Go/NoGo weights per stimulus) that trains with feedback and is
// then tested on all 15 pairs without feedback (tasks/environments/probabilistic_selection.hpp).
// The dopamine level ρ sets β_G = β(1 + ρ) and β_N = β(1 − ρ) for the whole
// session. The published effect: high dopamine (ρ > 0, "on medication") makes
// choices lean on the Go weights, so the subject is better at choosing A than at
// avoiding B; low dopamine (ρ < 0, "off medication") leans on the NoGo weights
// and reverses the difference; choose-A − avoid-B changes sign with ρ.
//
// Default parameters are bgsim's choice (Collins & Frank 2014 do not fix one set
// for this task): α_c = 0.2, α_G = α_N = 0.1, β = 1, rewards 1/0, six training
// blocks of 60 trials without early stopping, 6 presentations of each test
// pair, ρ ∈ {−0.8, 0, +0.8}.

#include <cstdint>
#include <vector>

#include "models/agents/opal.hpp"
#include "tasks/environments/probabilistic_selection.hpp"

namespace bgsim::tasks::bandits {

struct SelectionOpalConfig {
  ProbabilisticSelectionParams task = [] {
    ProbabilisticSelectionParams p;
    p.use_criterion = false;
    return p;
  }();  // the task (six full training blocks)
  agents::OpalParams opal = [] {
    agents::OpalParams p;
    p.alpha_critic = 0.2;
    p.alpha_go = 0.1;
    p.alpha_nogo = 0.1;
    p.beta = 1.0;
    return p;
  }();  // learner; num_states/num_actions/rho are set per run
  std::vector<double> rho_levels = {-0.8, 0.0, 0.8};  // dopamine levels ρ [dimensionless]
  int subjects = 100;                                 // simulated subjects per level [subjects]
  bool keep_trials = true;                            // keep the per-trial trace
};

// One trial of one subject.
struct SelectionTrial {
  int level = 0;  // index into rho_levels
  int subject = 0;
  bool test = false;        // test phase (no feedback)
  int pair = 0;             // ProbabilisticSelectionTask::pair index
  int choice = 0;           // chosen stimulus, 0–5 = A–F
  double reward = 0.0;      // feedback (0 at test) [reward units]
  double value = 0.0;       // V(pair) before the update (training) [reward units]
  double delta = 0.0;       // δ = r − V(pair) (0 at test) [reward units]
  double act_first = 0.0;   // Act of the pair's first stimulus
  double act_second = 0.0;  // Act of the pair's second stimulus
};

struct SelectionLevelSummary {
  double rho = 0.0;
  double choose_a = 0.0;            // accuracy choosing A on AC, AD, AE, AF (test choices)
  double avoid_b = 0.0;             // accuracy avoiding B on BC, BD, BE, BF (test choices)
  double choose_a_probability = 0;  // the same from the policy's probabilities (less noisy)
  double avoid_b_probability = 0;
  double training_accuracy = 0.0;  // last training block: choosing A, C, E
  std::vector<double> go;          // mean final G per stimulus A–F
  std::vector<double> nogo;        // mean final N per stimulus A–F
};

struct SelectionOpalResult {
  std::vector<SelectionLevelSummary> levels;
  std::vector<SelectionTrial> trials;  // empty unless keep_trials
};

SelectionOpalResult run_selection_opal(const SelectionOpalConfig& config, std::uint64_t seed);

}  // namespace bgsim::tasks::bandits
