#pragma once
// Tabular Q-learning and SARSA with softmax or ε-greedy choice and optional
// perseveration.
//
//   Q-learning (Watkins 1989):  δ = r + γ·max_b Q(s', b) − Q(s, a)
//   SARSA (Rummery & Niranjan 1994): δ = r + γ·Q(s', a') − Q(s, a)
//   at a terminal transition:   δ = r − Q(s, a)
//   update:                     Q(s, a) ← Q(s, a) + α·δ
//
// Choice (see choice_likelihood.hpp): softmax P(a|s) ∝ exp(β·(Q(s,a) + κ·[a = a_prev]))
// or ε-greedy over Q(s,·) + κ·[a = a_prev]; κ = 0 switches perseveration off. The
// previous action a_prev is the last action this agent chose, in any state, and
// is forgotten by reset_values() — the reference "Q-learning with perseveration"
// of the t-RNN baselines (qp_sim.py) applies it from the second trial of a block.
//
// ε schedules, applied by end_episode() after episode e = 0, 1, 2, …:
//   geometric    ε ← max(ε_min, ε·d)
//   compounding  ε ← max(ε_min, ε·d^(e+1))  — the schedule of the addiction
//                reference (George-Grainger/addiction-simulation-env, rl_algorithms/
//                q_learning.py, decay_epsilon), with the floor ε_min of experiments.md §3.
//
// The Q-learning bandit of experiments.md §4 is num_states = 1, γ = 0, softmax:
// Q[a] += α·(r − Q[a]).

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "models/agents/agent.hpp"

namespace bgsim::agents {

enum class TdRule : std::uint8_t {
  q_learning,  // bootstrap from max_b Q(s', b)
  sarsa,       // bootstrap from Q(s', a') of the next action actually chosen
};

enum class ChoiceRule : std::uint8_t {
  softmax,         // P(a) ∝ exp(β·Q)
  epsilon_greedy,  // random with probability ε, else the first maximum
};

enum class EpsilonSchedule : std::uint8_t {
  geometric,    // ε ← max(ε_min, ε·d) after every episode
  compounding,  // ε ← max(ε_min, ε·d^(e+1)) after episode e (addiction reference)
};

struct QLearningParams {
  int num_states = 1;                       // number of discrete states [dimensionless]
  int num_actions = 2;                      // number of actions [dimensionless]
  double alpha = 0.1;                       // learning rate α ∈ [0, 1] [dimensionless]
  double gamma = 0.0;                       // discount factor γ ∈ [0, 1] [dimensionless]
  double q0 = 0.0;                          // initial value of every Q(s, a) [reward units]
  TdRule rule = TdRule::q_learning;         // which bootstrap target δ uses
  ChoiceRule choice = ChoiceRule::softmax;  // how actions are chosen
  double beta = 1.0;                        // softmax inverse temperature β ≥ 0 [1/reward units]
  double epsilon = 0.1;        // initial exploration probability ε ∈ [0, 1] [dimensionless]
  double epsilon_decay = 1.0;  // ε decay factor d ∈ (0, 1] per episode [dimensionless]
  double epsilon_min = 0.0;    // floor ε_min ∈ [0, ε] of the decayed ε [dimensionless]
  EpsilonSchedule epsilon_schedule = EpsilonSchedule::geometric;  // how d is applied
  double perseveration = 0.0;  // κ: bonus to the previous action's value [reward units]
};

// Throws std::invalid_argument naming the first bad field, its value and what is allowed.
void validate(const QLearningParams& params);

// One learning step. `next_action` is needed by SARSA only (−1 otherwise).
struct Transition {
  int state = 0;          // s
  int action = 0;         // a
  double reward = 0.0;    // r [reward units]
  int next_state = 0;     // s'
  int next_action = -1;   // a' (SARSA)
  bool terminal = false;  // s' ends the episode: no bootstrap
};

class QLearningAgent {
 public:
  // `seed` keys the agent's own random stream (action sampling).
  QLearningAgent(const QLearningParams& params, std::uint64_t seed);

  const QLearningParams& params() const { return params_; }
  // Change α or β mid-session (time-varying parameters); validated like the params.
  void set_alpha(double alpha);
  void set_beta(double beta);

  // Samples an action in `state` from the current policy and remembers it as the
  // previous action (for perseveration).
  int act(int state);
  // The current policy's choice probabilities in `state` into `out` (size num_actions).
  void policy(int state, std::span<double> out) const;
  // The action with the largest value in `state` (first maximum).
  int greedy_action(int state) const;

  // δ of the transition under params().rule, then Q(s, a) += α·δ.
  // Returns Q(s, a) before the update and δ.
  StepSignal learn(const Transition& t);
  // The bootstrap-free part: Q(s, a) += α·δ for a δ computed elsewhere (used by
  // agents that change δ, e.g. the addiction models).
  void apply(int state, int action, double delta);
  // The TD target's bootstrap term γ·max_b Q(s', b) or γ·Q(s', a') (0 if terminal).
  double bootstrap(const Transition& t) const;

  double q(int state, int action) const { return q_[index(state, action)]; }
  std::span<const double> q_row(int state) const;
  void set_q(int state, int action, double value) { q_[index(state, action)] = value; }
  // The whole table, row-major [state][action], and its replacement (same size).
  std::span<const double> values() const { return q_; }
  void set_values(std::span<const double> values);

  // Advances the ε schedule by one episode.
  void end_episode();
  double epsilon() const { return epsilon_; }
  int episodes() const { return episodes_; }
  int previous_action() const { return previous_action_; }

  // Q ← q0 and the previous action is forgotten (start of a new block).
  void reset_values();
  // Everything back to construction (values, ε, episode count); the random stream
  // continues.
  void reset();

 private:
  std::size_t index(int state, int action) const;
  void check_state(int state, const char* what) const;
  void check_action(int action, const char* what) const;

  QLearningParams params_;
  std::vector<double> q_;  // row-major [state][action]
  double epsilon_ = 0.0;
  int episodes_ = 0;
  int previous_action_ = -1;
  std::mt19937_64 rng_;
  std::vector<double> scratch_;  // choice probabilities of act()
};

}  // namespace bgsim::agents
