#include "models/agents/distributional_td.hpp"

#include "core/parameters.hpp"

#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace bgsim::agents {
namespace {

enum class Bounds { open_open, open_closed, closed_closed };

bool inside(double v, Bounds b) {
  if (!std::isfinite(v)) return false;
  switch (b) {
    case Bounds::open_open:
      return v > 0.0 && v < 1.0;
    case Bounds::open_closed:
      return v > 0.0 && v <= 1.0;
    case Bounds::closed_closed:
      return v >= 0.0 && v <= 1.0;
  }
  return false;
}

const char* describe(Bounds b) {
  switch (b) {
    case Bounds::open_open:
      return "it must lie in (0, 1)";
    case Bounds::open_closed:
      return "it must lie in (0, 1]";
    case Bounds::closed_closed:
      return "it must lie in [0, 1]";
  }
  return "";
}

void check_draw(const std::string& name, const ParameterDraw& d, Bounds b) {
  switch (d.mode) {
    case ParameterDraw::Mode::shared:
      if (!inside(d.value, b)) refuse(name + ".value", d.value, describe(b));
      return;
    case ParameterDraw::Mode::list:
      if (d.choices.empty()) {
        throw std::invalid_argument(name +
                                    ".choices is empty: a list draw needs at least one value");
      }
      for (std::size_t k = 0; k < d.choices.size(); ++k) {
        if (!inside(d.choices[k], b)) {
          refuse(name + ".choices[" + std::to_string(k) + "]", d.choices[k], describe(b));
        }
      }
      return;
    case ParameterDraw::Mode::range:
      if (!inside(d.low, b)) refuse(name + ".low", d.low, describe(b));
      if (!inside(d.high, b)) refuse(name + ".high", d.high, describe(b));
      if (d.high < d.low) refuse(name + ".high", d.high, "it must not be below low");
      return;
  }
}

Eigen::VectorXd draw_each(const ParameterDraw& d, int n, std::mt19937_64& rng) {
  Eigen::VectorXd out(n);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < n; ++i) {
    switch (d.mode) {
      case ParameterDraw::Mode::shared:
        out(i) = d.value;
        break;
      case ParameterDraw::Mode::list: {
        std::uniform_int_distribution<std::size_t> pick(0, d.choices.size() - 1);
        out(i) = d.choices[pick(rng)];
        break;
      }
      case ParameterDraw::Mode::range:
        out(i) = d.low + (d.high - d.low) * unit(rng);
        break;
    }
  }
  return out;
}

void check_bank(const PredictorBank& bank) {
  const auto n = bank.alpha_plus.size();
  if (n < 1) throw std::invalid_argument("PredictorBank is empty: it needs at least one predictor");
  auto check_size = [n](const char* name, const Eigen::VectorXd& v) {
    if (v.size() != n) {
      std::ostringstream msg;
      msg << "PredictorBank." << name << " has " << v.size() << " entries; alpha_plus has " << n;
      throw std::invalid_argument(msg.str());
    }
  };
  check_size("alpha_minus", bank.alpha_minus);
  check_size("gamma", bank.gamma);
  check_size("lambda", bank.lambda);
  auto check_values = [](const char* name, const Eigen::VectorXd& v, Bounds b) {
    for (Eigen::Index i = 0; i < v.size(); ++i) {
      if (!inside(v(i), b)) {
        refuse(std::string("PredictorBank.") + name + "[" + std::to_string(i) + "]", v(i),
               describe(b));
      }
    }
  };
  check_values("alpha_plus", bank.alpha_plus, Bounds::open_closed);
  check_values("alpha_minus", bank.alpha_minus, Bounds::open_closed);
  check_values("gamma", bank.gamma, Bounds::closed_closed);
  check_values("lambda", bank.lambda, Bounds::closed_closed);
}

}  // namespace

ParameterDraw ParameterDraw::shared_value(double v) {
  ParameterDraw d;
  d.mode = Mode::shared;
  d.value = v;
  return d;
}

ParameterDraw ParameterDraw::from_list(std::vector<double> values) {
  ParameterDraw d;
  d.mode = Mode::list;
  d.choices = std::move(values);
  return d;
}

ParameterDraw ParameterDraw::from_range(double lo, double hi) {
  ParameterDraw d;
  d.mode = Mode::range;
  d.low = lo;
  d.high = hi;
  return d;
}

