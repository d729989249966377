// The arithmetic of the comparison (tasks/compare/signals.hpp): bins aligned
// on the cue, windows, Pearson's r, the crossing trial.

#include "tasks/compare/signals.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace bgsim::tasks::compare {
namespace {

// A trial of 10 steps of 50 ms, the cue at step 3, bins of 2 steps: bin 0
// starts at the cue; one whole bin fits before it (steps 1-2), step 0 is
// left out; after it bins start at steps 5 and 7, step 9 is left out.
TEST(CompareSignals, BinsAreAlignedOnTheCueAndOnlyWholeBinsAreKept) {
  const BinGrid g = make_grid(10, 3, 2, 50.0);
  EXPECT_EQ(g.first_bin, -1);
  EXPECT_EQ(g.n_bins, 4);
  EXPECT_DOUBLE_EQ(g.bin_ms, 100.0);
  EXPECT_DOUBLE_EQ(g.start_ms(0), -100.0);
  EXPECT_DOUBLE_EQ(g.start_ms(1), 0.0);
  EXPECT_EQ(g.bin_at(-0.5), 0);
  EXPECT_EQ(g.bin_at(250.0), 3);
  EXPECT_EQ(g.bin_at(300.0), -1);

  Eigen::MatrixXd steps(1, 10);
  steps << 0, 1, 2, 3, 4, 5, 6, 7, 8, 9;
  const Eigen::MatrixXd sums = to_bins(steps, g, Reduce::sum);
  const Eigen::MatrixXd means = to_bins(steps, g, Reduce::mean);
  EXPECT_DOUBLE_EQ(sums(0, 0), 1 + 2);
  EXPECT_DOUBLE_EQ(sums(0, 1), 3 + 4);
  EXPECT_DOUBLE_EQ(sums(0, 3), 7 + 8);
  EXPECT_DOUBLE_EQ(means(0, 2), 5.5);

  steps(0, 4) = kNaN;  // a step without a value spoils its bin only
  const Eigen::MatrixXd with_gap = to_bins(steps, g, Reduce::mean);
  EXPECT_TRUE(std::isnan(with_gap(0, 1)));
  EXPECT_FALSE(std::isnan(with_gap(0, 2)));
}

TEST(CompareSignals, GridRefusesACueOutsideTheTrialAndEmptyBins) {
  EXPECT_THROW(make_grid(10, 10, 1, 50.0), std::invalid_argument);
  EXPECT_THROW(make_grid(10, -1, 1, 50.0), std::invalid_argument);
  EXPECT_THROW(make_grid(10, 3, 0, 50.0), std::invalid_argument);
}

// Windows select the bins whose start lies in [event + start, event + end).
TEST(CompareSignals, WindowsHoldTheBinsThatStartInThem) {
  const BinGrid g = make_grid(40, 10, 1, 50.0);  // bins from -500 ms to +1450 ms
  EXPECT_EQ(window_bins(g, 0.0, {0.0, 200.0}), (std::vector<int>{10, 11, 12, 13}));
  EXPECT_EQ(window_bins(g, 1000.0, {-50.0, 150.0}), (std::vector<int>{29, 30, 31, 32}));
  Eigen::RowVectorXd row = Eigen::RowVectorXd::LinSpaced(40, 0, 39);
  EXPECT_DOUBLE_EQ(window_value(row, {10, 11, 12, 13}, Reduce::sum), 46.0);
  EXPECT_DOUBLE_EQ(window_value(row, {10, 11, 12, 13}, Reduce::mean), 11.5);
  EXPECT_TRUE(std::isnan(window_value(row, {}, Reduce::mean)));
}

TEST(CompareSignals, PearsonSkipsMissingPairsAndIsNaNWithoutVariance) {
  Eigen::ArrayXd x(5), y(5);
  x << 1, 2, 3, 4, kNaN;
  y << 2, 4, 6, 8, 1;
  EXPECT_NEAR(pearson(x, y), 1.0, 1e-12);
  EXPECT_NEAR(pearson(x, -y), -1.0, 1e-12);
  Eigen::ArrayXd flat = Eigen::ArrayXd::Constant(5, 3.0);
  EXPECT_TRUE(std::isnan(pearson(x, flat)));
  Eigen::ArrayXd a(4), b(4);
  a << 1, 2, 3, 4;
  b << 1, 3, 2, 4;  // r = 0.8 by hand: cov 1, var 1.25 each
  EXPECT_NEAR(pearson(a, b), 0.8, 1e-12);
}

// The cue response overtakes the reward response, in running means of 3.
TEST(CompareSignals, CrossingTrialIsTheFirstAtWhichTheSmoothedCueResponseLeads) {
  const std::vector<double> cs{0, 0, 0, 1, 2, 3, 3, 3};
  const std::vector<double> us{3, 3, 3, 2, 1, 0, 0, 0};
  // means over trials 2-4: cs 1, us 2; over 3-5: cs 2, us 1 -> trial 5
  EXPECT_EQ(crossing_trial(cs, us, 3), 5);
  EXPECT_EQ(crossing_trial(cs, us, 1), 4);
  EXPECT_EQ(crossing_trial(std::vector<double>(8, 0.5), std::vector<double>(8, 1.0), 3), -1);
}

}  // namespace
}  // namespace bgsim::tasks::compare
