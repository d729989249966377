#include "models/agents/td_lambda.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bgsim::agents {
namespace {

[[noreturn]] void refuse(const std::string& name, double value, const std::string& allowed) {
  std::ostringstream msg;
  msg << "TdLambdaParams." << name << " = " << value << " is not allowed: " << allowed;
  throw std::invalid_argument(msg.str());
}

void check_unit_interval(const std::string& name, double value, bool open_at_zero) {
  const bool ok =
      std::isfinite(value) && (open_at_zero ? value > 0.0 : value >= 0.0) && value <= 1.0;
  if (!ok) refuse(name, value, open_at_zero ? "it must lie in (0, 1]" : "it must lie in [0, 1]");
}

}  // namespace

TdLambda::TdLambda(const TdLambdaParams& params) : params_(params) {
  if (params.n_features < 1) {
    refuse("n_features", params.n_features, "it must be at least 1");
  }
  check_unit_interval("alpha", params.alpha, /*open_at_zero=*/true);
  check_unit_interval("gamma", params.gamma, /*open_at_zero=*/false);
  check_unit_interval("lambda", params.lambda, /*open_at_zero=*/false);
  if (!std::isfinite(params.initial_weight)) {
    refuse("initial_weight", params.initial_weight, "it must be finite");
  }
  trace_decay_ = params.gamma * params.lambda;
  w_ = Eigen::VectorXd::Constant(params.n_features, params.initial_weight);
  e_ = Eigen::VectorXd::Zero(params.n_features);
}

void TdLambda::begin_episode() {
  e_.setZero();
}

void TdLambda::check_size(const Eigen::VectorXd& x, const char* what) const {
  if (x.size() != params_.n_features) {
    std::ostringstream msg;
    msg << "TdLambda: " << what << " has " << x.size() << " features; the agent was built for "
        << params_.n_features;
    throw std::invalid_argument(msg.str());
  }
}

double TdLambda::value(const Eigen::VectorXd& x) const {
  check_size(x, "x");
  return w_.dot(x);
}

StepSignal TdLambda::step(const Eigen::VectorXd& x, double reward, const Eigen::VectorXd& x_next,
                          bool terminal) {
  check_size(x, "x");
  StepSignal out;
  out.value = w_.dot(x);
  double next_value = 0.0;
  if (!terminal) {
    check_size(x_next, "x_next");
    next_value = w_.dot(x_next);
  }
  out.delta = reward + params_.gamma * next_value - out.value;
  e_ = trace_decay_ * e_ + x;
  w_ += (params_.alpha * out.delta) * e_;
  return out;
}

}  // namespace bgsim::agents
