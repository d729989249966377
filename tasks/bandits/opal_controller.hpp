#pragma once
// OpAL (models/agents/opal.hpp) as a Controller: it chooses among the stimuli
// a trial offers (the step's stimulus_on events, in order) and learns only
// from steps that carry feedback (a reward event), so the probabilistic
// selection task's test phase, which gives none, leaves it unchanged.
//
// Measures of each step: act_first, act_second (Act of the offered stimuli,
// before the choice), p_first, p_second (the policy's probabilities), value
// (V(s) before the update; 0 without feedback), feedback (1 when it learned).

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/agents/opal.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks::bandits {

class OpalController final : public Controller {
 public:
  OpalController(const agents::OpalParams& params, std::uint64_t seed) : agent_(params, seed) {}

  int act(const TaskStep& now) override;
  double learn(const TaskStep& from, int action, const TaskStep& to) override;
  std::vector<std::string> measure_names() const override {
    return {"act_first", "act_second", "p_first", "p_second", "value", "feedback"};
  }
  std::vector<double> measures() const override { return measures_; }

  const agents::OpalAgent& agent() const { return agent_; }

 private:
  agents::OpalAgent agent_;
  std::vector<double> measures_ = std::vector<double>(6, 0.0);
};

}  // namespace bgsim::tasks::bandits
