#pragma once
// Maximum-likelihood recovery of the Q-learning bandit parameters (α, β) from
// observed choices: the "stationary Q-learning" baseline of the t-RNN study
// (yoavger/harnessing_the_flexibility_of_nn_to_predict_dynamical, q_fit.py).
//
//   (α̂, β̂) = argmin NLL(α, β)  over  α ∈ [0, 1], β ∈ [0, 10]
//
// with NLL from models/agents/choice_likelihood.hpp (Q reset at each block,
// ε_p = 1e−10 inside the log). The reference minimises it with SciPy's L-BFGS-B
// from one random start and finite-difference gradients; here NLopt's
// low-storage BFGS with bound constraints (NLOPT_LD_LBFGS) uses the exact
// gradient, started from the best points of a fixed coarse grid (the best end
// point wins), so a fit is deterministic and does not stall on the flat β ≈ 0
// plateau.

#include <array>
#include <vector>

#include "models/agents/choice_likelihood.hpp"

namespace bgsim::tasks::fit {

struct QLearningFitOptions {
  double alpha_lower = 0.0;  // lower bound of α [dimensionless]
  double alpha_upper = 1.0;  // upper bound of α [dimensionless]
  double beta_lower = 0.0;   // lower bound of β [1/reward units]
  double beta_upper = 10.0;  // upper bound of β [1/reward units]
  // Candidate starts: the NLL is evaluated on the grid alpha_grid × beta_grid and
  // the optimiser is run from the `polished_starts` best grid points.
  std::vector<double> alpha_grid = {0.05, 0.25, 0.5, 0.75, 0.95};  // [dimensionless]
  std::vector<double> beta_grid = {0.5, 2.5, 5.0, 7.5, 9.5};       // [1/reward units]
  int polished_starts = 2;  // grid points the optimiser starts from (≥ 1) [count]
  double relative_tolerance =
      1e-8;  // stop when a step changes (α, β) by less, relatively [dimensionless]
  int max_evaluations = 400;                     // NLL evaluations per start, at most [count]
  agents::choice::LikelihoodOptions likelihood;  // block reset, q0, probability floor
};

struct QLearningFitResult {
  double alpha = 0.0;                    // α̂ [dimensionless]
  double beta = 0.0;                     // β̂ [1/reward units]
  double negative_log_likelihood = 0.0;  // NLL(α̂, β̂) [nats]
  int evaluations = 0;                   // NLL evaluations, grid and optimiser [count]
};

// Throws std::invalid_argument on malformed data or options.
QLearningFitResult fit_q_learning(const agents::choice::ChoiceData& data,
                                  const QLearningFitOptions& options = {});

}  // namespace bgsim::tasks::fit
