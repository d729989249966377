// What the distributional experiments write and the statistics of their
// summaries: which trials a selection writes, that the files hold exactly
// those, expectiles and rank correlations against values worked by hand.

#include "tasks/distributional/results.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "tasks/distributional/cue_reward.hpp"
#include "tests/core/io/io_test_support.hpp"

namespace bgsim::tasks::distributional {
namespace {

std::vector<int> selected(const TraceSelection& s) {
  std::vector<int> out;
  for (int n = 0; n < s.n_trials; ++n)
    if (s.wants(n)) out.push_back(n);
  return out;
}

TEST(DistributionalResults, SelectionWritesEveryNthTrialAndTheLast) {
  EXPECT_EQ(selected({.n_trials = 5}), (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(selected({.n_trials = 10, .first = 0, .every = 4}), (std::vector<int>{0, 4, 8, 9}));
  EXPECT_EQ(selected({.n_trials = 9, .first = 0, .every = 4}), (std::vector<int>{0, 4, 8}));
  EXPECT_EQ(selected({.n_trials = 10, .first = 3, .every = 3}), (std::vector<int>{3, 6, 9}));
  EXPECT_EQ(selected({.n_trials = 4, .first = 7, .every = 1}), (std::vector<int>{3}));
  for (const TraceSelection s : {TraceSelection{.n_trials = 10, .first = 0, .every = 4},
                                 TraceSelection{.n_trials = 9, .first = 0, .every = 4},
                                 TraceSelection{.n_trials = 10, .first = 3, .every = 3},
                                 TraceSelection{.n_trials = 4, .first = 7, .every = 1}})
    EXPECT_EQ(s.count(), static_cast<int>(selected(s).size()));
  const std::string msg =
      io::test::message_of<std::invalid_argument>([] { TraceSelection{.every = 0}.validate(); });
  EXPECT_TRUE(io::test::contains(msg, "trace_every = 0"));
}

// The files hold the selected trials, in order, with the trace of each: the
// rows of value.npy equal the driver's in-memory traces of the same trials.
TEST(DistributionalResults, WriterStreamsTheSelectedTrials) {
  io::test::ScratchDir dir;
  const io::ResultsFolder folder(dir / "run");
  CueRewardConfig config;
  config.n_trials = 7;
  config.agent.n_predictors = 3;
  const TraceSelection selection{.n_trials = 7, .first = 1, .every = 3};  // trials 1, 4, 6
  const DistributionalRun kept = run_cue_reward(config);
  {
    TraceWriter writer(folder, selection, config.dt_s, 71, 3, {"cue_reward"});
    run_distributional(
        cue_reward_task(config), config.representation, config.agent, config.n_trials,
        config.n_trials,
        [&](int n, const ConditioningTrial& record, const agents::TrialSignals& signals) {
          writer.observe(n, record, signals);
        });
    writer.close();
  }
  const io::NpyArray value = io::read_npy(dir / "run" / "value.npy");
  ASSERT_EQ(value.shape, (std::vector<std::size_t>{3, 71, 3}));
  const std::vector<double> v = value.values<double>();
  const int trials[] = {1, 4, 6};
  for (int j = 0; j < 3; ++j)
    for (int k = 0; k < 71; ++k)
      for (int i = 0; i < 3; ++i)
        ASSERT_EQ(v[(j * 71 + k) * 3 + i], kept.value[trials[j]](k, i))
            << j << " " << k << " " << i;
  std::ifstream csv(dir / "run" / "trials.csv");
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "trial,type,type_name,omission,reward,cue_step,unexpected_step");
  for (int j = 0; j < 3; ++j) {
    std::getline(csv, line);
    EXPECT_EQ(line.substr(0, line.find(',')), std::to_string(trials[j]));
  }
}

TEST(DistributionalResults, WriterRefusesARunThatStoppedEarly) {
  io::test::ScratchDir dir;
  const io::ResultsFolder folder(dir / "run");
  TraceWriter writer(folder, {.n_trials = 3}, 0.1, 5, 1, {"a"});
  EXPECT_THROW(writer.close(), std::logic_error);
}

TEST(DistributionalResults, ExpectilesAndRankCorrelation) {
  // Two equally likely outcomes 0 and 1: the τ-expectile v solves
  // τ(1 − v) = (1 − τ)v, so v = τ.
  for (double tau : {0.1, 0.5, 0.8})
    EXPECT_NEAR(expectile({0.0, 1.0}, {1.0, 1.0}, tau), tau, 1e-12);
  EXPECT_NEAR(expectile({2.0, 4.0, 9.0}, {1.0, 2.0, 1.0}, 0.5), 4.75, 1e-12);  // the mean
  EXPECT_DOUBLE_EQ(expectile({3.0}, {1.0}, 0.3), 3.0);

  Eigen::VectorXd x(5), y(5);
  x << 0.2, 0.4, 0.2, 0.6, 0.4;  // ties, as a τ from a list has
  y << 1.0, 2.0, 1.5, 3.0, 2.5;
  // Mean ranks x: 0.5, 2.5, 0.5, 4, 2.5; y: 0 … 4; Pearson of the ranks 9/√90.
  EXPECT_NEAR(rank_correlation(x, y), 9.0 / std::sqrt(90.0), 1e-12);
  EXPECT_NEAR(rank_correlation(y, y), 1.0, 1e-12);
  EXPECT_NEAR(rank_correlation(y, -y), -1.0, 1e-12);
  EXPECT_EQ(rank_correlation(Eigen::VectorXd::Ones(5), y), 0.0);
  EXPECT_NE(stream_seed(1, 0), stream_seed(1, 1));
  EXPECT_NE(stream_seed(1, 0), stream_seed(2, 0));
}

}  // namespace
}  // namespace bgsim::tasks::distributional
