#pragma once
// What a learner did on the probabilistic selection task (Frank et al. 2004),
// from its steps (one per trial: the pair shown as the state, the stimulus
// chosen as the action): accuracy on AB, CD and EF per training block, and at
// test choose-A (choosing A on AC, AD, AE, AF) and avoid-B (not choosing B on
// BC, BD, BE, BF). A trial without a choice counts as neither.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "tasks/loop/session.hpp"

namespace bgsim::tasks::loop {

class SelectionScore {
 public:
  void add(const StepRecord& s);
  // `training_trials`: trials before the test (blocks run × trials per block).
  nlohmann::json summary(std::int64_t training_trials, int trials_per_block) const;

 private:
  struct Choice {
    std::int64_t trial;
    int pair, action;
  };
  std::vector<Choice> choices_;
};

}  // namespace bgsim::tasks::loop
