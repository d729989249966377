#pragma once
// A latent-state learner: the agent infers which hidden situation it is in, and
// keeps separate values for each, so extinction is new learning in a new state
// rather than unlearning (Redish, Jensen, Johnson & Kurth-Nelson 2007,
// "Reconciling reinforcement learning models with behavioral extinction and
// renewal: implications for addiction, relapse, and problem gambling",
// Psychological Review 114:784–805; the latent-state relapse agent of the
// dual-process addiction project, seed 002).
//
// Each latent state k holds
//   Q_k(s, a)   action values over the task's world states s,
//   m_k(s, a)   the outcome it predicts, o = r + σ_drug·[drug] (drug salience σ_drug),
//   μ_k         a prototype of the situation's features (cues, context).
// Inside the active state learning is the Redish (2004) rule of addiction.hpp
// (D = 0: ordinary Q-learning): δ = r + γ·V(s') − Q_k(s, a), drug: max(δ + D, D).
//
// State inference (a simplified, deterministic form of Redish et al. 2007's
// situation recognition with state splitting):
//   1. recognition by features, before acting (the first observation becomes the
//      first state's prototype): states whose prototype lies within
//      `feature_tolerance` (Euclidean) of the features x are candidates; the active
//      state is kept if it is one, else the most recently active candidate is taken;
//      if there is none a new state is made: a copy of the active one, μ = x.
//   2. recognition by outcome, after the outcome: if o differs from m_k(s, a) by more
//      than `outcome_tolerance` and another candidate j predicts o within that
//      tolerance, the agent switches to j (a drug outcome reinstates the drug state).
//   3. splitting: otherwise the evidence of a worse world
//      ē ← (1 − λ)·ē + λ·max(0, m_k(s, a) − o) accumulates, and m_k(s, a) ← m_k + η·(o − m_k)
//      unless the outcome is surprisingly worse (o < m_k − outcome_tolerance): such an
//      outcome is held as evidence only, so the state keeps its memory of the
//      situation. When ē > θ a new state is inferred: a copy of k (values and
//      prototype) whose m(s, a) = o, and ē ← 0.
// Only worse-than-expected outcomes split states (Redish et al. 2007: extinction is
// signalled by repeated negative prediction errors), so acquisition stays in one
// state. A new state starts from the values of the one it splits from, so behaviour
// extinguishes at the usual pace in it, while the old state's values are kept
// intact: when the drug cue (or the drug) returns, recognition brings the old
// state back and the agent relapses at once — whereas a model-free learner with
// one state must relearn from where extinction left it.
//
// Limitation: outcomes are compared with a single expected value, so frequent
// reward omissions in a stochastic task (e.g. 20 % of trials) accumulate as
// evidence and can split states that a Bayesian latent-cause model would keep;
// the mechanism suits near-deterministic outcomes, as in the relapse experiment.

#include <cstdint>
#include <span>
#include <vector>

#include "models/agents/agent.hpp"
#include "models/agents/q_learning.hpp"

namespace bgsim::agents {

struct LatentStateParams {
  QLearningParams q;           // learner inside each latent state (num_states = world states)
  double drug_dopamine = 0.0;  // D ≥ 0 of the Redish drug rule; 0 = ordinary TD [reward units]
  double drug_salience =
      1.0;  // σ_drug ≥ 0: how much a drug adds to the perceived outcome [reward units]
  double outcome_rate = 0.3;  // η ∈ (0, 1]: learning rate of the outcome model [dimensionless]
  double surprise_rate =
      0.3;  // λ ∈ (0, 1]: step of the worse-than-expected evidence ē [dimensionless]
  double split_threshold =
      0.3;  // θ > 0: ē above which a new latent state is inferred [reward units]
  double feature_tolerance =
      0.5;  // ≥ 0: largest feature distance recognised as the same state [feature units]
  double outcome_tolerance =
      0.5;              // > 0: largest outcome error recognised as a state's own [reward units]
  int max_states = 32;  // ≥ 1: cap on the number of latent states [dimensionless]
};

void validate(const LatentStateParams& params);

class LatentStateAgent {
 public:
  // `num_features`: size of the feature vector passed to observe() (0 allowed).
  LatentStateAgent(const LatentStateParams& params, int num_features, std::uint64_t seed);

  const LatentStateParams& params() const { return params_; }

  // Step 1: recognise the latent state from the situation's features.
  void observe(std::span<const double> features);
  int act(int world_state) { return learner_.act(world_state); }
  // Learning in the active latent state, then steps 2–3. Returns Q_k(s, a) before and δ.
  StepSignal learn(const Transition& t, bool drug);
  void end_episode() { learner_.end_episode(); }

  int active_state() const { return active_; }
  int num_latent_states() const { return static_cast<int>(states_.size()); }
  // Q_k(s, a) of latent state k (the active one is read from the learner).
  double q(int latent, int world_state, int action) const;
  double predicted_outcome(int latent, int world_state, int action) const;
  double surprise_evidence() const { return evidence_; }

 private:
  struct Latent {
    std::vector<double> q;        // saved Q table while inactive, [s][a]
    std::vector<double> outcome;  // m(s, a), [s][a]
    std::vector<double> prototype;
    std::int64_t last_active = 0;
  };

  void switch_to(int k);
  int spawn_copy_of_active(std::span<const double> prototype);
  double feature_distance(const Latent& l, std::span<const double> x) const;
  void check_latent(int latent) const;

  LatentStateParams params_;
  int num_features_ = 0;
  QLearningAgent learner_;  // holds the active state's values and the choice rule
  std::vector<Latent> states_;
  std::vector<double> features_;  // the last observed features
  int active_ = 0;
  bool observed_ = false;  // observe() has been called at least once
  double evidence_ = 0.0;
  std::int64_t clock_ = 0;  // counts learning steps, to find the most recent state
};

}  // namespace bgsim::agents
