#include "models/agents/td_tabular.hpp"

#include "core/parameters.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bgsim::agents {
namespace {

void require_unit_interval(const std::string& name, double value) {
  if (!(std::isfinite(value) && value >= 0.0 && value <= 1.0)) {
    refuse(name, value, "must be finite and in [0, 1]");
  }
}

}  // namespace

void validate(const TdTabularParams& p) {
  if (p.num_states < 1) refuse("TdTabularParams.num_states", p.num_states, "must be at least 1");
  require_unit_interval("TdTabularParams.alpha", p.alpha);
  require_unit_interval("TdTabularParams.gamma", p.gamma);
}

TdTabular::TdTabular(const TdTabularParams& params) : params_(params) {
  validate(params_);
  v_.assign(static_cast<std::size_t>(params_.num_states), 0.0);
}

void TdTabular::check_state(int s, const char* what) const {
  if (s < 0 || s >= params_.num_states) {
    refuse(std::string("TdTabular::update ") + what, s,
           "must be a state in [0, " + std::to_string(params_.num_states - 1) + "]");
  }
}

StepSignal TdTabular::update(int s, double r, int s_next, bool terminal) {
  check_state(s, "state");
  const double v_s = v_[static_cast<std::size_t>(s)];
  double delta = 0.0;
  if (terminal) {
    delta = r - v_s;
  } else {
    check_state(s_next, "next state");
    // Same order of operations as the reference: (r + γ·V(s')) − V(s).
    delta = r + params_.gamma * v_[static_cast<std::size_t>(s_next)] - v_s;
  }
  v_[static_cast<std::size_t>(s)] += params_.alpha * delta;
  return {v_s, delta};
}

double TdTabular::value(int s) const {
  check_state(s, "state");
  return v_[static_cast<std::size_t>(s)];
}

void TdTabular::set_alpha(double alpha) {
  TdTabularParams p = params_;
  p.alpha = alpha;
  validate(p);
  params_ = p;
}

void TdTabular::reset() {
  v_.assign(v_.size(), 0.0);
}

}  // namespace bgsim::agents
