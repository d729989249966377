// Distributional TD(λ): how predictors are drawn, the closed-form trial against
// the per-step reference form, and convergence to expectiles.

#include "models/agents/distributional_td.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/models/agents/expectile_reference.hpp"

namespace bgsim::agents {
namespace {

// drl_sim's per-step form, written out as plainly as possible: V and δ from
// the start-of-trial weights, then for t = 0 … T−2 the trace e_i(t) and
// w_i += (A± δ_i(t) / Σe_i(t)) e_i(t) (without the division when Σe < 1).
void learn_trial_per_step(const PredictorBank& bank, double dt, Eigen::MatrixXd& w,
                          const Eigen::MatrixXd& x, const Eigen::VectorXd& r,
                          Eigen::MatrixXd& value, Eigen::MatrixXd& delta) {
  const int n_pred = bank.size();
  const int n_feat = static_cast<int>(x.rows());
  const int n_points = static_cast<int>(x.cols());
  value = w * x;
  delta.resize(n_pred, n_points - 1);
  for (int i = 0; i < n_pred; ++i) {
    const double g = std::pow(bank.gamma(i), dt);
    for (int t = 0; t + 1 < n_points; ++t) {
      delta(i, t) = r(t) + g * value(i, t + 1) - value(i, t);
    }
  }
  for (int i = 0; i < n_pred; ++i) {
    const double c = std::pow(bank.lambda(i), dt);
    Eigen::VectorXd e = Eigen::VectorXd::Zero(n_feat);
    for (int t = 0; t + 1 < n_points; ++t) {
      e = c * e + x.col(t);
      const double aoc = e.sum();
      const double d = delta(i, t);
      const double a = std::pow(d > 0 ? bank.alpha_plus(i) : bank.alpha_minus(i), dt);
      const Eigen::VectorXd dw =
          aoc < 1.0 ? Eigen::VectorXd((a * d) * e) : Eigen::VectorXd((a * d / aoc) * e);
      w.row(i) += dw.transpose();
    }
  }
}

TEST(DistributionalTd, DrawFollowsTheAsymmetryRule) {
  DistributionalTdParams p;
  p.n_predictors = 500;
  p.alpha = ParameterDraw::from_list({0.1, 0.5, 0.9});
  p.gamma = ParameterDraw::from_range(0.3, 0.8);
  p.lambda = ParameterDraw::shared_value(0.2);
  p.seed = 7;
  const PredictorBank bank = draw_predictor_bank(p);
  ASSERT_EQ(bank.size(), 500);
  int count[3] = {0, 0, 0};
  const Eigen::VectorXd tau = bank.tau();
  for (int i = 0; i < bank.size(); ++i) {
    EXPECT_GT(bank.alpha_minus(i), 0.0);
    EXPECT_LE(bank.alpha_minus(i), 1.0);
    EXPECT_GT(bank.alpha_plus(i), 0.0);
    EXPECT_LE(bank.alpha_plus(i), 1.0);
    int hits = 0;
    for (int k = 0; k < 3; ++k) {
      if (std::abs(tau(i) - p.alpha.choices[k]) < 1e-12) {
        ++hits;
        ++count[k];
      }
    }
    EXPECT_EQ(hits, 1) << "tau " << tau(i) << " is not one of the list";
    EXPECT_GE(bank.gamma(i), 0.3);
    EXPECT_LT(bank.gamma(i), 0.8);
    EXPECT_EQ(bank.lambda(i), 0.2);
  }
  for (int k = 0; k < 3; ++k)
    EXPECT_GT(count[k], 100) << "list entry " << k << " under-drawn";

  // α⁻ ~ U(0, 1) conditioned on α⁺ ≤ 1: for τ = 0.9 that is U(0, 1/9).
  for (int i = 0; i < bank.size(); ++i) {
    if (std::abs(tau(i) - 0.9) < 1e-12) {
      EXPECT_LE(bank.alpha_minus(i), 1.0 / 9.0 + 1e-15);
    }
  }

  // Same seed, same bank; another seed, another bank.
  const PredictorBank again = draw_predictor_bank(p);
  EXPECT_EQ(again.alpha_plus, bank.alpha_plus);
  EXPECT_EQ(again.gamma, bank.gamma);
  p.seed = 8;
  EXPECT_NE(draw_predictor_bank(p).alpha_plus, bank.alpha_plus);
}

TEST(DistributionalTd, SharedAlphaIsOneSymmetricRate) {
  DistributionalTdParams p;
  p.n_predictors = 4;
  p.alpha = ParameterDraw::shared_value(0.3);
  const PredictorBank bank = draw_predictor_bank(p);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(bank.alpha_plus(i), 0.3);
    EXPECT_EQ(bank.alpha_minus(i), 0.3);
  }
}

// τ̃ = A⁺/(A⁺ + A⁻) with A = α^{dt} depends on τ and dt only:
// τ̃ = 1 / (1 + ((1 − τ)/τ)^{dt}).
TEST(DistributionalTd, EffectiveAsymmetryFollowsFromTauAndDt) {
  DistributionalTdParams p;
  p.n_predictors = 50;
  p.alpha = ParameterDraw::from_range(0.05, 0.95);
  for (double dt : {0.1, 0.5, 1.0}) {
    p.dt_s = dt;
    const DistributionalTd agent(p, 3);
    const Eigen::VectorXd tau = agent.tau();
    const Eigen::VectorXd eff = agent.tau_effective();
    for (int i = 0; i < p.n_predictors; ++i) {
      EXPECT_NEAR(eff(i), 1.0 / (1.0 + std::pow((1.0 - tau(i)) / tau(i), dt)), 1e-12);
    }
  }
}

// The closed form (backward recursion over the trace) against the per-step
// form, on dense random features (features reused within a trial, the case
// where the two orders could differ) and on a complete serial compound.
TEST(DistributionalTd, ClosedFormTrialMatchesPerStepForm) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  const int n_feat = 12;
  const int n_points = 15;
  DistributionalTdParams p;
  p.n_predictors = 9;
  p.dt_s = 0.25;
  p.alpha = ParameterDraw::from_range(0.1, 0.9);
  p.gamma = ParameterDraw::from_range(0.5, 1.0);
  p.lambda = ParameterDraw::from_list({0.0, 0.3, 0.9, 1.0});
  DistributionalTd agent(p, n_feat);
  Eigen::MatrixXd w_ref = Eigen::MatrixXd::Zero(p.n_predictors, n_feat);
  for (int trial = 0; trial < 20; ++trial) {
    Eigen::MatrixXd x(n_feat, n_points);
    for (int f = 0; f < n_feat; ++f) {
      for (int t = 0; t < n_points; ++t)
        x(f, t) = unit(rng) < 0.3 ? unit(rng) : 0.0;
    }
    if (trial % 2 == 1) {  // complete serial compound from step 2
      x.setZero();
      for (int t = 2; t < std::min(n_feat + 2, n_points); ++t)
        x(t - 2, t) = 1.0;
    }
    Eigen::VectorXd r = Eigen::VectorXd::Zero(n_points);
    r(n_points - 4) = 4.0 * unit(rng);
    r(5) = unit(rng) - 0.5;
    Eigen::MatrixXd v_ref;
    Eigen::MatrixXd d_ref;
    learn_trial_per_step(agent.bank(), p.dt_s, w_ref, x, r, v_ref, d_ref);
    const TrialSignals got = agent.learn_trial(x.sparseView(), r);
    ASSERT_EQ(got.value.rows(), p.n_predictors);
    ASSERT_EQ(got.value.cols(), n_points);
    ASSERT_EQ(got.delta.cols(), n_points - 1);
    EXPECT_LT((got.value - v_ref).cwiseAbs().maxCoeff(), 1e-12) << "trial " << trial;
    EXPECT_LT((got.delta - d_ref).cwiseAbs().maxCoeff(), 1e-12) << "trial " << trial;
    EXPECT_LT((agent.weights() - w_ref).cwiseAbs().maxCoeff(), 1e-12) << "trial " << trial;
  }
  EXPECT_GT(agent.weights().cwiseAbs().maxCoeff(), 0.1);  // something was learned
}

