#pragma once
// The simulated subject of the two-armed bandit (tasks/bandits/two_armed_bandit.hpp)
// as a Controller: a softmax Q-learner whose α and β may switch or drift over
// the session, played through the one session runner (tasks/loop/session.hpp)
// like every other learner.
//
// Per trial, in this order (q_sim.py, q_sim_rw.py):
//   at the trial's start   Q ← 0 when a block starts (reset_each_block);
//                          switching: α and β may be redrawn;
//   act                    a ~ softmax(β·Q) (the agent's stream);
//   learn                  Q[a] += α·(r − Q[a]);
//                          drifting: logit α and log β take one random-walk step.
// Two streams: the agent's choices (derive_seed(seed, 0)) and the parameter
// process (derive_seed(seed, 1)).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "models/agents/q_learning.hpp"
#include "tasks/task.hpp"

namespace bgsim::tasks::bandits {

struct BanditSubject;

class BanditSubjectController final : public Controller {
 public:
  BanditSubjectController(const BanditSubject& subject, int num_arms, std::uint64_t seed);

  int act(const TaskStep& now) override;
  double learn(const TaskStep& from, int action, const TaskStep& to) override;

  // p_choice (the policy's probability of the chosen arm), q_<arm> after the
  // update, alpha and beta in force on the trial.
  std::vector<std::string> measure_names() const override;
  std::vector<double> measures() const override { return measures_; }

 private:
  void switch_parameters();

  const BanditSubject& subject_;
  agents::QLearningAgent agent_;
  std::mt19937_64 process_rng_;
  std::normal_distribution<double> normal_{0.0, 1.0};
  double alpha_, beta_;
  double x_alpha_ = 0.0, x_beta_ = 0.0;  // drifting: logit α and log β
  int since_alpha_ = 0, since_beta_ = 0, switches_alpha_ = 0, switches_beta_ = 0;
  int block_ = -1;
  std::vector<double> probabilities_;
  std::vector<double> measures_;
};

}  // namespace bgsim::tasks::bandits
