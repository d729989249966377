#pragma once
// The reference agents of a comparison, run on a conditioning task trial by
// trial, with their prediction errors placed on the step grid of a spiking
// learner (tasks/compare/signals.hpp).
//
// Reward convention. The runner (tasks/loop/session.hpp) and the spiking
// learner take a step's reward as received on entering that step: the
// transition s → s+1 carries r(s+1), as in Sutton & Barto's
// δ_s = r_{s+1} + γ V(s+1) − V(s). The distributional experiments follow
// drl_sim instead, where δ(s) carries r(s) (the reward of the step being left).
// Here the agents learn in the runner's convention — their reward vector is
// shifted one step earlier, r'(s) = r(s+1) — so that the cue (entering step
// k_cue) and the reward (entering step k_r) fall into δ(k_cue − 1) and
// δ(k_r − 1), each placed on the step it enters: column s+1 of the result.
// On that step a spiking learner sees the same event at the step's start.

#include <vector>

#include <Eigen/Dense>

#include "models/agents/distributional_td.hpp"
#include "models/agents/td_lambda.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/representations/stimulus_representation.hpp"

namespace bgsim::tasks::compare {

struct AgentTrace {
  std::vector<ConditioningTrial> trials;  // what the task drew, trial by trial
  Eigen::MatrixXd delta;                  // n_trials × T; column 0 is NaN
  Eigen::MatrixXd value;                  // n_trials × T: V(s) before the trial's learning
};

// Linear TD(λ) (per-step α, γ, λ; n_features set from the representation).
AgentTrace run_td_lambda(const ConditioningParams& task, RepresentationParams representation,
                         agents::TdLambdaParams agent, int n_trials);

// Distributional TD: δ and V are the means over the predictors (the
// population's signal).
AgentTrace run_distributional(const ConditioningParams& task, RepresentationParams representation,
                              agents::DistributionalTdParams agent, int n_trials);

}  // namespace bgsim::tasks::compare
