#pragma once
// Linear TD(0) with a feature map, allowing the state at t and the state at
// t+1 to be seen through different feature maps (state uncertainty).
//
//   V_t(s)  = φ_t(s) · w            value of the current state
//   V_t'(s) = φ_t'(s) · w           value of the next state, as seen now
//   δ_t = r_t + γ φ_t'(s_{t+1})·w − φ_t(s_t)·w     (non-terminal step)
//   δ_t = r_t − φ_t(s_t)·w                         (terminal step)
//   w ← w + (α δ_t) φ_t(s_t)                        (semi-gradient; ∇_w V_t(s) = φ_t(s))
//
// With φ_t' = φ_t this is ordinary linear TD(0) (Sutton & Barto 2018, ch. 9).
// With φ_t' broader than φ_t the agent is more uncertain about where it will
// be than about where it is, which Mikhael et al. (2022, Curr. Biol., "The
// role of state uncertainty in the dynamics of dopamine") use to explain
// ramps; the dual-process paper (Priestley et al., reference code
// github.com/lpriestley/dopamine_ramps, TDFeature / TDFeatureMikhael) shows
// that this "dynamic uncertainty" makes V over-estimate the true value.
//
// Feature matrices are given per state: row s of φ is the feature vector of
// discrete state s (num_states × num_features). Building them (one-hot,
// Gaussian-blurred, wheel) is the task side's business (tasks/track_features).
//
// Parameters
//   alpha  learning rate α         dimensionless, [0, 1], default 0.01
//   gamma  discount per step γ     dimensionless, [0, 1], default 0.93

#include <Eigen/Dense>

#include "models/agents/agent.hpp"

namespace bgsim::agents {

struct TdFeaturesParams {
  double alpha = 0.01;  // learning rate α [dimensionless], in [0, 1]
  double gamma = 0.93;  // discount factor per step γ [dimensionless], in [0, 1]
};

void validate(const TdFeaturesParams& p);

class TdFeatures {
 public:
  // φ_t' = φ_t (no state uncertainty beyond what φ_t already carries).
  TdFeatures(const TdFeaturesParams& params, Eigen::MatrixXd phi_t);
  // Distinct maps for the current and the next state; same shape required.
  TdFeatures(const TdFeaturesParams& params, Eigen::MatrixXd phi_t, Eigen::MatrixXd phi_next);

  // Learns from s --r--> s_next; returns V_t(s) before the update and δ.
  StepSignal update(int s, double r, int s_next, bool terminal);

  double value(int s) const;       // φ_t(s)·w
  double value_next(int s) const;  // φ_t'(s)·w
  Eigen::VectorXd values() const;  // φ_t·w for every state
  const Eigen::VectorXd& weights() const { return w_; }
  int num_states() const { return static_cast<int>(phi_t_.rows()); }

  const TdFeaturesParams& params() const { return params_; }
  void set_alpha(double alpha);
  void reset();  // w ← 0

 private:
  void check_state(int s, const char* what) const;

  TdFeaturesParams params_;
  Eigen::MatrixXd phi_t_;     // φ_t, num_states × num_features
  Eigen::MatrixXd phi_next_;  // φ_t', num_states × num_features
  Eigen::VectorXd w_;         // weights [reward units per unit feature]
};

}  // namespace bgsim::agents
