#pragma once
// The addiction task: a choice, repeated step after step, between a natural
// reward and a drug (Redish 2004; the one-state two-action environment of the
// dual-process addiction project, George-Grainger/addiction-simulation-env,
// addiction_env.py). Sessions are made of phases — acquisition, extinction (the
// drug action no longer delivers the drug), re-exposure — each a number of
// episodes of a fixed number of steps.
//
//   action 0 (natural)  r ~ N(natural_mean, natural_sd²)
//   action 1 (drug)     drug available:  r ~ N(drug_mean, drug_sd²), flagged as a drug reward
//                       not available:   r ~ N(unavailable_mean, unavailable_sd²), no drug
//
// The world has one discrete state, 0; the drug cue is a stimulus (channel 0)
// shown during phases with `drug_cue`, reported as stimulus_on/off events and by
// drug_cue(). Agents that only read `state` cannot see it; agents that infer
// latent states from features can.
//
// Every step draws the outcome of both actions in a fixed order (natural, then
// drug), so the same task seed gives the same sequence whatever is chosen.
// The episode's last step is `terminal`: it ends the episode (a truncation of a
// continuing task; the reference learners keep bootstrapping across it).

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/task.hpp"

namespace bgsim::tasks {

struct AddictionPhase {
  std::string name = "acquisition";  // label of the phase
  int episodes = 40;                 // episodes in the phase (≥ 1) [episodes]
  int steps_per_episode = 200;       // steps per episode (≥ 1) [steps]
  bool drug_available = true;        // the drug action delivers the drug
  bool drug_cue = true;              // the drug cue is shown
};

struct AddictionTaskParams {
  double natural_mean = 5.0;  // mean reward of the natural action [reward units]
  double natural_sd = 0.02;   // its standard deviation (≥ 0) [reward units]
  double drug_mean =
      2.0;  // mean reward of the drug action when the drug is available [reward units]
  double drug_sd = 0.02;          // its standard deviation (≥ 0) [reward units]
  double unavailable_mean = 0.0;  // mean reward of the drug action when it is not [reward units]
  double unavailable_sd = 0.0;    // its standard deviation (≥ 0) [reward units]
  std::vector<AddictionPhase> phases = {AddictionPhase{}};  // the session, in order (≥ 1 phase)
  double step_ms = 1000.0;                                  // duration of one step (> 0) [ms]
};

// Throws std::invalid_argument naming the first bad field, its value and what is allowed.
void validate(const AddictionTaskParams& params);

class AddictionTask final : public Task {
 public:
  static constexpr int kNaturalAction = 0;
  static constexpr int kDrugAction = 1;

  AddictionTask(const AddictionTaskParams& params, std::uint64_t seed);

  std::string_view name() const override { return "addiction"; }
  int num_states() const override { return 1; }
  int num_actions() const override { return 2; }
  double step_ms() const override { return params_.step_ms; }
  // Starts the next episode (moving to the next phase when the current one is over).
  TaskStep reset() override;
  TaskStep step(int action) override;

  const AddictionTaskParams& params() const { return params_; }
  int phase_index() const { return phase_; }
  const AddictionPhase& phase() const { return params_.phases[phase_]; }
  bool drug_cue() const { return phase().drug_cue; }
  bool drug_available() const { return phase().drug_available; }
  std::int64_t episode() const { return episode_; }  // session-wide episode index
  int episode_in_phase() const { return episode_in_phase_; }
  int step_in_episode() const { return step_; }
  std::int64_t total_episodes() const;
  // True when every episode of every phase has been run.
  bool finished() const override;

 private:
  AddictionTaskParams params_;
  std::mt19937_64 rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  int phase_ = 0;
  int episode_in_phase_ = -1;
  std::int64_t episode_ = -1;
  int step_ = 0;
  bool open_ = false;  // an episode is running
  double now_ms_ = 0.0;
};

}  // namespace bgsim::tasks