// With δ = r − V at the reward step, predictor i settles on the τ_i-expectile
// of the reward (dt = 1 s, so τ̃ = τ). Small rates, and the iterate averaged
// over the second half of training, keep the stochastic-approximation noise
// and bias far below the 3 % tolerance. Reversal points order by τ.
TEST(DistributionalTd, PredictorsConvergeToExpectilesOfTheReward) {
  const std::vector<double> taus{0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95};
  const double rate_sum = 0.02;  // α⁺ + α⁻, so every predictor learns at a similar pace
  PredictorBank bank;
  const int n = static_cast<int>(taus.size());
  bank.alpha_plus.resize(n);
  bank.alpha_minus.resize(n);
  bank.gamma = Eigen::VectorXd::Constant(n, 0.9);
  bank.lambda = Eigen::VectorXd::Constant(n, 0.5);
  for (int i = 0; i < n; ++i) {
    bank.alpha_plus(i) = taus[i] * rate_sum;
    bank.alpha_minus(i) = (1.0 - taus[i]) * rate_sum;
  }
  // A trial: one cue feature at t = 0, the reward on leaving it, nothing after.
  const int n_points = 3;
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(2, n_points);
  x(0, 0) = 1.0;
  x(1, 1) = 1.0;
  const Eigen::SparseMatrix<double> features = x.sparseView();
  DistributionalTd agent(bank, 2, /*dt_s=*/1.0);

  const auto& values = test::variable_magnitudes();
  const auto& probs = test::variable_probabilities();
  std::vector<double> cumulative(probs.size());
  double total = 0.0;
  for (std::size_t k = 0; k < probs.size(); ++k)
    cumulative[k] = (total += probs[k]);
  std::mt19937_64 rng(2020);
  std::uniform_real_distribution<double> unit(0.0, total);

  const int n_trials = 60000;
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd reward = Eigen::VectorXd::Zero(n_points);
  TrialSignals out;
  for (int trial = 0; trial < n_trials; ++trial) {
    const double u = unit(rng);
    const auto k = std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
    reward(0) = values[std::min<std::size_t>(k, values.size() - 1)];
    agent.learn_trial(features, reward, out);
    if (trial >= n_trials / 2) mean += out.value.col(0);
  }
  mean /= n_trials - n_trials / 2;

  for (int i = 0; i < n; ++i) {
    const double target = test::expectile(values, probs, taus[i]);
    EXPECT_NEAR(mean(i), target, 0.03 * target) << "tau " << taus[i];
    if (i > 0) {
      EXPECT_GT(mean(i), mean(i - 1)) << "reversal points out of order at tau " << taus[i];
    }
  }
}

