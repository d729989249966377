#pragma once
// Tabular TD(0): one value per discrete state, learned from one-step
// transitions (Sutton & Barto 2018, ch. 6).
//
//   δ_t = r_t + γ V(s_{t+1}) − V(s_t)       (non-terminal step)
//   δ_t = r_t − V(s_t)                      (terminal step: nothing follows)
//   V(s_t) ← V(s_t) + α δ_t
//
// Here "terminal" means the step taken *from* the last state of a trial (on a
// track: the step taken from the goal, which delivers the reward), as in the
// reference code of Priestley et al., "Dopamine ramps as a normative
// consequence of dual process control" (github.com/lpriestley/dopamine_ramps,
// class TDTab). The arithmetic follows that code operation by operation, in
// float64, so runs reproduce its numbers exactly: δ = (r + γ·V(s')) − V(s),
// then V(s) += α·δ.
//
// Parameters
//   num_states  number of discrete states                  [states]     default 10
//   alpha       learning rate α                            dimensionless, [0, 1], 0.01
//   gamma       discount per step γ                        dimensionless, [0, 1], 0.93

#include <vector>

#include "models/agents/agent.hpp"

namespace bgsim::agents {

struct TdTabularParams {
  int num_states = 10;  // number of discrete states [states], at least 1
  double alpha = 0.01;  // learning rate α [dimensionless], in [0, 1]
  double gamma = 0.93;  // discount factor per step γ [dimensionless], in [0, 1]
};

// Throws std::invalid_argument naming the parameter, its value and what is allowed.
void validate(const TdTabularParams& p);

class TdTabular {
 public:
  explicit TdTabular(const TdTabularParams& params = {});

  // Learns from the transition s --r--> s_next. `terminal` marks the last step
  // of a trial (s_next is then ignored). Returns V(s) before the update and δ.
  StepSignal update(int s, double r, int s_next, bool terminal);

  double value(int s) const;
  const std::vector<double>& values() const { return v_; }

  const TdTabularParams& params() const { return params_; }
  // Changes α (e.g. to 0 to freeze learning for a probe); validated.
  void set_alpha(double alpha);
  // Forgets everything learned: V ← 0.
  void reset();

 private:
  void check_state(int s, const char* what) const;

  TdTabularParams params_;
  std::vector<double> v_;  // V(s) [reward units]
};

}  // namespace bgsim::agents