Eigen::VectorXd PredictorBank::tau() const {
  return (alpha_plus.array() / (alpha_plus.array() + alpha_minus.array())).matrix();
}

PredictorBank draw_predictor_bank(const DistributionalTdParams& params) {
  if (params.n_predictors < 1) {
    refuse("DistributionalTdParams.n_predictors", params.n_predictors, "it must be at least 1");
  }
  const bool asymmetric = params.alpha.mode != ParameterDraw::Mode::shared;
  // A shared α is a rate in (0, 1]; a list or range gives τ, which must stay
  // below 1 (α⁺ = τα⁻/(1−τ)) and above 0 (α⁺ > 0).
  check_draw("DistributionalTdParams.alpha", params.alpha,
             asymmetric ? Bounds::open_open : Bounds::open_closed);
  check_draw("DistributionalTdParams.gamma", params.gamma, Bounds::closed_closed);
  check_draw("DistributionalTdParams.lambda", params.lambda, Bounds::closed_closed);
  if (!inside(params.alpha_minus_max, Bounds::open_closed)) {
    refuse("DistributionalTdParams.alpha_minus_max", params.alpha_minus_max,
           "it must lie in (0, 1]");
  }

  const int n = params.n_predictors;
  std::mt19937_64 rng(params.seed);
  const Eigen::VectorXd alpha_or_tau = draw_each(params.alpha, n, rng);
  PredictorBank bank;
  bank.gamma = draw_each(params.gamma, n, rng);
  bank.lambda = draw_each(params.lambda, n, rng);
  bank.alpha_plus.resize(n);
  bank.alpha_minus.resize(n);
  if (!asymmetric) {
    bank.alpha_plus = alpha_or_tau;
    bank.alpha_minus = alpha_or_tau;
    return bank;
  }
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < n; ++i) {
    const double tau = alpha_or_tau(i);
    double a_minus = 0.0;
    double a_plus = 2.0;
    // Redraw α⁻ until α⁺ ≤ 1 (and α⁻ > 0, which a draw of exactly 0 would break).
    while (a_plus > 1.0 || a_minus <= 0.0) {
      a_minus = params.alpha_minus_max * unit(rng);
      a_plus = tau * a_minus / (1.0 - tau);
    }
    bank.alpha_plus(i) = a_plus;
    bank.alpha_minus(i) = a_minus;
  }
  return bank;
}

DistributionalTd::DistributionalTd(const PredictorBank& bank, int n_features, double dt_s)
    : bank_(bank), dt_s_(dt_s) {
  check_bank(bank_);
  if (n_features < 1) refuse("DistributionalTd n_features", n_features, "it must be at least 1");
  if (!std::isfinite(dt_s) || dt_s <= 0.0) {
    refuse("DistributionalTd dt_s", dt_s, "the time step must be finite and positive, in [s]");
  }
  // Per-step constants, computed once: every rate is raised to dt (drl_sim).
  auto per_step = [dt_s](const Eigen::VectorXd& v) { return v.array().pow(dt_s).eval(); };
  step_alpha_plus_ = per_step(bank_.alpha_plus);
  step_alpha_minus_ = per_step(bank_.alpha_minus);
  step_gamma_ = per_step(bank_.gamma);
  step_lambda_ = per_step(bank_.lambda);
  w_ = Eigen::MatrixXd::Zero(bank_.size(), n_features);
}

DistributionalTd::DistributionalTd(const DistributionalTdParams& params, int n_features)
    : DistributionalTd(draw_predictor_bank(params), n_features, params.dt_s) {}

Eigen::VectorXd DistributionalTd::tau_effective() const {
  return (step_alpha_plus_ / (step_alpha_plus_ + step_alpha_minus_)).matrix();
}

void DistributionalTd::set_weights(const Eigen::MatrixXd& w) {
  if (w.rows() != w_.rows() || w.cols() != w_.cols()) {
    std::ostringstream msg;
    msg << "DistributionalTd::set_weights: got " << w.rows() << " x " << w.cols()
        << " weights; the agent has " << w_.rows() << " predictors x " << w_.cols() << " features";
    throw std::invalid_argument(msg.str());
  }
  w_ = w;
}

