#pragma once
// Relapse after extinction (experiments.md §3; seed 002; Redish et al. 2007).
//
// One world state, two actions (natural, drug lever) in three phases:
//   acquisition  drug available, drug cue shown
//   extinction   the lever pays nothing and no drug, cue absent
//   re-exposure  drug available again, cue shown again
// Two learners with the same Redish (2004) drug rule, α, γ and ε:
//   model_free  one table of values (models/agents/addiction.hpp RedishAgent): extinction
//               must unlearn the drug's value, so re-exposure starts from scratch
//               and addiction is relearned about as slowly as at first exposure;
//   latent      latent-state inference (models/agents/latent_state.hpp): extinction
//               is learned in a new inferred state; when the cue returns the old
//               state is recognised with its values intact and the agent relapses
//               at once.
// Latency of a phase: the number of steps from the phase's start until the share
// of drug choices over the last `window` steps (all inside the phase) first
// reaches `criterion`; the phase length if it never does.
//
// Parameters (bgsim's choice, made so acquisition takes a few hundred steps):
// natural reward N(1, 0.02²), lever reward 0 plus the drug (D = 0.5, so the drug
// pays less than the natural reward yet wins), α = 0.1, γ = 0, ε = 0.2 constant,
// phases of 800 / 1000 / 800 steps (episodes of 100 steps), window 10, criterion
// 0.8, 10 repetitions.

#include <cstdint>
#include <vector>

#include "models/agents/latent_state.hpp"
#include "tasks/environments/addiction.hpp"

namespace bgsim::tasks::addiction {

struct RelapseConfig {
  AddictionTaskParams task = [] {
    AddictionTaskParams p;
    p.natural_mean = 1.0;
    p.natural_sd = 0.02;
    p.drug_mean = 0.0;
    p.drug_sd = 0.0;
    p.unavailable_mean = 0.0;
    p.unavailable_sd = 0.0;
    p.phases = {{"acquisition", 8, 100, true, true},
                {"extinction", 10, 100, false, false},
                {"re-exposure", 8, 100, true, true}};
    return p;
  }();                         // the three phases (first = acquisition, last = re-exposure)
  double learning_rate = 0.1;  // α [dimensionless]
  double gamma = 0.0;          // γ [dimensionless]
  double epsilon = 0.2;        // ε, constant [dimensionless]
  double drug_dopamine = 0.5;  // D [reward units]
  agents::LatentStateParams
      latent;              // inference settings of the latent agent (q, D are set from above)
  int repetitions = 10;    // runs per learner [runs]
  int window = 10;         // steps in the running drug-choice share [steps]
  double criterion = 0.8;  // share of drug choices that counts as addicted [fraction]
  bool keep_steps = true;  // keep the per-step trace
};

enum class RelapseLearner : std::uint8_t { model_free, latent };

struct RelapseStep {
  RelapseLearner learner = RelapseLearner::model_free;
  int run = 0;
  int phase = 0;           // index into task.phases
  int step = 0;            // step within the phase, from 1
  int action = 0;          // 0 natural, 1 drug
  bool drug = false;       // the drug was delivered
  double reward = 0.0;     // r [reward units]
  double delta = 0.0;      // δ
  double q_natural = 0.0;  // Q(natural) after the update (active latent state)
  double q_drug = 0.0;     // Q(drug) after the update (active latent state)
  int latent_state = 0;    // active latent state after the step (0 for model_free)
};

struct RelapseRun {
  int acquisition_latency = 0;    // steps to criterion in the first phase
  int reacquisition_latency = 0;  // steps to criterion in the last phase
  int latent_states = 1;          // states inferred by the end (1 for model_free)
};

struct RelapseResult {
  std::vector<RelapseRun> model_free;
  std::vector<RelapseRun> latent;
  std::vector<RelapseStep> steps;  // empty unless keep_steps
  double mean_acquisition(RelapseLearner who) const;
  double mean_reacquisition(RelapseLearner who) const;
};

RelapseResult run_relapse(const RelapseConfig& config, std::uint64_t seed);

}  // namespace bgsim::tasks::addiction
