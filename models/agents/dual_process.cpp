#include "models/agents/dual_process.hpp"

#include "core/parameters.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace bgsim::agents {
namespace {

void require_unit_interval(const std::string& name, double value) {
  if (!(std::isfinite(value) && value >= 0.0 && value <= 1.0)) {
    refuse(name, value, "must be finite and in [0, 1]");
  }
}

void require_finite(const std::string& name, double value) {
  if (!std::isfinite(value)) refuse(name, value, "must be finite");
}

void require_index(const std::string& name, int value, int size) {
  if (value < 0 || value >= size) {
    refuse(name, value, "must be in [0, " + std::to_string(size - 1) + "]");
  }
}

std::size_t at(int s) {
  return static_cast<std::size_t>(s);
}

}  // namespace

void validate(const DualRates& r) {
  require_unit_interval("DualRates.alpha", r.alpha);
  require_unit_interval("DualRates.alpha_mb", r.alpha_mb);
  require_unit_interval("DualRates.gamma", r.gamma);
  require_unit_interval("DualRates.k", r.k);
}

// ---------------------------------------------------------------------------
namespace detail {

GoalRewardModel::GoalRewardModel(int num_states, int goal, double initial_reward, double gamma,
                                 int max_distance)
    : goal_(goal), initial_reward_(initial_reward) {
  reward_.assign(at(num_states), initial_reward);
  gamma_pow_.resize(at(max_distance + 1));
  set_gamma(gamma);
}

void GoalRewardModel::set_gamma(double gamma) {
  for (std::size_t d = 0; d < gamma_pow_.size(); ++d) {
    gamma_pow_[d] = std::pow(gamma, static_cast<double>(d));
  }
}

void GoalRewardModel::reset() {
  reward_.assign(reward_.size(), initial_reward_);
}

}  // namespace detail

// ---------------------------------------------------------------------------
void validate(const DualTabularParams& p) {
  if (p.num_states < 1) refuse("DualTabularParams.num_states", p.num_states, "must be at least 1");
  require_index("DualTabularParams.goal_state", p.goal_state, p.num_states);
  require_finite("DualTabularParams.initial_reward", p.initial_reward);
  validate(p.rates);
}

DualTabular::DualTabular(const DualTabularParams& params) : params_(params) {
  validate(params_);
  const int max_distance =
      std::max(params_.goal_state, params_.num_states - 1 - params_.goal_state);
  model_ = detail::GoalRewardModel(params_.num_states, params_.goal_state, params_.initial_reward,
                                   params_.rates.gamma, max_distance);
  v_td_.assign(at(params_.num_states), 0.0);
}

void DualTabular::check_state(int s, const char* what) const {
  if (s < 0 || s >= params_.num_states) {  // test first: the message is built only on failure
    require_index(std::string("DualTabular::update ") + what, s, params_.num_states);
  }
}

StepSignal DualTabular::update(int s, double r, int s_next, bool terminal) {
  check_state(s, "state");
  const DualRates& q = params_.rates;
  model_.learn(s, r, q.alpha_mb);  // R first: V_MB below already sees this reward

  const bool naive = params_.rpe == DualRpe::naive;
  const double prediction = naive ? v_net(s) : v_td_[at(s)];
  double delta = 0.0;
  if (terminal) {
    delta = r - prediction;
  } else {
    check_state(s_next, "next state");
    delta = r + q.gamma * v_net(s_next) - prediction;
  }
  v_td_[at(s)] += q.alpha * delta;
  return {prediction, delta};
}

double DualTabular::v_td(int s) const {
  check_state(s, "state");
  return v_td_[at(s)];
}

double DualTabular::v_mb(int s) const {
  check_state(s, "state");
  return model_.value_at_distance(distance(s));
}

double DualTabular::v_net(int s) const {
  // k·V_MB + (1 − k)·V_TD, the reference's order of operations.
  const double k = params_.rates.k;
  return k * v_mb(s) + (1 - k) * v_td_[at(s)];
}

std::vector<double> DualTabular::v_mb() const {
  std::vector<double> v(v_td_.size());
  for (int s = 0; s < params_.num_states; ++s)
    v[at(s)] = v_mb(s);
  return v;
}

std::vector<double> DualTabular::v_net() const {
  std::vector<double> v(v_td_.size());
  for (int s = 0; s < params_.num_states; ++s)
    v[at(s)] = v_net(s);
  return v;
}

void DualTabular::set_rates(const DualRates& rates) {
  validate(rates);
  params_.rates = rates;
  model_.set_gamma(rates.gamma);
}

