#pragma once
// OpAL, the opponent actor learning model (Collins & Frank 2014, "Opponent actor
// learning (OpAL): modeling interactive effects of striatal dopamine on
// reinforcement learning and choice incentive", Psychological Review 121:337–366).
//
// Two actors stand for the striatal direct (D1, "Go") and indirect (D2, "NoGo")
// pathways. A critic supplies the prediction error; each actor learns with a
// three-factor Hebbian rule whose step scales with its own weight, so Go weights
// grow on positive δ and NoGo weights on negative δ:
//
//   critic   δ = r − V(s);          V(s) ← V(s) + α_c·δ
//   Go       G(a) ← G(a) + α_G·G(a)·δ
//   NoGo     N(a) ← N(a) + α_N·N(a)·(−δ)
//   choice   Act(a) = β_G·G(a) − β_N·N(a),   P(a) = softmax over the offered options
//            β_G = max(0, β·(1 + ρ)),  β_N = max(0, β·(1 − ρ))
//
// ρ ∈ [−1, 1] is the tonic dopamine level at choice: ρ > 0 weights the Go actor
// (choice by benefits, "choose-A"), ρ < 0 the NoGo actor (choice by costs,
// "avoid-B"), as in the Parkinson's on/off medication results of Frank et al. (2004).
// δ is computed once, before the critic moves; G and N start at 1 and are kept
// ≥ 0 (they are activations), as in the public OpAL code (amjaskir/opal-star,
// opal/opal.py).
//
// The actor weights belong to the options (stimuli), not to (state, option), so
// what was learned about a stimulus in one pair carries over to novel pairs; the
// critic values the state (e.g. the pair presented).

#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "models/agents/agent.hpp"

namespace bgsim::agents {

struct OpalParams {
  int num_states = 1;         // number of critic states [dimensionless]
  int num_actions = 2;        // number of options with Go/NoGo weights [dimensionless]
  double alpha_critic = 0.1;  // critic learning rate α_c ∈ [0, 1] [dimensionless]
  double alpha_go = 0.1;      // Go actor learning rate α_G ≥ 0 [dimensionless]
  double alpha_nogo = 0.1;    // NoGo actor learning rate α_N ≥ 0 [dimensionless]
  double beta = 1.0;          // overall inverse temperature β ≥ 0 [1/reward units]
  double rho = 0.0;           // dopamine level ρ ∈ [−1, 1] [dimensionless]
  double v0 = 0.0;            // initial critic value [reward units]
  double g0 = 1.0;            // initial Go weight, > 0 [dimensionless]
  double n0 = 1.0;            // initial NoGo weight, > 0 [dimensionless]
};

// Throws std::invalid_argument naming the first bad field, its value and what is allowed.
void validate(const OpalParams& params);

class OpalAgent {
 public:
  OpalAgent(const OpalParams& params, std::uint64_t seed);

  const OpalParams& params() const { return params_; }
  double beta_go() const { return beta_go_; }
  double beta_nogo() const { return beta_nogo_; }

  // Act(a) = β_G·G(a) − β_N·N(a).
  double act_value(int action) const;
  // Softmax over Act of the offered options into `out` (same size as `options`).
  void choice_probabilities(std::span<const int> options, std::span<double> out) const;
  // Samples one of the offered options.
  int choose(std::span<const int> options);

  // Feedback r after choosing `action` in `state`; returns V(s) before and δ.
  StepSignal learn(int state, int action, double reward);

  double value(int state) const;
  double go(int action) const;
  double nogo(int action) const;
  void reset();

 private:
  void check_state(int state) const;
  void check_action(int action) const;

  OpalParams params_;
  double beta_go_ = 0.0;
  double beta_nogo_ = 0.0;
  std::vector<double> v_;              // [state]
  std::vector<double> g_;              // [action]
  std::vector<double> n_;              // [action]
  std::vector<double> probabilities_;  // scratch of choose()
  std::mt19937_64 rng_;
};

}  // namespace bgsim::agents