void DistributionalTd::check_trial(const Eigen::SparseMatrix<double>& features,
                                   const Eigen::VectorXd& reward) const {
  if (features.rows() != w_.cols()) {
    std::ostringstream msg;
    msg << "DistributionalTd: the trial has " << features.rows()
        << " features per time step; the agent was built for " << w_.cols();
    throw std::invalid_argument(msg.str());
  }
  if (features.cols() < 2) {
    std::ostringstream msg;
    msg << "DistributionalTd: a trial of " << features.cols()
        << " time points has no transition; it needs at least 2";
    throw std::invalid_argument(msg.str());
  }
  if (reward.size() != features.cols()) {
    std::ostringstream msg;
    msg << "DistributionalTd: the reward has " << reward.size() << " entries but the trial has "
        << features.cols() << " time points";
    throw std::invalid_argument(msg.str());
  }
}

void DistributionalTd::compute_values(const Eigen::SparseMatrix<double>& features,
                                      Eigen::MatrixXd& v) const {
  v.setZero(w_.rows(), features.cols());
  for (Eigen::Index t = 0; t < features.cols(); ++t) {
    for (Eigen::SparseMatrix<double>::InnerIterator it(features, t); it; ++it) {
      v.col(t) += it.value() * w_.col(it.row());
    }
  }
}

Eigen::MatrixXd DistributionalTd::values(const Eigen::SparseMatrix<double>& features) const {
  if (features.rows() != w_.cols()) {
    std::ostringstream msg;
    msg << "DistributionalTd: the trial has " << features.rows()
        << " features per time step; the agent was built for " << w_.cols();
    throw std::invalid_argument(msg.str());
  }
  Eigen::MatrixXd v;
  compute_values(features, v);
  return v;
}

// The trial in closed form. Because V and δ come from the start-of-trial
// weights, each step's change s_i(t) e_i(t), with
//   s_i(t) = α_{i,±}^{dt} δ_i(t) / max(1, Σe_i(t)),
// does not depend on the others, and their sum regroups by feature:
//   Σ_t s_i(t) e_i(t) = Σ_t s_i(t) Σ_{u≤t} c_i^{t−u} x(u) = Σ_u G_i(u) x(u),
//   G_i(u) = s_i(u) + c_i G_i(u+1),  G_i(T−1) = 0,  c_i = λ_i^{dt}.
// Σe_i(t) obeys the same recursion as the trace: S_i(t) = c_i S_i(t−1) + Σ_f x_f(t).
// So a trial costs O(P·(T + nnz(X))) instead of O(P·F·T); the per-step form
// lives in the tests and agrees to rounding.
void DistributionalTd::learn_trial(const Eigen::SparseMatrix<double>& features,
                                   const Eigen::VectorXd& reward, TrialSignals& out) {
  check_trial(features, reward);
  const Eigen::Index n_points = features.cols();
  const Eigen::Index n_steps = n_points - 1;
  const Eigen::Index n_pred = w_.rows();

  compute_values(features, out.value);
  out.delta.resize(n_pred, n_steps);
  for (Eigen::Index t = 0; t < n_steps; ++t) {
    out.delta.col(t) =
        (reward(t) + step_gamma_ * out.value.col(t + 1).array() - out.value.col(t).array())
            .matrix();
  }

  backward_.resize(n_pred, n_steps);
  trace_sum_.setZero(n_pred);
  for (Eigen::Index t = 0; t < n_steps; ++t) {
    double x_sum = 0.0;
    for (Eigen::SparseMatrix<double>::InnerIterator it(features, t); it; ++it)
      x_sum += it.value();
    trace_sum_ = step_lambda_ * trace_sum_ + x_sum;
    const auto d = out.delta.col(t).array();
    // (α±^{dt} δ) / max(1, Σe): dividing by exactly 1 changes nothing, as in
    // drl_sim's branch on Σe < 1.
    backward_.col(t) =
        ((d > 0.0).select(step_alpha_plus_ * d, step_alpha_minus_ * d) / trace_sum_.max(1.0))
            .matrix();
  }
  for (Eigen::Index t = n_steps - 2; t >= 0; --t) {
    backward_.col(t).array() += step_lambda_ * backward_.col(t + 1).array();
  }
  for (Eigen::Index t = 0; t < n_steps; ++t) {
    for (Eigen::SparseMatrix<double>::InnerIterator it(features, t); it; ++it) {
      w_.col(it.row()) += it.value() * backward_.col(t);
    }
  }
}

TrialSignals DistributionalTd::learn_trial(const Eigen::SparseMatrix<double>& features,
                                           const Eigen::VectorXd& reward) {
  TrialSignals out;
  learn_trial(features, reward, out);
  return out;
}

}  // namespace bgsim::agents