void DualTabular::reset() {
  v_td_.assign(v_td_.size(), 0.0);
  model_.reset();
}

// ---------------------------------------------------------------------------
void validate(const DualFeaturesParams& p) {
  if (p.goal_state < 0) refuse("DualFeaturesParams.goal_state", p.goal_state, "must be >= 0");
  require_finite("DualFeaturesParams.initial_reward", p.initial_reward);
  validate(p.rates);
}

namespace {

void check_dual_features(const DualFeaturesParams& p, const Eigen::MatrixXd& phi_td,
                         const Eigen::MatrixXd& phi_mb) {
  if (phi_mb.rows() < 1 || phi_mb.cols() != phi_mb.rows()) {
    refuse("DualFeatures phi_mb.cols()", static_cast<double>(phi_mb.cols()),
           "phi_mb must be square with one row and one column per state (rows = " +
               std::to_string(phi_mb.rows()) + ")");
  }
  if (phi_td.rows() != phi_mb.rows() || phi_td.cols() < 1) {
    refuse("DualFeatures phi_td.rows()", static_cast<double>(phi_td.rows()),
           "phi_td needs one row per state (" + std::to_string(phi_mb.rows()) +
               ") and at least one column");
  }
  if (!phi_td.allFinite()) refuse("DualFeatures phi_td", std::nan(""), "must be finite");
  if (!phi_mb.allFinite()) refuse("DualFeatures phi_mb", std::nan(""), "must be finite");
  require_index("DualFeaturesParams.goal_state", p.goal_state, static_cast<int>(phi_mb.rows()));
}

}  // namespace

DualFeatures::DualFeatures(const DualFeaturesParams& params, Eigen::MatrixXd phi_td,
                           Eigen::MatrixXd phi_mb)
    : params_(params), phi_td_(std::move(phi_td)), phi_mb_(std::move(phi_mb)) {
  validate(params_);
  check_dual_features(params_, phi_td_, phi_mb_);
  const int n = static_cast<int>(phi_mb_.rows());
  const int max_distance = std::max(params_.goal_state, n - 1 - params_.goal_state);
  model_ = detail::GoalRewardModel(n, params_.goal_state, params_.initial_reward,
                                   params_.rates.gamma, max_distance);
  w_td_ = Eigen::VectorXd::Zero(phi_td_.cols());
  w_mb_ = Eigen::VectorXd::Zero(n);
  compute_w_mb();
}

void DualFeatures::compute_w_mb() {
  for (Eigen::Index j = 0; j < w_mb_.size(); ++j) {
    w_mb_(j) = model_.value_at_distance(std::abs(params_.goal_state - static_cast<int>(j)));
  }
}

void DualFeatures::check_state(int s, const char* what) const {
  if (s < 0 || s >= phi_mb_.rows()) {
    require_index(std::string("DualFeatures::update ") + what, s, static_cast<int>(phi_mb_.rows()));
  }
}

StepSignal DualFeatures::update(int s, double r, int s_next, bool terminal) {
  check_state(s, "state");
  const DualRates& q = params_.rates;
  model_.learn(s, r, q.alpha_mb);
  if (s == params_.goal_state) compute_w_mb();  // only R(goal) enters w_MB

  const double v_td_s = phi_td_.row(s).dot(w_td_);
  double delta = 0.0;
  if (terminal) {
    delta = r - v_td_s;
  } else {
    check_state(s_next, "next state");
    const double v_net_next =
        q.k * phi_mb_.row(s_next).dot(w_mb_) + (1 - q.k) * phi_td_.row(s_next).dot(w_td_);
    delta = r + q.gamma * v_net_next - v_td_s;
  }
  w_td_ += (q.alpha * delta) * phi_td_.row(s).transpose();
  return {v_td_s, delta};
}

double DualFeatures::v_td(int s) const {
  check_state(s, "state");
  return phi_td_.row(s).dot(w_td_);
}

double DualFeatures::v_mb(int s) const {
  check_state(s, "state");
  return phi_mb_.row(s).dot(w_mb_);
}

double DualFeatures::v_net(int s) const {
  const double k = params_.rates.k;
  return k * v_mb(s) + (1 - k) * v_td(s);
}

Eigen::VectorXd DualFeatures::v_td() const {
  Eigen::VectorXd v(phi_td_.rows());
  for (Eigen::Index s = 0; s < v.size(); ++s)
    v(s) = phi_td_.row(s).dot(w_td_);
  return v;
}

Eigen::VectorXd DualFeatures::v_mb() const {
  Eigen::VectorXd v(phi_mb_.rows());
  for (Eigen::Index s = 0; s < v.size(); ++s)
    v(s) = phi_mb_.row(s).dot(w_mb_);
  return v;
}

