#include "tasks/bandits/two_armed_bandit.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include "tasks/bandits/bandit_subject.hpp"
#include "tasks/loop/session.hpp"

namespace bgsim::tasks::bandits {
namespace {

void validate(const TwoArmedBanditConfig& c) {
  if (c.num_trials < 1) {
    throw std::invalid_argument(
        "TwoArmedBanditConfig.num_trials = " + std::to_string(c.num_trials) + ": must be >= 1");
  }
  const auto& s = c.subject;
  if (!(s.switch_probability >= 0.0 && s.switch_probability <= 1.0)) {
    throw std::invalid_argument("BanditSubject.switch_probability = " +
                                std::to_string(s.switch_probability) + ": must be in [0, 1]");
  }
  if (s.min_trials_between_switches < 0 || s.max_switches < 0) {
    throw std::invalid_argument("BanditSubject.min_trials_between_switches = " +
                                std::to_string(s.min_trials_between_switches) +
                                ", max_switches = " + std::to_string(s.max_switches) +
                                ": both must be >= 0");
  }
  for (double sd : s.drift_sd) {
    if (!(sd >= 0.0) || !std::isfinite(sd)) {
      throw std::invalid_argument("BanditSubject.drift_sd[] = " + std::to_string(sd) +
                                  ": must be finite and >= 0");
    }
  }
  if (s.process == ParameterProcess::drifting &&
      !(s.alpha > 0.0 && s.alpha < 1.0 && s.beta > 0.0)) {
    throw std::invalid_argument("BanditSubject.alpha = " + std::to_string(s.alpha) +
                                ", beta = " + std::to_string(s.beta) +
                                ": a drifting subject needs alpha in (0, 1) and beta > 0 "
                                "(the walk runs on logit alpha and log beta)");
  }
}

}  // namespace

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

agents::choice::ChoiceData BanditTrace::choices() const {
  agents::choice::ChoiceData d;
  d.num_actions = num_arms;
  d.actions = action;
  d.rewards = reward;
  d.blocks = block;
  return d;
}

// One subject's session: the subject plays the bandit through the one session
// runner; the trace collects each trial's record with the task's block and means.
BanditTrace run_two_armed_bandit(const TwoArmedBanditConfig& config, std::uint64_t task_seed,
                                 std::uint64_t subject_seed) {
  validate(config);
  BanditTask task(config.task, task_seed);
  const int arms = config.task.num_arms;
  BanditSubjectController subject(config.subject, arms, subject_seed);

  BanditTrace trace;
  trace.num_arms = arms;
  const auto n = static_cast<std::size_t>(config.num_trials);
  for (auto* v : {&trace.reward, &trace.p_choice, &trace.delta, &trace.alpha, &trace.beta})
    v->reserve(n);
  trace.block.reserve(n);
  trace.action.reserve(n);
  trace.q.reserve(n * arms);
  trace.mean.reserve(n * arms);
  // Measures: p_choice, q_0 … q_{n−1}, alpha, beta (BanditSubjectController).
  loop::run_session(task, subject, config.num_trials, [&](const loop::StepRecord& s) {
    trace.block.push_back(static_cast<int>(task.block()));
    trace.action.push_back(s.action);
    trace.reward.push_back(s.reward);
    trace.p_choice.push_back(s.measures[0]);
    trace.q.insert(trace.q.end(), s.measures.begin() + 1, s.measures.begin() + 1 + arms);
    trace.delta.push_back(s.delta);
    trace.alpha.push_back(s.measures[1 + arms]);
    trace.beta.push_back(s.measures[2 + arms]);
    trace.mean.insert(trace.mean.end(), task.means().begin(), task.means().end());
  });
  return trace;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.empty()) {
    throw std::invalid_argument("pearson: series of " + std::to_string(x.size()) + " and " +
                                std::to_string(y.size()) +
                                " values: need two non-empty series of equal length");
  }
  const double n = static_cast<double>(x.size());
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0.0 || syy == 0.0) return 0.0;
  return sxy / std::sqrt(sxx * syy);
}

RecoveryResult run_parameter_recovery(const RecoveryConfig& config, std::uint64_t seed) {
  if (config.num_subjects < 1) {
    throw std::invalid_argument(
        "RecoveryConfig.num_subjects = " + std::to_string(config.num_subjects) + ": must be >= 1");
  }
  const auto [a_lo, a_hi] = config.alpha_range;
  const auto [b_lo, b_hi] = config.beta_range;
  if (!(a_lo >= 0.0 && a_lo <= a_hi && a_hi <= 1.0)) {
    throw std::invalid_argument("RecoveryConfig.alpha_range = [" + std::to_string(a_lo) + ", " +
                                std::to_string(a_hi) + "]: must lie within [0, 1], low <= high");
  }
  if (!(b_lo >= 0.0 && b_lo <= b_hi) || !std::isfinite(b_hi)) {
    throw std::invalid_argument("RecoveryConfig.beta_range = [" + std::to_string(b_lo) + ", " +
                                std::to_string(b_hi) + "]: must be finite, >= 0, low <= high");
  }
  std::mt19937_64 population(derive_seed(seed, 0));
  RecoveryResult result;
  for (int i = 0; i < config.num_subjects; ++i) {
    TwoArmedBanditConfig session = config.bandit;
    session.subject.alpha = a_lo + (a_hi - a_lo) * uniform01(population);
    session.subject.beta = b_lo + (b_hi - b_lo) * uniform01(population);
    const auto subject_id = static_cast<std::uint64_t>(i);
    const BanditTrace trace = run_two_armed_bandit(session, derive_seed(seed, 2 * subject_id + 1),
                                                   derive_seed(seed, 2 * subject_id + 2));
    result.true_alpha.push_back(session.subject.alpha);
    result.true_beta.push_back(session.subject.beta);
    result.trials_simulated += static_cast<std::int64_t>(trace.size());
    if (config.fit) {
      const auto fitted = fit::fit_q_learning(trace.choices(), config.fit_options);
      result.fitted_alpha.push_back(fitted.alpha);
      result.fitted_beta.push_back(fitted.beta);
      result.negative_log_likelihood.push_back(fitted.negative_log_likelihood);
    }
  }
  if (config.fit && config.num_subjects > 1) {
    result.alpha_correlation = pearson(result.true_alpha, result.fitted_alpha);
    result.beta_correlation = pearson(result.true_beta, result.fitted_beta);
  }
  return result;
}

}  // namespace bgsim::tasks::bandits
