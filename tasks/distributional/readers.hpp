#pragma once
// Reading an agent's constants and a stimulus representation from an
// experiment's parameters (ExperimentParams: defaults kept where a key is
// absent, every key resolved for the manifest). Shared by the distributional
// experiments and the comparison (tasks/compare/).
//
// Representation keys: "representation" (complete_serial_compound |
// presence | microstimulus | blurred_csc), n_microstimuli,
// microstimulus_width, trace_decay, blur_sd_steps, blur_weber_fraction
// (tasks/representations/stimulus_representation.hpp).
// Distributional agent keys: n_predictors, alpha_draw/alpha, gamma_draw/gamma,
// lambda_draw/lambda (each "shared" [value], "list" [choices] or "range"
// [low, high]), alpha_minus_max (models/agents/distributional_td.hpp).

#include <string>

#include "models/agents/distributional_td.hpp"
#include "tasks/experiment.hpp"
#include "tasks/representations/stimulus_representation.hpp"

namespace bgsim::tasks::distributional {

// One per-predictor constant as two keys: "<key>_draw" and "<key>".
void read_draw(ExperimentParams& p, const std::string& key, agents::ParameterDraw& draw);
void read_distributional_agent(ExperimentParams& p, agents::DistributionalTdParams& a);
void read_representation(ExperimentParams& p, RepresentationParams& r);

}  // namespace bgsim::tasks::distributional
