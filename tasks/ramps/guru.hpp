#pragma once
// Guru et al. (2020, bioRxiv, "Ramping activity in midbrain dopamine neurons
// signifies the use of a cognitive map") simulated with the dual-process
// agent (Priestley et al., "Dopamine ramps as a normative consequence of dual
// process control", Fig. 2; reference code github.com/lpriestley/dopamine_ramps,
// experiments.py: guru_track, guru_wheel).
//
// Track: two linear tracks of n = 35 states, one rewarded with 1.0 and one
// with 2.0, each learned by its own tabular Dual agent (α = 0.005, α_MB = 0.5,
// γ = 0.93, k = 0.5, initial R = 0). 18 sessions × 100 episodes; at the start
// of session 17 the two tracks swap rewards. Per session and track the mean δ
// per step over the session's episodes gives the session's ramp, and its slope
//
//   slope = (mean δ at the last step − mean δ at the first step) / (steps − 1)
//
// (the terminal step included). Published: session 0 gives 0.0221 (reward 1)
// and 0.0442 (reward 2); the ramps scale with reward, fade over sessions as
// V_TD catches up with V_MB, and the swap flips them.
//
// Wheel: a running wheel of n = 10 steps, reward 2, a Dual agent with feature
// maps φ_TD = [0.1 I | 1], φ_MB = I (initial R = 2, α = 0.01), 10 sessions ×
// 100 episodes; the session's slope is the mean over its episodes of the
// per-episode slope (δ_last − δ_first)/(steps − 1).

#include <vector>

#include "tasks/ramps/episode.hpp"

namespace bgsim::tasks::ramps {

struct GuruTrackConfig {
  int num_states = 35;  // track length n [states]
  std::vector<double> rewards = {1.0,
                                 2.0};  // reward of each track, sessions 0 .. swap−1 [reward units]
  int sessions = 18;                    // number of sessions [sessions]
  int episodes_per_session = 100;       // episodes per session [episodes]
  int swap_session = 17;  // session at whose start the first two tracks swap rewards; −1: never
  double alpha = 0.005;   // model-free learning rate α [dimensionless]
  double alpha_mb = 0.5;  // learning rate of the reward model [dimensionless]
  double gamma = 0.93;    // discount per step γ [dimensionless]
  double k = 0.5;         // weight of V_MB in V_NET [dimensionless]
  double initial_reward = 0.0;  // initial R(s) of each agent [reward units]
  int max_steps = 100;          // step limit of an episode [steps]
};

void validate(const GuruTrackConfig& c);

// One physical track and the agent that learns it.
struct GuruTrackSeries {
  std::vector<double> reward;                       // reward in force per session [reward units]
  std::vector<std::vector<EpisodeTrace>> episodes;  // [session][episode]
  std::vector<std::vector<double>> mean_rpe;        // [session][step]: mean δ over the session
  std::vector<double> slope;                        // ramp slope per session [reward units/step]
  std::vector<std::vector<double>> v_td_end;        // V_TD at the end of each session
  std::vector<std::vector<double>> v_mb_end;        // V_MB at the end of each session
};

struct GuruTrackResult {
  std::vector<GuruTrackSeries> tracks;  // in the order of GuruTrackConfig::rewards
  // The slope of whichever track carried `reward` in `session`, as the
  // published figure groups them; NaN when no track did.
  double slope_for_reward(double reward, int session) const;
};

GuruTrackResult run_guru_track(const GuruTrackConfig& config = {});

struct GuruWheelConfig {
  int num_states = 10;             // steps on the wheel before the reward [states]
  double reward = 2.0;             // reward at the end [reward units]
  int sessions = 10;               // number of sessions [sessions]
  int episodes_per_session = 100;  // episodes per session [episodes]
  double alpha = 0.01;             // model-free learning rate α [dimensionless]
  double alpha_mb = 0.5;           // learning rate of the reward model [dimensionless]
  double gamma = 0.93;             // discount per step γ [dimensionless]
  double k = 0.5;                  // weight of V_MB in V_NET [dimensionless]
  double initial_reward = 2.0;     // initial R(s) [reward units]
  double time_code = 0.1;  // weight c of the per-step features in φ_TD = [c I | 1] [dimensionless]
  int max_steps = 100;     // step limit of an episode [steps]
};

void validate(const GuruWheelConfig& c);

struct GuruWheelResult {
  std::vector<std::vector<EpisodeTrace>> episodes;  // [session][episode]
  std::vector<std::vector<double>> mean_rpe;        // [session][step]
  std::vector<double> slope;  // mean per-episode ramp slope per session [reward units/step]
  std::vector<std::vector<double>> v_td_end;  // φ_TD w_TD at the end of each session
};

GuruWheelResult run_guru_wheel(const GuruWheelConfig& config = {});

}  // namespace bgsim::tasks::ramps
