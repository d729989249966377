#include "tasks/bandits/q_learning_controller.hpp"

namespace bgsim::tasks::bandits {

QLearningController::QLearningController(const agents::QLearningParams& params, std::uint64_t seed,
                                         bool reset_each_block)
    : agent_(params, seed), reset_each_block_(reset_each_block) {}

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
  return last_.delta;
}

}  // namespace bgsim::tasks::bandits
