#pragma once
// The dual-process demo and the comparison of architectures (Priestley et
// al., "Dopamine ramps as a normative consequence of dual process control",
// Fig. 1; reference code github.com/lpriestley/dopamine_ramps, experiments.py:
// dual_process_demo, compare_architectures).
//
// Demo: a linear track of n = 20 states, reward 1 on the step from the goal.
// A Dual agent (initial R = 1, so V_MB is right from the start) and a TD agent
// (γ = 0.85, α = 0.01) are each trained until an episode's mean δ rounds to
// 0.00 (|mean δ| < 0.005, NumPy's mean), at most 10 000 episodes. Published:
// Dual converges after 624 episodes, TD after 1510. On episode 0 Dual's δ is
// k γ^{d(s)} R on every non-terminal step (a ramp from the first trial) while
// TD's is 0 except 1.0 at the goal. The figure shows δ at 5 %, 50 % and 85 %
// of training and the values (V_TD, V_MB, V_NET) after the 5 % episode.
//
// Compare architectures: n = 10, 5000 episodes, γ = 0.93; normative dual,
// naive dual and TD side by side; value error per episode
// e = mean_s (γ^{n−1−s} − V_TD(s)). The normative dual process converges fastest.

#include <vector>

#include "tasks/ramps/episode.hpp"

namespace bgsim::tasks::ramps {

struct DemoConfig {
  int num_states = 20;           // track length n [states]
  double reward = 1.0;           // reward at the goal [reward units]
  double gamma = 0.85;           // discount per step γ, both agents [dimensionless]
  double alpha = 0.01;           // model-free learning rate α, both agents [dimensionless]
  double k = 0.5;                // weight of V_MB in V_NET [dimensionless]
  double alpha_mb = 0.5;         // learning rate of the reward model [dimensionless]
  double initial_reward = 1.0;   // Dual's initial R(s) [reward units]
  int max_episodes = 10000;      // training stops here if not converged [episodes]
  int max_steps = 100;           // step limit of an episode [steps]
  int convergence_decimals = 2;  // converged when the episode's mean δ rounds to 0 here [digits]
};

void validate(const DemoConfig& c);

struct DemoRun {
  std::vector<EpisodeTrace> episodes;           // every episode run, in order
  std::vector<std::vector<double>> v_td_after;  // V_TD after each episode [reward units]
  std::vector<std::vector<double>> v_mb_after;  // V_MB after each episode (Dual only)
  bool converged = false;                       // the criterion was met
  int episodes_to_converge = 0;  // episodes run, including the one that met the criterion
  int early = 0;                 // episode index at 5 % of training: ⌊0.05 (N − 1)⌋
  int mid = 0;                   // at 50 %: ⌊N / 2⌋
  int late = 0;                  // at 85 %: ⌊0.85 (N − 1)⌋
};

struct DemoResult {
  DemoRun dual;  // normative dual process
  DemoRun td;    // tabular TD(0)
};

DemoResult run_demo(const DemoConfig& config = {});

struct CompareArchitecturesConfig {
  int num_states = 10;            // track length n [states]
  int episodes = 5000;            // training episodes per agent [episodes]
  double reward = 1.0;            // reward at the goal [reward units]
  double gamma = 0.93;            // discount per step γ [dimensionless]
  double alpha = 0.01;            // model-free learning rate α [dimensionless]
  double k = 0.5;                 // weight of V_MB in V_NET [dimensionless]
  double alpha_mb = 0.5;          // learning rate of the reward model [dimensionless]
  double initial_reward = 1.0;    // dual agents' initial R(s) [reward units]
  int max_steps = 100;            // step limit of an episode [steps]
  double error_threshold = 0.01;  // "learned" once |value error| falls below this [reward units]
};

void validate(const CompareArchitecturesConfig& c);

struct ArchitectureRun {
  std::vector<EpisodeTrace> episodes;  // every episode, in order
  std::vector<double> value_error;     // mean_s (γ^{n−1−s} − V_TD(s)) after each episode
  int episodes_to_threshold = -1;      // first episode count with |error| < threshold; −1 never
};

struct CompareArchitecturesResult {
  ArchitectureRun normative;  // δ = r + γ V_NET(s') − V_TD(s)
  ArchitectureRun naive;      // δ = r + γ V_NET(s') − V_NET(s)
  ArchitectureRun td;         // δ = r + γ V_TD(s') − V_TD(s)
};

CompareArchitecturesResult run_compare_architectures(const CompareArchitecturesConfig& config = {});

}  // namespace bgsim::tasks::ramps
