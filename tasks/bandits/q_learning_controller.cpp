#include "tasks/bandits/q_learning_controller.hpp"

namespace bgsim::tasks::bandits {

QLearningController::QLearningController(const agents::QLearningParams& params, std::uint64_t seed,
                                         bool reset_each_block)
    : agent_(params, seed), reset_each_block_(reset_each_block) {
  measures_.assign(measure_names().size(), 0.0);
}

std::vector<std::string> QLearningController::measure_names() const {
  std::vector<std::string> names = {"value"};
  for (int b = 0; b < agent_.params().num_actions; ++b)
    names.push_back("q_" + std::to_string(b));
  return names;
}

int QLearningController::act(const TaskStep& now) {
  if (reset_each_block_) {
    for (const TaskEvent& e : now.events) {
      if (e.kind != EventKind::trial_start) continue;
      if (e.channel != block_) {
        if (block_ >= 0) agent_.reset_values();
        block_ = e.channel;
        pending_action_ = -1;  // a' chosen under the old values no longer stands
      }
    }
  }
  if (pending_action_ >= 0) {
    const int a = pending_action_;
    pending_action_ = -1;
    return a;
  }
  return agent_.act(now.state);
}

double QLearningController::learn(const TaskStep& from, int action, const TaskStep& to) {
  agents::Transition t{.state = from.state,
                       .action = action,
                       .reward = to.reward,
                       .next_state = to.state,
                       .next_action = -1,
                       .terminal = to.terminal};
  if (agent_.params().rule == agents::TdRule::sarsa && !to.terminal) {
    pending_action_ = agent_.act(to.state);
    t.next_action = pending_action_;
  }
  last_ = agent_.learn(t);
  measures_[0] = last_.value;
  for (int b = 0; b < agent_.params().num_actions; ++b)
    measures_[1 + static_cast<std::size_t>(b)] = agent_.q(from.state, b);
  return last_.delta;
}

}  // namespace bgsim::tasks::bandits