TEST(DistributionalTd, RefusesBadParametersNamingThem) {
  DistributionalTdParams p;
  p.alpha = ParameterDraw::from_list({0.2, 1.0});
  try {
    draw_predictor_bank(p);
    ADD_FAILURE() << "tau = 1 was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("alpha.choices[1] = 1"), std::string::npos) << what;
    EXPECT_NE(what.find("(0, 1)"), std::string::npos) << what;
  }
  p = DistributionalTdParams{};
  p.gamma = ParameterDraw::from_range(0.8, 0.3);
  EXPECT_THROW(draw_predictor_bank(p), std::invalid_argument);
  p = DistributionalTdParams{};
  p.lambda = ParameterDraw::shared_value(1.2);
  EXPECT_THROW(draw_predictor_bank(p), std::invalid_argument);
  p = DistributionalTdParams{};
  p.n_predictors = 0;
  EXPECT_THROW(draw_predictor_bank(p), std::invalid_argument);
  p = DistributionalTdParams{};
  p.alpha_minus_max = 0.0;
  EXPECT_THROW(draw_predictor_bank(p), std::invalid_argument);
  p = DistributionalTdParams{};
  p.dt_s = 0.0;
  EXPECT_THROW(DistributionalTd(p, 4), std::invalid_argument);

  DistributionalTd agent(DistributionalTdParams{}, 4);
  Eigen::SparseMatrix<double> wrong(3, 5);
  EXPECT_THROW(agent.learn_trial(wrong, Eigen::VectorXd::Zero(5)), std::invalid_argument);
  Eigen::SparseMatrix<double> right(4, 5);
  EXPECT_THROW(agent.learn_trial(right, Eigen::VectorXd::Zero(4)), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::agents