void DualFeatures::set_rates(const DualRates& rates) {
  validate(rates);
  params_.rates = rates;
  model_.set_gamma(rates.gamma);
  compute_w_mb();
}

void DualFeatures::set_features(Eigen::MatrixXd phi_td, Eigen::MatrixXd phi_mb) {
  if (phi_td.rows() != phi_td_.rows() || phi_td.cols() != phi_td_.cols()) {
    refuse("DualFeatures::set_features phi_td.cols()", static_cast<double>(phi_td.cols()),
           "new feature maps must have the shape of the old ones (" +
               std::to_string(phi_td_.rows()) + " x " + std::to_string(phi_td_.cols()) + ")");
  }
  check_dual_features(params_, phi_td, phi_mb);
  if (phi_mb.rows() != phi_mb_.rows()) {
    refuse("DualFeatures::set_features phi_mb.rows()", static_cast<double>(phi_mb.rows()),
           "must stay " + std::to_string(phi_mb_.rows()));
  }
  phi_td_ = std::move(phi_td);
  phi_mb_ = std::move(phi_mb);
}

void DualFeatures::reset() {
  w_td_.setZero();
  model_.reset();
  compute_w_mb();
}

// ---------------------------------------------------------------------------
void validate(const DualGridParams& p) {
  if (p.rows < 1) refuse("DualGridParams.rows", p.rows, "must be at least 1");
  if (p.cols < 1) refuse("DualGridParams.cols", p.cols, "must be at least 1");
  require_index("DualGridParams.goal_row", p.goal_row, p.rows);
  require_index("DualGridParams.goal_col", p.goal_col, p.cols);
  require_finite("DualGridParams.initial_reward", p.initial_reward);
  validate(p.rates);
}

DualGrid::DualGrid(const DualGridParams& params) : params_(params) {
  validate(params_);
  const int max_distance = std::max(params_.goal_row, params_.rows - 1 - params_.goal_row) +
                           std::max(params_.goal_col, params_.cols - 1 - params_.goal_col);
  model_ = detail::GoalRewardModel(num_states(), index(params_.goal_row, params_.goal_col),
                                   params_.initial_reward, params_.rates.gamma, max_distance);
  v_td_.assign(at(num_states()), 0.0);
}

int DualGrid::distance(int s) const {
  const int row = s / params_.cols;
  const int col = s % params_.cols;
  return std::abs(row - params_.goal_row) + std::abs(col - params_.goal_col);
}

void DualGrid::check_state(int s, const char* what) const {
  if (s < 0 || s >= num_states()) {
    require_index(std::string("DualGrid::update ") + what, s, num_states());
  }
}

StepSignal DualGrid::update(int s, double r, int s_next, bool terminal) {
  check_state(s, "state");
  const DualRates& q = params_.rates;
  model_.learn(s, r, q.alpha_mb);
  const double v_td_s = v_td_[at(s)];
  double delta = 0.0;
  if (terminal) {
    delta = r - v_td_s;
  } else {
    check_state(s_next, "next state");
    delta = r + q.gamma * v_net(s_next) - v_td_s;
  }
  v_td_[at(s)] += q.alpha * delta;
  return {v_td_s, delta};
}

double DualGrid::v_td(int s) const {
  check_state(s, "state");
  return v_td_[at(s)];
}

double DualGrid::v_mb(int s) const {
  check_state(s, "state");
  return model_.value_at_distance(distance(s));
}

double DualGrid::v_net(int s) const {
  const double k = params_.rates.k;
  return k * v_mb(s) + (1 - k) * v_td_[at(s)];
}

Eigen::MatrixXd DualGrid::v_td_map() const {
  Eigen::MatrixXd m(params_.rows, params_.cols);
  for (int r = 0; r < params_.rows; ++r)
    for (int c = 0; c < params_.cols; ++c)
      m(r, c) = v_td_[at(index(r, c))];
  return m;
}

Eigen::MatrixXd DualGrid::v_mb_map() const {
  Eigen::MatrixXd m(params_.rows, params_.cols);
  for (int r = 0; r < params_.rows; ++r)
    for (int c = 0; c < params_.cols; ++c)
      m(r, c) = v_mb(index(r, c));
  return m;
}

void DualGrid::set_rates(const DualRates& rates) {
  validate(rates);
  params_.rates = rates;
  model_.set_gamma(rates.gamma);
}

void DualGrid::reset() {
  v_td_.assign(v_td_.size(), 0.0);
  model_.reset();
}

}  // namespace bgsim::agents
