#include "tasks/bandits/opal_controller.hpp"

#include <stdexcept>

namespace bgsim::tasks::bandits {

int OpalController::act(const TaskStep& now) {
  std::vector<int> options;
  for (const TaskEvent& e : now.events)
    if (e.kind == EventKind::stimulus_on) options.push_back(e.channel);
  if (options.size() != 2)
    throw std::logic_error("OpalController: a trial offers two stimuli, this one " +
                           std::to_string(options.size()));
  std::array<double, 2> p{};
  agent_.choice_probabilities(options, p);
  measures_ = {agent_.act_value(options[0]), agent_.act_value(options[1]), p[0], p[1], 0.0, 0.0};
  return agent_.choose(options);
}

double OpalController::learn(const TaskStep& from, int action, const TaskStep& to) {
  bool feedback = false;
  for (const TaskEvent& e : to.events)
    feedback |= e.kind == EventKind::reward;
  if (!feedback) return 0.0;
  const agents::StepSignal s = agent_.learn(from.state, action, to.reward);
  measures_[4] = s.value;
  measures_[5] = 1.0;
  return s.delta;
}

}  // namespace bgsim::tasks::bandits
