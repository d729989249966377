#pragma once
// Distributional TD(λ): a bank of linear value predictors that differ in their
// learning rates for positive and negative errors, their discount and their
// trace decay (Dabney et al. 2020, Nature 577:671; the drl_sim formulation of
// Tiwari 2024, github.com/siddharth-r-tiwari/drl_sim).
//
// For predictor i, on a trial of T time points t = 0 … T−1 with features
// x(t) and reward r(t) (time step dt in seconds):
//
//   V_i(t)  = w_i · x(t)
//   δ_i(t)  = r(t) + γ_i^{dt} V_i(t+1) − V_i(t)                t = 0 … T−2
//   e_i(t)  = λ_i^{dt} e_i(t−1) + x(t),   e_i(−1) = 0  (the trace restarts every trial)
//   Δw_i    = α_{i,±}^{dt} δ_i(t) e_i(t) / max(1, Σ_f e_{i,f}(t))
//
// with α⁺ when δ_i(t) > 0 and α⁻ otherwise. As in drl_sim, V and δ of a trial
// are computed from the weights at the start of the trial and the T−1 weight
// changes are then applied in order; r(T−1) is never used. With a complete
// serial compound (no feature active at two steps of a trial) this equals the
// fully online form exactly.
//
// Where α, γ, λ come from (ParameterDraw): each is shared by all predictors,
// chosen per predictor uniformly from a list, or drawn per predictor uniformly
// from a range. For α a list or range gives the asymmetry τ_i, and then
//   α⁻_i ~ U(0, α⁻_max),  α⁺_i = τ_i α⁻_i / (1 − τ_i),  redrawn until α⁺_i ≤ 1,
// so that α⁺/(α⁺ + α⁻) = τ_i; a shared α is one symmetric rate (α⁺ = α⁻).
//
// What a predictor converges to. With δ = r − V at the step of a reward, the
// fixed point of E[α_±^{dt} δ] = 0 is the τ̃-expectile of the reward, where
//   τ̃_i = A⁺_i / (A⁺_i + A⁻_i),  A± = (α±_i)^{dt},  i.e.  τ̃ = 1 / (1 + ((1−τ)/τ)^{dt}).
// τ̃ = τ only for dt = 1 s; for dt < 1 s the exponent pulls every τ̃ toward ½
// (τ = 0.9 at dt = 0.1 s gives τ̃ ≈ 0.555). τ̃ is increasing in τ, so the
// reversal points (the reward at which δ_i changes sign, V_i at the reward step)
// still order by τ. The normalisation by max(1, Σe) scales both rates alike and
// leaves τ̃ unchanged.
//
// Cost: one trial costs O(P·(T + nnz(X))) through a backward recursion over
// the trace (see learn_trial), so 1000 predictors × 10 000 trials of 70 steps
// take about a second; the per-step form costs O(P·F·T).

#include <cstdint>
#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

namespace bgsim::agents {

// How one per-predictor constant is set.
struct ParameterDraw {
  enum class Mode { shared, list, range };
  Mode mode = Mode::shared;     // which of the three rules below applies
  double value = 0.5;           // mode shared: the value every predictor gets (dimensionless)
  std::vector<double> choices;  // mode list: each predictor takes one uniformly (dimensionless)
  double low = 0.0;             // mode range: lower end of the uniform draw (dimensionless)
  double high = 1.0;            // mode range: upper end of the uniform draw (dimensionless)

  static ParameterDraw shared_value(double v);
  static ParameterDraw from_list(std::vector<double> values);
  static ParameterDraw from_range(double lo, double hi);
};

// The constants of every predictor, one entry each; rates are per second and
// are raised to the power dt by the agent.
struct PredictorBank {
  Eigen::VectorXd alpha_plus;   // α⁺, rate for δ > 0 (dimensionless, in (0, 1])
  Eigen::VectorXd alpha_minus;  // α⁻, rate for δ ≤ 0 (dimensionless, in (0, 1])
  Eigen::VectorXd gamma;        // γ, discount per second (dimensionless, in [0, 1])
  Eigen::VectorXd lambda;       // λ, trace decay per second (dimensionless, in [0, 1])

