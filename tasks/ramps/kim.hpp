#pragma once
// Kim et al. (2020, Cell, "A unified framework for dopamine signals across
// timescales") simulated with the dual-process agent (Priestley et al.,
// "Dopamine ramps as a normative consequence of dual process control", Fig. 4;
// reference code github.com/lpriestley/dopamine_ramps, experiments.py:
// kim_distance, kim_location, kim_speed).
//
// A tabular Dual agent (initial R = 1, α = 0.01, α_MB = 0.5, γ = 0.93, k = 0.5)
// is trained on a linear track, then probed with learning off (α = α_MB = 0):
//
// distance  n = 32, 200 training episodes; teleport to state 23 from 1, 2 or
//           10 states before it, or pause at 23 for 65 steps (distance 0).
//           The teleport RPE δ = γ V_NET(23) − V_TD(23 − d) grows with the
//           distance skipped; during the pause k = 0 too, so
//           δ = γ V_TD(23) − V_TD(23) = −(1 − γ) V_TD(23) < 0: a small dip.
// location  n = 32, 200 training episodes; teleport 10 states forward from
//           2, 8 or 14 (location 0: an unmanipulated run). The RPE is larger
//           nearer the goal, where values are steeper.
// speed     n = 41, 1000 training episodes at step size 1; test runs at step
//           sizes 1, 2, 4: moving faster climbs the value ramp faster, so the
//           RPE ramp is steeper per time step.

#include <vector>

#include "tasks/ramps/episode.hpp"

namespace bgsim::tasks::ramps {

struct KimTraining {
  int num_states = 32;          // track length n [states]
  double reward = 1.0;          // reward at the goal [reward units]
  int episodes = 200;           // training episodes before the probes [episodes]
  double alpha = 0.01;          // model-free learning rate α during training [dimensionless]
  double alpha_mb = 0.5;        // learning rate of the reward model during training [dimensionless]
  double gamma = 0.93;          // discount per step γ [dimensionless]
  double k = 0.5;               // weight of V_MB in V_NET [dimensionless]
  double initial_reward = 1.0;  // initial R(s) [reward units]
  int max_steps = 100;          // step limit of an episode [steps]
};

void validate(const KimTraining& t, const char* owner);

// One probe episode.
struct KimProbe {
  int condition = 0;     // distance, location or step size of the probe [states, states/step]
  EpisodeTrace trace;    // the probe episode
  int event_step = -1;   // index in `trace` of the teleport or first pause step; −1: none
  double event_rpe = 0;  // δ at event_step [reward units]
  double slope = 0;  // approach slope of δ per time step (terminal dropped) [reward units/step]
};

struct KimResult {
  std::vector<KimProbe> probes;  // in the order of the conditions
  std::vector<double> v_td;      // V_TD after training
  std::vector<double> v_mb;      // V_MB after training
};

struct KimDistanceConfig {
  KimTraining training;                        // n = 32, 200 episodes
  int destination = 23;                        // teleport destination / pause location [state]
  std::vector<int> distances = {0, 1, 2, 10};  // states skipped; 0 = pause [states]
  int pause_steps = 65;                        // duration of the pause [steps]
  int pause_max_steps = 1000;                  // step limit of a pause episode [steps]
};

void validate(const KimDistanceConfig& c);
KimResult run_kim_distance(const KimDistanceConfig& config = {});

struct KimLocationConfig {
  KimTraining training;                        // n = 32, 200 episodes
  std::vector<int> locations = {0, 2, 8, 14};  // teleport origins; 0 = no teleport [state]
  int distance = 10;                           // states skipped by each teleport [states]
};

void validate(const KimLocationConfig& c);
KimResult run_kim_location(const KimLocationConfig& config = {});

struct KimSpeedConfig {
  KimTraining training{.num_states = 41, .episodes = 1000};  // n = 41, 1000 episodes
  std::vector<int> step_sizes = {1, 2, 4};                   // test speeds [states/step]
};

void validate(const KimSpeedConfig& c);
KimResult run_kim_speed(const KimSpeedConfig& config = {});

}  // namespace bgsim::tasks::ramps
