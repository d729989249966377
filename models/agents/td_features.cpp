#include "models/agents/td_features.hpp"

#include "core/parameters.hpp"

#include <cmath>
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

void require_features(const std::string& name, const Eigen::MatrixXd& phi) {
  if (phi.rows() < 1 || phi.cols() < 1) {
    refuse(name + ".rows()", static_cast<double>(phi.rows()),
           "a feature matrix needs at least one state (row) and one feature (column)");
  }
  if (!phi.allFinite()) refuse(name, std::nan(""), "every feature must be finite");
}

}  // namespace

void validate(const TdFeaturesParams& p) {
  require_unit_interval("TdFeaturesParams.alpha", p.alpha);
  require_unit_interval("TdFeaturesParams.gamma", p.gamma);
}

TdFeatures::TdFeatures(const TdFeaturesParams& params, Eigen::MatrixXd phi_t)
    : TdFeatures(params, phi_t, phi_t) {}

TdFeatures::TdFeatures(const TdFeaturesParams& params, Eigen::MatrixXd phi_t,
                       Eigen::MatrixXd phi_next)
    : params_(params), phi_t_(std::move(phi_t)), phi_next_(std::move(phi_next)) {
  validate(params_);
  require_features("TdFeatures phi_t", phi_t_);
  require_features("TdFeatures phi_next", phi_next_);
  if (phi_next_.rows() != phi_t_.rows() || phi_next_.cols() != phi_t_.cols()) {
    refuse("TdFeatures phi_next.rows()", static_cast<double>(phi_next_.rows()),
           "phi_next must have the shape of phi_t (" + std::to_string(phi_t_.rows()) + " x " +
               std::to_string(phi_t_.cols()) + ")");
  }
  w_ = Eigen::VectorXd::Zero(phi_t_.cols());
}

void TdFeatures::check_state(int s, const char* what) const {
  if (s < 0 || s >= phi_t_.rows()) {
    refuse(std::string("TdFeatures::update ") + what, s,
           "must be a state in [0, " + std::to_string(phi_t_.rows() - 1) + "]");
  }
}

StepSignal TdFeatures::update(int s, double r, int s_next, bool terminal) {
  check_state(s, "state");
  const double v_s = phi_t_.row(s).dot(w_);
  double delta = 0.0;
  if (terminal) {
    delta = r - v_s;
  } else {
    check_state(s_next, "next state");
    delta = r + params_.gamma * phi_next_.row(s_next).dot(w_) - v_s;
  }
  // (α·δ) first, then times φ_t(s): the reference's order.
  w_ += (params_.alpha * delta) * phi_t_.row(s).transpose();
  return {v_s, delta};
}

double TdFeatures::value(int s) const {
  check_state(s, "state");
  return phi_t_.row(s).dot(w_);
}

double TdFeatures::value_next(int s) const {
  check_state(s, "state");
  return phi_next_.row(s).dot(w_);
}

Eigen::VectorXd TdFeatures::values() const {
  // Row by row with the same dot product as value(s), so both agree bit for bit.
  Eigen::VectorXd v(phi_t_.rows());
  for (Eigen::Index s = 0; s < phi_t_.rows(); ++s)
    v(s) = phi_t_.row(s).dot(w_);
  return v;
}

void TdFeatures::set_alpha(double alpha) {
  TdFeaturesParams p = params_;
  p.alpha = alpha;
  validate(p);
  params_ = p;
}

void TdFeatures::reset() {
  w_.setZero();
}

}  // namespace bgsim::agents
