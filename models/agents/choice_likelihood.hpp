#pragma once
// Choice rules of the rate-coded agents, and the likelihood of observed choices
// under the Q-learning bandit model (for maximum-likelihood parameter recovery).
//
// Choice rules (over the n action values Q_a of one state):
//
//   softmax        P(a) = exp(β·Q_a) / Σ_b exp(β·Q_b)            β: inverse temperature
//   perseveration  P(a) ∝ exp(β·(Q_a + κ·[a = a_prev]))          κ: stickiness bonus
//   ε-greedy       P(a) = ε/n + (1 − ε)·[a = first argmax_b Q_b]
//
// The softmax is evaluated as exp(β·Q_a − m)/Σ exp(β·Q_b − m) with m = max_b β·Q_b;
// this is the same number as the unshifted form up to rounding, and it cannot
// overflow. The greedy action is the first maximum, as numpy.argmax picks it in
// the reference code.
//
// Likelihood of the Q-learning bandit model. The two-armed bandit baseline of the
// t-RNN study (Ger et al., "Harnessing the flexibility of neural networks to
// predict dynamical theoretical parameters of human choice behavior"; public code
// yoavger/harnessing_the_flexibility_of_nn_to_predict_dynamical, q_sim.py and
// q_fit.py) simulates and fits
//
//   Q ← q0 (= 0) at the first trial of every block (blocks of 100 trials),
//   p_t = softmax(β·Q_t)[a_t],
//   Q_{t+1}[a_t] = Q_t[a_t] + α·(r_t − Q_t[a_t])        (other arms unchanged),
//   NLL(α, β) = −Σ_t log(p_t + ε_p),  ε_p = 1e−10.
//
// The gradient is exact, by forward-mode differentiation of the recursion:
//   ∂Q_a/∂α ← (1 − α)·∂Q_a/∂α + (r − Q_a)   for the chosen arm (before Q_a moves),
//   ∂p/∂θ = p·(∂x_a/∂θ − Σ_b p_b ∂x_b/∂θ)  with x_b = β·Q_b, ∂x_b/∂α = β·∂Q_b/∂α,
//   ∂x_b/∂β = Q_b, and ∂NLL/∂θ = −Σ_t (∂p_t/∂θ)/(p_t + ε_p).
// The optimiser that uses it lives in tasks/fit/.

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace bgsim::agents::choice {

// A uniform double in [0, 1) from the top 53 bits of one draw: the same number on
// every standard library (std::uniform_real_distribution is not specified bit for bit).
inline double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Index sampled from probabilities `p` (summing to 1) by inverse CDF with one uniform
// draw; the last index absorbs rounding so the result is always valid.
int sample_index(std::span<const double> p, std::mt19937_64& rng);

// First index of the largest value (numpy.argmax semantics).
int argmax(std::span<const double> values);

// Softmax probabilities of `values` at inverse temperature `beta` into `out`
// (same size). `bonus_index` (≥ 0) receives `bonus` added to its value first:
// the perseveration term κ·[a = a_prev]; pass −1 for none. `out` may be `values`.
void softmax(std::span<const double> values, double beta, std::span<double> out,
             int bonus_index = -1, double bonus = 0.0);

// ε-greedy probabilities into `out`; `bonus_index`/`bonus` as for softmax (they move
// the greedy choice only).
void epsilon_greedy(std::span<const double> values, double epsilon, std::span<double> out,
                    int bonus_index = -1, double bonus = 0.0);

// Choices and outcomes of one agent in a bandit session.
struct ChoiceData {
  int num_actions = 2;          // number of arms [dimensionless]
  std::vector<int> actions;     // chosen arm per trial, in [0, num_actions)
  std::vector<double> rewards;  // outcome per trial [reward units]
  std::vector<int> blocks;      // block index per trial; empty = one block
};

struct LikelihoodOptions {
  // Reset the values to q0 whenever the block index changes, as the reference
  // simulation and fit do at every 100th trial.
  bool reset_each_block = true;
  double q0 = 0.0;                   // initial value of every arm [reward units]
  double probability_floor = 1e-10;  // ε_p added inside the log, as in q_fit.py [dimensionless]
};

// Negative log-likelihood of `data` under Q-learning with learning rate `alpha` and
// inverse temperature `beta`. If `gradient` is non-empty it must have size 2 and
// receives (∂NLL/∂α, ∂NLL/∂β). Refuses malformed data with std::invalid_argument.
double q_learning_negative_log_likelihood(const ChoiceData& data, double alpha, double beta,
                                          std::span<double> gradient = {},
                                          const LikelihoodOptions& options = {});

// Validates `data` (sizes, action range); throws std::invalid_argument naming the field.
void validate(const ChoiceData& data);

}  // namespace bgsim::agents::choice
