#include "models/agents/latent_state.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bgsim::agents {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("LatentStateParams." + field + " = " + std::to_string(value) +
                              ": must be " + allowed);
}

}  // namespace

void validate(const LatentStateParams& p) {
  validate(p.q);
  if (!(p.drug_dopamine >= 0.0) || !std::isfinite(p.drug_dopamine)) {
    refuse("drug_dopamine", p.drug_dopamine, "finite and >= 0");
  }
  if (!(p.drug_salience >= 0.0) || !std::isfinite(p.drug_salience)) {
    refuse("drug_salience", p.drug_salience, "finite and >= 0");
  }
  if (!(p.outcome_rate > 0.0 && p.outcome_rate <= 1.0)) {
    refuse("outcome_rate", p.outcome_rate, "in (0, 1]");
  }
  if (!(p.surprise_rate > 0.0 && p.surprise_rate <= 1.0)) {
    refuse("surprise_rate", p.surprise_rate, "in (0, 1]");
  }
  if (!(p.split_threshold > 0.0) || !std::isfinite(p.split_threshold)) {
    refuse("split_threshold", p.split_threshold, "finite and > 0");
  }
  if (!(p.feature_tolerance >= 0.0) || !std::isfinite(p.feature_tolerance)) {
    refuse("feature_tolerance", p.feature_tolerance, "finite and >= 0");
  }
  if (!(p.outcome_tolerance > 0.0) || !std::isfinite(p.outcome_tolerance)) {
    refuse("outcome_tolerance", p.outcome_tolerance, "finite and > 0");
  }
  if (p.max_states < 1) refuse("max_states", p.max_states, "at least 1");
}

LatentStateAgent::LatentStateAgent(const LatentStateParams& params, int num_features,
                                   std::uint64_t seed)
    : params_(params), num_features_(num_features), learner_((validate(params), params.q), seed) {
  if (num_features < 0) {
    throw std::invalid_argument("LatentStateAgent: num_features = " + std::to_string(num_features) +
                                ": must be >= 0");
  }
  const std::size_t table = learner_.values().size();
  Latent first;
  first.q.assign(table, params_.q.q0);
  first.outcome.assign(table, 0.0);
  first.prototype.assign(num_features, 0.0);
  states_.push_back(std::move(first));
  features_.assign(num_features, 0.0);
}

double LatentStateAgent::feature_distance(const Latent& l, std::span<const double> x) const {
  double sum = 0.0;
  for (int i = 0; i < num_features_; ++i) {
    const double d = x[i] - l.prototype[i];
    sum += d * d;
  }
  return std::sqrt(sum);
}

void LatentStateAgent::switch_to(int k) {
  if (k == active_) return;
  const auto current = learner_.values();
  std::copy(current.begin(), current.end(), states_[active_].q.begin());
  learner_.set_values(states_[k].q);
  active_ = k;
  evidence_ = 0.0;
}

int LatentStateAgent::spawn_copy_of_active(std::span<const double> prototype) {
  Latent copy = states_[active_];
  const auto current = learner_.values();
  copy.q.assign(current.begin(), current.end());
  copy.prototype.assign(prototype.begin(), prototype.end());
  states_.push_back(std::move(copy));
  const int k = static_cast<int>(states_.size()) - 1;
  switch_to(k);
  return k;
}

void LatentStateAgent::observe(std::span<const double> features) {
  if (static_cast<int>(features.size()) != num_features_) {
    throw std::invalid_argument("LatentStateAgent::observe: " + std::to_string(features.size()) +
                                " features given: the agent was built for " +
                                std::to_string(num_features_));
  }
  features_.assign(features.begin(), features.end());
  if (!observed_) {
    // The first situation the agent meets defines its first state.
    observed_ = true;
    states_[active_].prototype = features_;
    return;
  }
  if (feature_distance(states_[active_], features) <= params_.feature_tolerance) return;
  int best = -1;
  for (int k = 0; k < num_latent_states(); ++k) {
    if (feature_distance(states_[k], features) > params_.feature_tolerance) continue;
    if (best < 0 || states_[k].last_active > states_[best].last_active) best = k;
  }
  if (best >= 0) {
    switch_to(best);
  } else if (num_latent_states() < params_.max_states) {
    spawn_copy_of_active(features);
  }
}

StepSignal LatentStateAgent::learn(const Transition& t, bool drug) {
  // Learning in the state the agent believed it was in when it acted.
  const double before = learner_.q(t.state, t.action);
  double delta = t.reward + learner_.bootstrap(t) - before;
  if (drug && params_.drug_dopamine > 0.0) {
    delta = std::max(delta + params_.drug_dopamine, params_.drug_dopamine);
  }
  learner_.apply(t.state, t.action, delta);
  states_[active_].last_active = ++clock_;

  const std::size_t cell = static_cast<std::size_t>(t.state) * params_.q.num_actions +
                           static_cast<std::size_t>(t.action);
  const double outcome = t.reward + (drug ? params_.drug_salience : 0.0);
  Latent& here = states_[active_];
  const double error = outcome - here.outcome[cell];

  if (std::abs(error) > params_.outcome_tolerance) {
    // Step 2: does another state of this situation expect exactly this outcome?
    int best = -1;
    double best_error = params_.outcome_tolerance;
    for (int k = 0; k < num_latent_states(); ++k) {
      if (k == active_) continue;
      if (feature_distance(states_[k], features_) > params_.feature_tolerance) continue;
      const double e = std::abs(outcome - states_[k].outcome[cell]);
      if (e <= best_error) {
        best_error = e;
        best = k;
      }
    }
    if (best >= 0) {
      switch_to(best);
      states_[best].last_active = clock_;
      return {before, delta};
    }
  }

  // Step 3: weigh the evidence that the world got worse, and learn the outcome —
  // unless it is surprisingly worse: then the state keeps its prediction (its
  // memory of this situation) until the agent decides the world has changed.
  evidence_ =
      (1.0 - params_.surprise_rate) * evidence_ + params_.surprise_rate * std::max(0.0, -error);
  if (error >= -params_.outcome_tolerance) here.outcome[cell] += params_.outcome_rate * error;
  if (evidence_ > params_.split_threshold && num_latent_states() < params_.max_states) {
    const std::vector<double> prototype = here.prototype;
    const int k = spawn_copy_of_active(prototype);
    states_[k].outcome[cell] = outcome;
    states_[k].last_active = clock_;
  }
  return {before, delta};
}

void LatentStateAgent::check_latent(int latent) const {
  if (latent < 0 || latent >= num_latent_states()) {
    throw std::invalid_argument("LatentStateAgent: latent state " + std::to_string(latent) +
                                ": must lie in [0, " + std::to_string(num_latent_states()) + ")");
  }
}

double LatentStateAgent::q(int latent, int world_state, int action) const {
  check_latent(latent);
  if (latent == active_) return learner_.q(world_state, action);
  return states_[latent].q.at(static_cast<std::size_t>(world_state) * params_.q.num_actions +
                              static_cast<std::size_t>(action));
}

double LatentStateAgent::predicted_outcome(int latent, int world_state, int action) const {
  check_latent(latent);
  return states_[latent].outcome.at(static_cast<std::size_t>(world_state) * params_.q.num_actions +
                                    static_cast<std::size_t>(action));
}

}  // namespace bgsim::agents
