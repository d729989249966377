#pragma once
// Linear TD(λ) with accumulating eligibility traces (Sutton 1988; Sutton &
// Barto 2018, §12.2), float64, on an arbitrary feature vector x(t).
//
//   V(t)  = w · x(t)
//   δ(t)  = r(t) + γ V(t+1) − V(t)            (V(t+1) = 0 after a terminal step)
//   e(t)  = γ λ e(t−1) + x(t)                 (accumulating trace, e = 0 at episode start)
//   w    += α δ(t) e(t)
//
// Every quantity is per step: α, γ and λ are the values for one time step of
// whatever clock drives the agent (a task converts per-second constants
// itself). With a complete-serial-compound representation and a reward r
// delivered k steps after the cue, training drives V at the cue to γ^k r, so
// the prediction error moves from the reward to the transition into the cue
// (Schultz, Dayan & Montague 1997).
//
// The agent knows no task: it sees features and rewards, and reports per step
// the value it predicted and the δ it computed (StepSignal).

#include <cstdint>

#include <Eigen/Dense>

#include "models/agents/agent.hpp"

namespace bgsim::agents {

struct TdLambdaParams {
  int n_features = 1;           // length of the feature vector x (dimensionless, ≥ 1)
  double alpha = 0.1;           // learning rate per step (dimensionless, in (0, 1])
  double gamma = 0.98;          // discount factor per step (dimensionless, in [0, 1])
  double lambda = 0.9;          // trace decay per step, multiplied by γ (dimensionless, in [0, 1])
  double initial_weight = 0.0;  // value of every weight before learning (reward units)
};

class TdLambda {
 public:
  // Validates `params` (std::invalid_argument naming the bad field) and sets
  // every weight to `initial_weight`.
  explicit TdLambda(const TdLambdaParams& params);

  const TdLambdaParams& params() const { return params_; }

  // Clears the eligibility trace; call at the start of every episode (trial).
  void begin_episode();

  // V(x) = w · x, without learning.
  double value(const Eigen::VectorXd& x) const;

  // One learning step from features x with reward r to features x_next
  // (ignored when `terminal`). Returns V(x) before the update and δ.
  StepSignal step(const Eigen::VectorXd& x, double reward, const Eigen::VectorXd& x_next,
                  bool terminal = false);

  const Eigen::VectorXd& weights() const { return w_; }
  const Eigen::VectorXd& trace() const { return e_; }

 private:
  void check_size(const Eigen::VectorXd& x, const char* what) const;

  TdLambdaParams params_;
  double trace_decay_ = 0.0;  // γλ, computed once
  Eigen::VectorXd w_;
  Eigen::VectorXd e_;
};

}  // namespace bgsim::agents
