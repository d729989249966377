#pragma once
// Addiction as a computational process gone awry: TD learning with a drug that
// delivers dopamine the value function cannot compensate.
//
// Redish (2004), "Addiction as a computational process gone awry", Science
// 306:1944–1947. Natural rewards use the ordinary TD error; a drug reward adds a
// direct dopamine surge D that no learned value can cancel:
//
//   natural   δ = r + γ·V(s') − V(s)
//   drug      δ = max(r + γ·V(s') − V(s) + D, D)
//
// with V(s') = max_b Q(s', b) (Q-learning) or Q(s', a') (SARSA) and
// Q(s, a) ← Q(s, a) + α·δ. Because δ ≥ D > 0 on every drug step, the drug's value
// grows by at least α·D per visit without bound, and the drug is eventually
// preferred even over a larger natural reward.
//
// Dezfouli et al. (2009), "A neurocomputational model for cocaine addiction",
// Neural Computation 21:2869–2893: the same idea in average-reward TD, with a
// tolerance κ that grows with drug use (the basal reward level falls):
//
//   natural   δ = r + Q(s', a') − Q(s, a) − ρ
//   drug      δ = max(r + Q(s', a') − Q(s, a) + D − κ, D − κ) − ρ
//   average   ρ ← (1 − σ)·ρ + σ·r̃,   r̃ = δ + ρ − Q(s', a') + Q(s, a) on drug steps
//                                     (the reward with its drug part), r̃ = r otherwise
//   tolerance κ ← (1 − λ)·κ + λ·κ̂,    κ̂ = κ_max on drug steps, 0 otherwise
//
// δ uses ρ and κ from before the step; ρ and κ move after it, as in the public
// implementation of the dual-process addiction project (George-Grainger/
// addiction-simulation-env, rl_algorithms/enhanced_awry_q_learning.py:
// σ = 0.005, λ = 0.0003, κ_max = 3, D = 15). On every drug step
// δ + ρ ≥ D − κ: relative to the average reward the drug still adds at least
// α·(D − κ) per visit, but because ρ absorbs the drug's value the advantage of the
// drug over a natural reward stays finite (≈ D − κ minus the natural reward's
// extra size), unlike Redish's model.

#include <cstdint>

#include "models/agents/agent.hpp"
#include "models/agents/q_learning.hpp"

namespace bgsim::agents {

struct RedishParams {
  QLearningParams q;            // the Q-learner (states, actions, α, γ, choice, ε schedule)
  double drug_dopamine = 15.0;  // D > 0: non-compensable dopamine of a drug reward [reward units]
};

void validate(const RedishParams& params);

class RedishAgent {
 public:
  RedishAgent(const RedishParams& params, std::uint64_t seed);

  const RedishParams& params() const { return params_; }
  int act(int state) { return learner_.act(state); }
  // One transition; `drug` marks a drug reward. Returns Q(s, a) before and δ.
  StepSignal learn(const Transition& t, bool drug);
  void end_episode() { learner_.end_episode(); }
  const QLearningAgent& learner() const { return learner_; }
  double q(int state, int action) const { return learner_.q(state, action); }

 private:
  RedishParams params_;
  QLearningAgent learner_;
};

struct AverageRewardAddictionParams {
  // The learner: states, actions, α, choice and ε schedule. δ always bootstraps
  // from Q(s', a') of the next chosen action (SARSA) and never discounts, so `rule`
  // and `gamma` are not used.
  QLearningParams q;
  double drug_dopamine = 15.0;      // D > 0: drug dopamine [reward units]
  double reward_rate_step = 0.005;  // σ ∈ (0, 1]: step of the average reward ρ [dimensionless]
  double tolerance_rate = 0.0003;   // λ ∈ [0, 1]: step of the tolerance κ [dimensionless]
  double tolerance_limit = 3.0;  // κ_max ≥ 0: tolerance reached under steady use [reward units]
  double initial_average_reward = 0.0;  // ρ at the start [reward units]
};

void validate(const AverageRewardAddictionParams& params);

class AverageRewardAddictionAgent {
 public:
  AverageRewardAddictionAgent(const AverageRewardAddictionParams& params, std::uint64_t seed);

  const AverageRewardAddictionParams& params() const { return params_; }
  int act(int state) { return learner_.act(state); }
  // One transition; t.next_action must be the next action chosen (a'), unless
  // t.terminal. Returns Q(s, a) before and δ.
  StepSignal learn(const Transition& t, bool drug);
  void end_episode() { learner_.end_episode(); }
  const QLearningAgent& learner() const { return learner_; }
  double q(int state, int action) const { return learner_.q(state, action); }
  double average_reward() const { return rho_; }
  double tolerance() const { return kappa_; }

 private:
  AverageRewardAddictionParams params_;
  QLearningAgent learner_;
  double rho_ = 0.0;
  double kappa_ = 0.0;
};

}  // namespace bgsim::agents
