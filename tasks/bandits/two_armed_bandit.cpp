#include "tasks/bandits/two_armed_bandit.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

#include "models/agents/q_learning.hpp"

namespace bgsim::tasks::bandits {
namespace {

double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

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

BanditTrace run_two_armed_bandit(const TwoArmedBanditConfig& config, std::uint64_t task_seed,
                                 std::uint64_t subject_seed) {
  validate(config);
  BanditTask task(config.task, task_seed);
  const BanditSubject& subject = config.subject;
  const int arms = config.task.num_arms;

  agents::QLearningParams qp;
  qp.num_states = 1;
  qp.num_actions = arms;
  qp.alpha = subject.alpha;
  qp.beta = subject.beta;
  qp.gamma = 0.0;
  qp.choice = agents::ChoiceRule::softmax;
  agents::QLearningAgent agent(qp, derive_seed(subject_seed, 0));
  std::mt19937_64 process_rng(derive_seed(subject_seed, 1));
  std::normal_distribution<double> normal(0.0, 1.0);

  double alpha = subject.alpha, beta = subject.beta;
  // Drifting: the walk runs on x_α = logit α and x_β = log β.
  double x_alpha = 0.0, x_beta = 0.0;
  if (subject.process == ParameterProcess::drifting) {
    x_alpha = std::log(alpha / (1.0 - alpha));
    x_beta = std::log(beta);
  }
  int since_alpha = 0, since_beta = 0, switches_alpha = 0, switches_beta = 0;

  BanditTrace trace;
  trace.num_arms = arms;
  const auto n = static_cast<std::size_t>(config.num_trials);
  for (auto* v : {&trace.reward, &trace.p_choice, &trace.delta, &trace.alpha, &trace.beta}) {
    v->reserve(n);
  }
  trace.block.reserve(n);
  trace.action.reserve(n);
  trace.q.reserve(n * arms);
  trace.mean.reserve(n * arms);
  std::vector<double> probabilities(arms);

  for (int t = 0; t < config.num_trials; ++t) {
    task.reset();
    if (subject.reset_each_block && task.block_start()) agent.reset_values();

    if (subject.process == ParameterProcess::switching) {
      // q_sim.py: counters advance first; a redraw needs more than the minimum gap.
      ++since_alpha;
      ++since_beta;
      if (since_alpha > subject.min_trials_between_switches &&
          switches_alpha < subject.max_switches &&
          uniform01(process_rng) < subject.switch_probability) {
        alpha = uniform01(process_rng);
        ++switches_alpha;
        since_alpha = 0;
      }
      if (since_beta > subject.min_trials_between_switches &&
          switches_beta < subject.max_switches &&
          uniform01(process_rng) < subject.switch_probability) {
        beta = 10.0 * uniform01(process_rng);
        ++switches_beta;
        since_beta = 0;
      }
      agent.set_alpha(alpha);
      agent.set_beta(beta);
    }

    agent.policy(0, probabilities);
    const int a = agent.act(0);
    const TaskStep outcome = task.step(a);
    const agents::StepSignal signal =
        agent.learn({.state = 0, .action = a, .reward = outcome.reward, .terminal = true});

    trace.block.push_back(static_cast<int>(task.block()));
    trace.action.push_back(a);
    trace.reward.push_back(outcome.reward);
    trace.p_choice.push_back(probabilities[a]);
    for (int b = 0; b < arms; ++b)
      trace.q.push_back(agent.q(0, b));
    trace.delta.push_back(signal.delta);
    trace.alpha.push_back(alpha);
    trace.beta.push_back(beta);
    for (int b = 0; b < arms; ++b)
      trace.mean.push_back(task.means()[b]);

    if (subject.process == ParameterProcess::drifting) {
      // q_sim_rw.py: the step comes after the trial; β is capped at 10.
      x_alpha += subject.drift_sd[0] * normal(process_rng);
      x_beta += subject.drift_sd[1] * normal(process_rng);
      alpha = 1.0 / (1.0 + std::exp(-x_alpha));
      beta = std::min(std::exp(x_beta), 10.0);
      agent.set_alpha(alpha);
      agent.set_beta(beta);
    }
  }
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
