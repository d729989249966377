#include "models/agents/choice_likelihood.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bgsim::agents::choice {

int sample_index(std::span<const double> p, std::mt19937_64& rng) {
  const double u = uniform01(rng);
  double cumulative = 0.0;
  const int n = static_cast<int>(p.size());
  for (int i = 0; i < n - 1; ++i) {
    cumulative += p[i];
    if (u < cumulative) return i;
  }
  return n - 1;
}

int argmax(std::span<const double> values) {
  int best = 0;
  for (int i = 1; i < static_cast<int>(values.size()); ++i) {
    if (values[i] > values[best]) best = i;
  }
  return best;
}

void softmax(std::span<const double> values, double beta, std::span<double> out, int bonus_index,
             double bonus) {
  const int n = static_cast<int>(values.size());
  double m = -INFINITY;
  for (int i = 0; i < n; ++i) {
    out[i] = beta * (values[i] + (i == bonus_index ? bonus : 0.0));
    m = std::max(m, out[i]);
  }
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    out[i] = std::exp(out[i] - m);
    sum += out[i];
  }
  for (int i = 0; i < n; ++i)
    out[i] /= sum;
}

void epsilon_greedy(std::span<const double> values, double epsilon, std::span<double> out,
                    int bonus_index, double bonus) {
  const int n = static_cast<int>(values.size());
  int best = 0;
  double best_value = -INFINITY;
  for (int i = 0; i < n; ++i) {
    const double v = values[i] + (i == bonus_index ? bonus : 0.0);
    if (v > best_value) {
      best_value = v;
      best = i;
    }
  }
  for (int i = 0; i < n; ++i)
    out[i] = epsilon / n;
  out[best] += 1.0 - epsilon;
}

void validate(const ChoiceData& data) {
  if (data.num_actions < 2) {
    throw std::invalid_argument("ChoiceData.num_actions = " + std::to_string(data.num_actions) +
                                ": a choice needs at least 2 actions");
  }
  if (data.rewards.size() != data.actions.size()) {
    throw std::invalid_argument("ChoiceData.rewards has " + std::to_string(data.rewards.size()) +
                                " entries but actions has " + std::to_string(data.actions.size()) +
                                ": one reward per trial is required");
  }
  if (!data.blocks.empty() && data.blocks.size() != data.actions.size()) {
    throw std::invalid_argument("ChoiceData.blocks has " + std::to_string(data.blocks.size()) +
                                " entries but actions has " + std::to_string(data.actions.size()) +
                                ": give one block index per trial, or none");
  }
  for (std::size_t t = 0; t < data.actions.size(); ++t) {
    const int a = data.actions[t];
    if (a < 0 || a >= data.num_actions) {
      throw std::invalid_argument("ChoiceData.actions[" + std::to_string(t) +
                                  "] = " + std::to_string(a) + ": must lie in [0, " +
                                  std::to_string(data.num_actions) + ")");
    }
  }
}

double q_learning_negative_log_likelihood(const ChoiceData& data, double alpha, double beta,
                                          std::span<double> gradient,
                                          const LikelihoodOptions& options) {
  validate(data);
  if (!std::isfinite(alpha) || !std::isfinite(beta)) {
    throw std::invalid_argument(
        "q_learning_negative_log_likelihood: alpha = " + std::to_string(alpha) +
        ", beta = " + std::to_string(beta) + ": both must be finite");
  }
  if (!gradient.empty() && gradient.size() != 2) {
    throw std::invalid_argument("q_learning_negative_log_likelihood: gradient has size " +
                                std::to_string(gradient.size()) + ": must be 0 or 2");
  }
  const bool want_gradient = !gradient.empty();
  const int n = data.num_actions;
  // Small fixed-size work arrays; bandits have a handful of arms.
  std::vector<double> q(n, options.q0), dq(n, 0.0), p(n, 0.0);
  double nll = 0.0, g_alpha = 0.0, g_beta = 0.0;
  const std::size_t trials = data.actions.size();
  for (std::size_t t = 0; t < trials; ++t) {
    if (options.reset_each_block && !data.blocks.empty() && t > 0 &&
        data.blocks[t] != data.blocks[t - 1]) {
      std::fill(q.begin(), q.end(), options.q0);
      std::fill(dq.begin(), dq.end(), 0.0);
    }
    const int a = data.actions[t];
    if (n == 2) {
      // Two arms: the softmax is the logistic of β·(Q_other − Q_a); one exp.
      p[a] = 1.0 / (1.0 + std::exp(beta * (q[1 - a] - q[a])));
      p[1 - a] = 1.0 - p[a];
    } else {
      softmax(q, beta, p);
    }
    const double pa = p[a];
    nll -= std::log(pa + options.probability_floor);
    if (want_gradient) {
      // ∂x_b/∂α = β ∂Q_b/∂α and ∂x_b/∂β = Q_b; mean over the policy.
      double mean_dalpha = 0.0, mean_dbeta = 0.0;
      for (int b = 0; b < n; ++b) {
        mean_dalpha += p[b] * beta * dq[b];
        mean_dbeta += p[b] * q[b];
      }
      const double scale = pa / (pa + options.probability_floor);
      g_alpha -= scale * (beta * dq[a] - mean_dalpha);
      g_beta -= scale * (q[a] - mean_dbeta);
    }
    const double error = data.rewards[t] - q[a];
    dq[a] = (1.0 - alpha) * dq[a] + error;
    q[a] = q[a] + alpha * error;
  }
  if (want_gradient) {
    gradient[0] = g_alpha;
    gradient[1] = g_beta;
  }
  return nll;
}

}  // namespace bgsim::agents::choice