  int size() const { return static_cast<int>(alpha_plus.size()); }
  // Nominal asymmetry τ = α⁺ / (α⁺ + α⁻).
  Eigen::VectorXd tau() const;
};

struct DistributionalTdParams {
  int n_predictors = 20;  // number of predictors P (dimensionless, ≥ 1)
  double dt_s = 0.1;      // time step of the task; exponent of α, γ, λ [s]
  // Shared: one symmetric rate α; list or range: the asymmetry τ of each
  // predictor, in (0, 1). Default: drl_sim's example, τ ∈ {0.2, 0.4, 0.6}.
  ParameterDraw alpha = ParameterDraw::from_list({0.2, 0.4, 0.6});
  // Discount per second, in [0, 1]; default drl_sim's example U(0.3, 0.8).
  ParameterDraw gamma = ParameterDraw::from_range(0.3, 0.8);
  // Trace decay per second, in [0, 1]; default drl_sim's example 0.2.
  ParameterDraw lambda = ParameterDraw::shared_value(0.2);
  double alpha_minus_max =
      1.0;                 // α⁻ ~ U(0, alpha_minus_max); drl_sim uses 1 (dimensionless, (0, 1])
  std::uint64_t seed = 1;  // seed of the draw of the predictors (dimensionless)
};

// Draws the predictor constants with a std::mt19937_64 seeded by params.seed:
// first τ (or α) of every predictor, then γ of every predictor, then λ, then
// α⁻ (and α⁺) predictor by predictor. Refuses bad params (std::invalid_argument).
PredictorBank draw_predictor_bank(const DistributionalTdParams& params);

// What one trial produced, one row per predictor.
struct TrialSignals {
  Eigen::MatrixXd value;  // V_i(t), P × T, from the weights at the start of the trial
  Eigen::MatrixXd delta;  // δ_i(t), P × (T − 1)
};

class DistributionalTd {
 public:
  // A bank given explicitly (validated), weights zero.
  DistributionalTd(const PredictorBank& bank, int n_features, double dt_s);
  // A bank drawn from params (see draw_predictor_bank), weights zero.
  DistributionalTd(const DistributionalTdParams& params, int n_features);

  int n_predictors() const { return bank_.size(); }
  int n_features() const { return static_cast<int>(w_.cols()); }
  double dt_s() const { return dt_s_; }
  const PredictorBank& bank() const { return bank_; }

  Eigen::VectorXd tau() const { return bank_.tau(); }
  // τ̃ = A⁺ / (A⁺ + A⁻): the expectile each predictor converges to.
  Eigen::VectorXd tau_effective() const;
  // Per-step constants: A± = α±^{dt}, γ^{dt}, λ^{dt}.
  const Eigen::ArrayXd& step_alpha_plus() const { return step_alpha_plus_; }
  const Eigen::ArrayXd& step_alpha_minus() const { return step_alpha_minus_; }
  const Eigen::ArrayXd& step_gamma() const { return step_gamma_; }
  const Eigen::ArrayXd& step_lambda() const { return step_lambda_; }

  // Learns from one trial. `features` is F × T (column t is x(t)), `reward`
  // has T entries. Fills `out` (resized as needed, so a caller can reuse it).
  void learn_trial(const Eigen::SparseMatrix<double>& features, const Eigen::VectorXd& reward,
                   TrialSignals& out);
  TrialSignals learn_trial(const Eigen::SparseMatrix<double>& features,
                           const Eigen::VectorXd& reward);

  // V (P × T) of a trial with the current weights, without learning.
  Eigen::MatrixXd values(const Eigen::SparseMatrix<double>& features) const;

  const Eigen::MatrixXd& weights() const { return w_; }  // P × F
  void set_weights(const Eigen::MatrixXd& w);

 private:
  void check_trial(const Eigen::SparseMatrix<double>& features,
                   const Eigen::VectorXd& reward) const;
  void compute_values(const Eigen::SparseMatrix<double>& features, Eigen::MatrixXd& v) const;

  PredictorBank bank_;
  double dt_s_ = 0.1;
  Eigen::ArrayXd step_alpha_plus_, step_alpha_minus_, step_gamma_, step_lambda_;
  Eigen::MatrixXd w_;  // P × F, column f holds the weight of feature f in every predictor
  // Work space of learn_trial, kept to avoid allocating on every trial.
  Eigen::ArrayXd trace_sum_;  // Σ_f e_{i,f}(t) of the current step, per predictor
  Eigen::MatrixXd backward_;  // G_i(t) of the backward recursion, P × (T − 1)
};

}  // namespace bgsim::agents
