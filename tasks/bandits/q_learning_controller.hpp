#pragma once
// A tabular Q-learner (or SARSA learner) acting in any discrete task through the
// shared Controller interface (tasks/task.hpp), so it can run on the same trial
// sequence as a spiking network.
//
//   act(now)              a = the agent's choice in now.state
//   learn(from, a, to)    δ = to.reward + γ·V(to.state) − Q(from.state, a), where V is
//                         max_b Q or Q(to.state, a') (SARSA: a' is chosen here and
//                         returned by the next act()); no bootstrap if to.terminal.
//                         Q(from.state, a) += α·δ; returns δ.
// With `reset_each_block`, the values are reset whenever a BanditTask-style block
// starts (a trial_start event whose channel, the block index, changes), as the
// reference bandit subject does.

#include <cstdint>
#include <string>
#include <vector>

#include "models/agents/q_learning.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks::bandits {

class QLearningController final : public Controller {
 public:
  QLearningController(const agents::QLearningParams& params, std::uint64_t seed,
                      bool reset_each_block = false);

  int act(const TaskStep& now) override;
  double learn(const TaskStep& from, int action, const TaskStep& to) override;

  // value (Q(s, a) before the update), q_<b> (Q(s, b) after it, every action b).
  std::vector<std::string> measure_names() const override;
  std::vector<double> measures() const override { return measures_; }

  const agents::QLearningAgent& agent() const { return agent_; }
  // The last step's value Q(s, a) before its update and δ.
  const agents::StepSignal& last_signal() const { return last_; }

 private:
  agents::QLearningAgent agent_;
  bool reset_each_block_ = false;
  int block_ = -1;
  int pending_action_ = -1;  // SARSA: a' chosen in learn(), returned by the next act()
  agents::StepSignal last_;
  std::vector<double> measures_;
};

}  // namespace bgsim::tasks::bandits
