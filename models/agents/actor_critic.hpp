#pragma once
// Tabular actor-critic (Barto, Sutton & Anderson 1983; Sutton & Barto 1998 §6.6),
// the textbook reading of the basal ganglia: the critic (ventral striatum) learns
// state values and broadcasts δ (dopamine); the actor (dorsal striatum) learns
// action preferences from the same δ.
//
//   critic   δ = r + γ·V(s') − V(s)        (terminal: δ = r − V(s))
//            V(s) ← V(s) + α_c·δ
//   actor    H(s, a) ← H(s, a) + α_a·δ·g,  g = 1 − π(a|s) if `policy_gradient` else 1
//   choice   π(a|s) = exp(β·H(s, a)) / Σ_b exp(β·H(s, b))
//
// With g = 1 − π(a|s) the actor step is the likelihood-ratio policy gradient of the
// softmax (Sutton & Barto 2018 §13.5); with g = 1 it is the classic form.

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "models/agents/agent.hpp"

namespace bgsim::agents {

struct ActorCriticParams {
  int num_states = 1;            // number of discrete states [dimensionless]
  int num_actions = 2;           // number of actions [dimensionless]
  double alpha_critic = 0.1;     // critic learning rate α_c ∈ [0, 1] [dimensionless]
  double alpha_actor = 0.1;      // actor learning rate α_a ≥ 0 [dimensionless]
  double gamma = 0.0;            // discount factor γ ∈ [0, 1] [dimensionless]
  double beta = 1.0;             // softmax inverse temperature β ≥ 0 [1/reward units]
  double v0 = 0.0;               // initial state value [reward units]
  double h0 = 0.0;               // initial action preference [reward units]
  bool policy_gradient = false;  // scale the actor step by 1 − π(a|s)
};

// Throws std::invalid_argument naming the first bad field, its value and what is allowed.
void validate(const ActorCriticParams& params);

class ActorCriticAgent {
 public:
  ActorCriticAgent(const ActorCriticParams& params, std::uint64_t seed);

  const ActorCriticParams& params() const { return params_; }

  int act(int state);
  void policy(int state, std::span<double> out) const;

  // One transition (s, a, r, s'); returns V(s) before the update and δ.
  StepSignal learn(int state, int action, double reward, int next_state, bool terminal);

  double value(int state) const;
  double preference(int state, int action) const;
  void reset();

 private:
  void check(int state, int action) const;

  ActorCriticParams params_;
  std::vector<double> v_;  // [state]
  std::vector<double> h_;  // row-major [state][action]
  std::vector<double> scratch_;
  std::mt19937_64 rng_;
};

}  // namespace bgsim::agents
