#pragma once
// Dual-process agents: model-based values train model-free values.
//
// Reference: Priestley et al., "Dopamine ramps as a normative consequence of
// dual process control" (code: github.com/lpriestley/dopamine_ramps, classes
// DualTab, DualNaiveTab, DualFeature, DualGrid). The arithmetic below follows
// that code operation by operation in float64, so deterministic runs give its
// exact numbers (e.g. the demo converges after 624 episodes).
//
// A model-based system knows the map (the distance d(s) from s to the goal)
// and learns the reward R by a delta rule; it values a state by discounting
// the goal's reward over the remaining distance. The model-free (TD) system
// learns V_TD, but its bootstrap target mixes in the model-based value:
//
//   R(s_t)   ← R(s_t) + α_MB (r_t − R(s_t))           (every visited state)
//   V_MB(s)  = R(goal) · γ^{d(s)}                       d = |goal − s| on a track,
//                                                        Manhattan distance on a grid
//   V_NET(s) = k V_MB(s) + (1 − k) V_TD(s)
//   normative: δ_t = r_t + γ V_NET(s_{t+1}) − V_TD(s_t)
//   naive:     δ_t = r_t + γ V_NET(s_{t+1}) − V_NET(s_t)
//   terminal step (from the goal): δ_t = r_t − V_TD(s_t)   (naive: r_t − V_NET(s_t))
//   V_TD(s_t) ← V_TD(s_t) + α δ_t
//
// R is updated before δ is computed, so V_MB already includes this step's
// reward. Because V_MB "knows" the value of states the TD system has not yet
// learned, δ is positive along the approach and grows towards the goal: a
// dopamine ramp from the first trial (δ = k γ^{d(s)} R on every non-terminal
// step of episode 0 when V_TD = 0). The normative form keeps V_TD's own
// prediction in δ, so V_TD converges to the true value; the naive form
// subtracts V_NET and converges more slowly.
//
// Feature version: V_TD(s) = φ_TD(s)·w_TD, V_MB(s) = φ_MB(s)·w_MB with
// w_MB[j] = R(goal) γ^{|goal − j|} (φ_MB square: one column per state), and
// w_TD ← w_TD + (α δ) φ_TD(s_t).
//
// Parameters (DualRates; defaults are the reference's global config)
//   alpha     model-free learning rate α                 dimensionless, [0, 1], 0.01
//   alpha_mb  learning rate of the reward model α_MB     dimensionless, [0, 1], 0.5
//   gamma     discount per step γ                        dimensionless, [0, 1], 0.93
//   k         weight of V_MB in V_NET                    dimensionless, [0, 1], 0.5

#include <vector>

#include <Eigen/Dense>

#include "models/agents/agent.hpp"

namespace bgsim::agents {

// The learning rates, discount and mixing weight shared by every dual agent.
struct DualRates {
  double alpha = 0.01;    // model-free learning rate α [dimensionless], in [0, 1]
  double alpha_mb = 0.5;  // learning rate α_MB of the reward model R [dimensionless], in [0, 1]
  double gamma = 0.93;    // discount factor per step γ [dimensionless], in [0, 1]
  double k = 0.5;         // weight k of V_MB in V_NET = k V_MB + (1 − k) V_TD [dimensionless]
};

void validate(const DualRates& r);

// Which prediction the RPE subtracts.
enum class DualRpe {
  normative,  // δ = r + γ V_NET(s') − V_TD(s): V_TD learns the true value
  naive,      // δ = r + γ V_NET(s') − V_NET(s): the alternative architecture
};

namespace detail {

// The model-based half: a reward model R(s) learned by a delta rule, and the
// value R(goal)·γ^d at distance d. γ^d is tabulated once per γ with std::pow,
// the same call the reference makes (Python's float ** int), so values agree
// bit for bit.
class GoalRewardModel {
 public:
  GoalRewardModel() = default;
  GoalRewardModel(int num_states, int goal, double initial_reward, double gamma, int max_distance);
  void learn(int s, double r, double alpha_mb) { reward_[s] += alpha_mb * (r - reward_[s]); }
  double value_at_distance(int d) const { return reward_[goal_] * gamma_pow_[d]; }
  void set_gamma(double gamma);
  void reset();
  const std::vector<double>& reward() const { return reward_; }
  double goal_reward() const { return reward_[goal_]; }

 private:
  int goal_ = 0;
  double initial_reward_ = 0.0;
  std::vector<double> reward_;     // R(s) [reward units]
  std::vector<double> gamma_pow_;  // γ^d for d = 0 .. max distance
};

}  // namespace detail

// ---------------------------------------------------------------------------
// Tabular dual process on a linear track (states 0 .. n−1, goal given).
struct DualTabularParams {
  int num_states = 10;               // number of track states [states], at least 1
  int goal_state = 9;                // index of the rewarded state [state], in [0, num_states)
  double initial_reward = 0.0;       // initial R(s) of every state [reward units]
  DualRates rates;                   // α, α_MB, γ, k [dimensionless]
  DualRpe rpe = DualRpe::normative;  // normative or naive RPE [—]
};

void validate(const DualTabularParams& p);

class DualTabular {
 public:
  explicit DualTabular(const DualTabularParams& params = {});

