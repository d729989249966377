// The Q-learner through the shared Controller interface: on the bandit it is the
// same learner as the experiment driver, and controllers given the same task seed
// face the same trial sequence.

#include "tasks/bandits/q_learning_controller.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/environments/bandit.hpp"

namespace bgsim::tasks::bandits {
namespace {

agents::QLearningParams subject(double alpha, double beta) {
  agents::QLearningParams p;
  p.alpha = alpha;
  p.beta = beta;
  return p;
}

TEST(QLearningController, ReproducesTheBanditDriverTrialByTrial) {
  // Same seeds as the driver derives: the choices, rewards and δ must agree.
  TwoArmedBanditConfig c;
  c.subject.alpha = 0.4;
  c.subject.beta = 5.0;
  const BanditTrace trace = run_two_armed_bandit(c, 21, 22);

  BanditTask task(c.task, 21);
  QLearningController controller(subject(0.4, 5.0), derive_seed(22, 0), true);
  for (int t = 0; t < c.num_trials; ++t) {
    const TaskStep now = task.reset();
    const int a = controller.act(now);
    const TaskStep next = task.step(a);
    const double delta = controller.learn(now, a, next);
    ASSERT_EQ(a, trace.action[t]) << "trial " << t;
    ASSERT_EQ(next.reward, trace.reward[t]) << "trial " << t;
    ASSERT_DOUBLE_EQ(delta, trace.delta[t]) << "trial " << t;
  }
}

TEST(QLearningController, ControllersOnTheSameTaskSeedSeeTheSameSequence) {
  BanditParams p;
  BanditTask fast(p, 5), slow(p, 5);
  QLearningController a(subject(0.9, 8.0), 1), b(subject(0.05, 0.5), 2);
  int differing_choices = 0;
  for (int t = 0; t < 1000; ++t) {
    const TaskStep na = fast.reset();
    const TaskStep nb = slow.reset();
    ASSERT_EQ(fast.means(), slow.means()) << "trial " << t;
    const int ca = a.act(na), cb = b.act(nb);
    const TaskStep ra = fast.step(ca), rb = slow.step(cb);
    if (ca == cb) {
      ASSERT_EQ(ra.reward, rb.reward) << "trial " << t;
    } else {
      ++differing_choices;
    }
    a.learn(na, ca, ra);
    b.learn(nb, cb, rb);
  }
  EXPECT_GT(differing_choices, 100);  // they did behave differently
}

TEST(QLearningController, SarsaUsesTheActionItWillTake) {
  agents::QLearningParams p = subject(0.5, 2.0);
  p.num_states = 2;
  p.gamma = 0.9;
  p.rule = agents::TdRule::sarsa;
  QLearningController controller(p, 3);
  TaskStep s0, s1;
  s0.state = 0;
  s1.state = 1;
  const int a = controller.act(s0);
  const double delta = controller.learn(s0, a, s1);
  EXPECT_DOUBLE_EQ(delta, 0.0);  // all values 0, no reward
  // The a' SARSA bootstrapped from is the one act() now returns.
  const int a_next = controller.act(s1);
  EXPECT_EQ(controller.agent().previous_action(), a_next);
}

}  // namespace
}  // namespace bgsim::tasks::bandits
