#pragma once
// State uncertainty and dopamine ramps: Mikhael et al. (2022, Curr. Biol.,
// "The role of state uncertainty in the dynamics of dopamine") simulated with
// linear TD and the dual-process agent (Priestley et al., "Dopamine ramps as
// a normative consequence of dual process control", Fig. 5; reference code
// github.com/lpriestley/dopamine_ramps, experiments.py:
// compare_uncertainty_assumptions, mikhael_track).
//
// Uncertainty assumptions: linear TD(0) (α = 0.1, γ = 0.9) on a track of
// n = 50 states for 1000 episodes, under
//   static uncertainty   φ_t = φ_t' blurred with σ = 0.1 (effectively one-hot);
//   dynamic uncertainty  φ_t with σ_t = 0.1, φ_t' with σ_t' = 3.0 (last 5 states 0.1).
// With the broad φ_t' the bootstrap target averages the convex value function
// over neighbouring states, which exceeds its value at the centre (Jensen), so
// V = φ_t·w converges above the true value R γ^{n−1−s}; static does not.
//
// Mikhael track: a Dual agent with features (φ_TD = φ_MB) trained for 150
// episodes on a lit track of n = 87 states (σ = 4/87 · n everywhere), then
// probed with learning off (α = α_MB = 0) on the lit track and on a dark one
// whose blur grows exponentially from 4/87 · n to 24/87 · n towards the goal,
// each at step size 1 (slow) and 2 (fast). Darkness flattens the ramp of δ
// along the approach and raises δ at the reward (the terminal step,
// δ = r − V_TD(goal), because the blurred goal state is predicted less well).

#include <vector>

#include "tasks/ramps/episode.hpp"

namespace bgsim::tasks::ramps {

struct UncertaintyAssumptionsConfig {
  int num_states = 50;        // track length n [states]
  double reward = 1.0;        // reward at the goal [reward units]
  int episodes = 1000;        // training episodes per condition [episodes]
  double alpha = 0.1;         // learning rate α [dimensionless]
  double gamma = 0.9;         // discount per step γ [dimensionless]
  double sigma_static = 0.1;  // blur of the static condition [states]
  double sigma_t = 0.1;       // blur of φ_t, dynamic condition [states]
  double sigma_next = 3.0;    // blur of φ_t', dynamic condition [states]
  int sharp_tail = 5;         // last states kept at sigma_tail [states]
  double sigma_tail = 0.1;    // blur of the last `sharp_tail` states [states]
  int max_steps = 100;        // step limit of an episode [steps]
};

void validate(const UncertaintyAssumptionsConfig& c);

struct UncertaintyRun {
  std::vector<EpisodeTrace> episodes;  // every training episode
  std::vector<double> values;          // V(s) = φ_t(s)·w after training [reward units]
  std::vector<double> error;           // V(s) − R γ^{n−1−s} [reward units]
  std::vector<double> mean_error;      // mean_s error after each episode [reward units]
  double max_error = 0.0;              // max_s error after training [reward units]
};

struct UncertaintyAssumptionsResult {
  std::vector<double> true_values;  // R γ^{n−1−s}
  UncertaintyRun static_run;        // φ_t' = φ_t
  UncertaintyRun dynamic_run;       // φ_t' broader than φ_t
};

UncertaintyAssumptionsResult run_uncertainty_assumptions(
    const UncertaintyAssumptionsConfig& config = {});

struct MikhaelTrackConfig {
  int num_states = 87;                   // track length n [states]
  double reward = 1.0;                   // reward at the goal [reward units]
  int training_episodes = 150;           // episodes on the lit track [episodes]
  double bright_width = 4.0 / 87.0;      // blur of the lit track [track lengths]
  double dark_start_width = 4.0 / 87.0;  // blur of the dark track at the start [track lengths]
  double dark_end_width = 24.0 / 87.0;   // blur of the dark track at the goal [track lengths]
  int slow_step = 1;                     // step size of the slow probes [states/step]
  int fast_step = 2;                     // step size of the fast probes [states/step]
  double alpha = 0.01;                   // model-free learning rate α [dimensionless]
  double alpha_mb = 0.5;                 // learning rate of the reward model [dimensionless]
  double gamma = 0.93;                   // discount per step γ [dimensionless]
  double k = 0.5;                        // weight of V_MB in V_NET [dimensionless]
  double initial_reward = 1.0;           // initial R(s) [reward units]
  int max_steps = 100;                   // step limit of an episode [steps]
};

void validate(const MikhaelTrackConfig& c);

struct MikhaelProbe {
  bool dark = false;        // dark (growing blur) or lit track
  bool fast = false;        // fast or slow steps
  EpisodeTrace trace;       // the probe episode
  double slope = 0.0;       // approach slope of δ per step (terminal dropped) [reward units/step]
  double reward_rpe = 0.0;  // δ on the terminal step, at the reward [reward units]
};

struct MikhaelTrackResult {
  std::vector<double> bright_widths;   // σ per state of the lit track [states]
  std::vector<double> dark_widths;     // σ per state of the dark track [states]
  std::vector<EpisodeTrace> training;  // the training episodes
  std::vector<MikhaelProbe> probes;    // lit-slow, lit-fast, dark-slow, dark-fast
  const MikhaelProbe& probe(bool dark, bool fast) const;
};

MikhaelTrackResult run_mikhael_track(const MikhaelTrackConfig& config = {});

}  // namespace bgsim::tasks::ramps