  // Learns from s --r--> s_next (`terminal`: the step from the goal). Returns
  // the prediction the RPE subtracts (V_TD(s), or V_NET(s) for naive), taken
  // after R has learned this step's reward, and δ.
  StepSignal update(int s, double r, int s_next, bool terminal);

  double v_td(int s) const;
  double v_mb(int s) const;
  double v_net(int s) const;
  std::vector<double> v_td() const { return v_td_; }
  std::vector<double> v_mb() const;
  std::vector<double> v_net() const;
  const std::vector<double>& reward_model() const { return model_.reward(); }

  const DualTabularParams& params() const { return params_; }
  // Changes α, α_MB, γ, k (e.g. all learning to 0 for probe trials); validated.
  void set_rates(const DualRates& rates);
  void reset();  // V_TD ← 0, R ← initial reward

 private:
  void check_state(int s, const char* what) const;
  int distance(int s) const {
    return s > params_.goal_state ? s - params_.goal_state : params_.goal_state - s;
  }

  DualTabularParams params_;
  detail::GoalRewardModel model_;
  std::vector<double> v_td_;  // V_TD(s) [reward units]
};

// ---------------------------------------------------------------------------
// Dual process with feature maps (dark tracks, running wheel).
struct DualFeaturesParams {
  int goal_state = 9;           // index of the rewarded state [state], in [0, rows of φ_MB)
  double initial_reward = 0.0;  // initial R(s) of every state [reward units]
  DualRates rates;              // α, α_MB, γ, k [dimensionless]
};

void validate(const DualFeaturesParams& p);

class DualFeatures {
 public:
  // φ_TD: num_states × m (any m); φ_MB: num_states × num_states.
  DualFeatures(const DualFeaturesParams& params, Eigen::MatrixXd phi_td, Eigen::MatrixXd phi_mb);

  StepSignal update(int s, double r, int s_next, bool terminal);

  double v_td(int s) const;  // φ_TD(s)·w_TD
  double v_mb(int s) const;  // φ_MB(s)·w_MB
  double v_net(int s) const;
  Eigen::VectorXd v_td() const;
  Eigen::VectorXd v_mb() const;
  const Eigen::VectorXd& w_td() const { return w_td_; }
  const Eigen::VectorXd& w_mb() const { return w_mb_; }
  const std::vector<double>& reward_model() const { return model_.reward(); }
  int num_states() const { return static_cast<int>(phi_mb_.rows()); }

  const DualFeaturesParams& params() const { return params_; }
  void set_rates(const DualRates& rates);
  // Swaps the feature maps (e.g. bright → dark track) keeping what was learned;
  // shapes must match the current ones.
  void set_features(Eigen::MatrixXd phi_td, Eigen::MatrixXd phi_mb);
  void reset();  // w_TD ← 0, R ← initial reward

 private:
  void check_state(int s, const char* what) const;
  void compute_w_mb();

  DualFeaturesParams params_;
  Eigen::MatrixXd phi_td_;  // φ_TD, num_states × m
  Eigen::MatrixXd phi_mb_;  // φ_MB, num_states × num_states
  detail::GoalRewardModel model_;
  Eigen::VectorXd w_td_;  // model-free weights [reward units per unit feature]
  Eigen::VectorXd w_mb_;  // model-based weights R(goal) γ^{|goal − j|} [reward units]
};

// ---------------------------------------------------------------------------
// Tabular dual process on a grid; states are flat indices s = row · cols + col,
// d(s) is the Manhattan distance to the goal cell.
struct DualGridParams {
  int rows = 8;                 // grid height [cells], at least 1
  int cols = 8;                 // grid width [cells], at least 1
  int goal_row = 7;             // goal row [cell], in [0, rows)
  int goal_col = 7;             // goal column [cell], in [0, cols)
  double initial_reward = 0.0;  // initial R of every cell [reward units]
  DualRates rates;              // α, α_MB, γ, k [dimensionless]
};

void validate(const DualGridParams& p);

class DualGrid {
 public:
  explicit DualGrid(const DualGridParams& params = {});

  StepSignal update(int s, double r, int s_next, bool terminal);

  int index(int row, int col) const { return row * params_.cols + col; }
  double v_td(int s) const;
  double v_mb(int s) const;
  double v_net(int s) const;
  // rows × cols maps of the three values.
  Eigen::MatrixXd v_td_map() const;
  Eigen::MatrixXd v_mb_map() const;
  const std::vector<double>& reward_model() const { return model_.reward(); }
  int num_states() const { return params_.rows * params_.cols; }

  const DualGridParams& params() const { return params_; }
  void set_rates(const DualRates& rates);
  void reset();

 private:
  void check_state(int s, const char* what) const;
  int distance(int s) const;

  DualGridParams params_;
  detail::GoalRewardModel model_;
  std::vector<double> v_td_;  // V_TD(s) [reward units]
};

}  // namespace bgsim::agents
