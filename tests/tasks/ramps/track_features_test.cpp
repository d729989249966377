#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "tasks/representations/track_features.hpp"

namespace bgsim::tasks {
namespace {

TEST(RampsTrackFeatures, PairwiseSumFollowsNumpysBlockOrder) {
  // 1e16 swallows a following 1.0 when added sequentially; NumPy's 8
  // accumulators keep the 1.0s apart from the big values, so the sum differs.
  std::vector<double> x(16, 1.0);
  x[0] = 1e16;
  x[8] = -1e16;
  double sequential = 0.0;
  for (double v : x)
    sequential += v;
  // r0 = 1e16 + (−1e16) = 0, r1..r7 = 2 each: 14.
  EXPECT_EQ(pairwise_sum(x), 14.0);
  EXPECT_NE(pairwise_sum(x), sequential);
  const std::vector<double> small = {0.1, 0.2, 0.3};
  EXPECT_EQ(pairwise_sum(small), (0.1 + 0.2) + 0.3);
}

TEST(RampsTrackFeatures, GaussianKernelIsNormalisedAndCutAtFourSigma) {
  const std::vector<double> w = gaussian_kernel(2.0);
  ASSERT_EQ(w.size(), 17u);  // radius ⌊4·2 + 0.5⌋ = 8
  EXPECT_NEAR(pairwise_sum(w), 1.0, 1e-15);
  EXPECT_NEAR(w[9] / w[8], std::exp(-0.5 / 4.0), 1e-15);
  EXPECT_EQ(gaussian_kernel(0.1).size(), 1u);  // narrow: a one-hot
  EXPECT_THROW(gaussian_kernel(0.0), std::invalid_argument);
}

TEST(RampsTrackFeatures, BlurPutsLostEdgeMassOnStartOrGoal) {
  const int n = 20;
  const Eigen::MatrixXd phi = blurred_features(constant_widths(n, 3.0), n - 1);
  for (int i = 0; i < n; ++i)
    EXPECT_NEAR(phi.row(i).sum(), 1.0, 1e-12) << "row " << i;
  const std::vector<double> w = gaussian_kernel(3.0);
  const int r = static_cast<int>(w.size() / 2);
  // Row 0 loses the left half of its kernel to state 0; the last row to the goal.
  EXPECT_GT(phi(0, 0), w[static_cast<std::size_t>(r)] + 0.4);
  EXPECT_GT(phi(n - 1, n - 1), w[static_cast<std::size_t>(r)] + 0.4);
  // Row 2 (first half) spills onto the start, row n − 3 onto the goal.
  EXPECT_GT(phi(2, 0), w[static_cast<std::size_t>(r + 2)]);
  EXPECT_GT(phi(n - 3, n - 1), w[static_cast<std::size_t>(r + 2)]);
  // An interior row is the kernel itself.
  EXPECT_EQ(phi(10, 11), w[static_cast<std::size_t>(r + 1)]);
}

TEST(RampsTrackFeatures, ExponentialWidthsGrowFromStartToEnd) {
  const std::vector<double> s = exponential_widths(87, 4.0, 24.0);
  EXPECT_DOUBLE_EQ(s.front(), 4.0);
  EXPECT_NEAR(s.back(), 24.0, 1e-12);
  EXPECT_NEAR(s[43] / s[42], std::pow(6.0, 1.0 / 86.0), 1e-12);
}

TEST(RampsTrackFeatures, DynamicUncertaintyAndWheelMaps) {
  const UncertaintyFeatures f = dynamic_uncertainty_features(50, 0.1, 3.0);
  EXPECT_TRUE(f.phi_t.isIdentity());  // σ = 0.1 rounds to a one-pixel kernel
  EXPECT_FALSE(f.phi_next.row(30).isApprox(f.phi_t.row(30)));
  EXPECT_TRUE(f.phi_next.bottomRows(5).isApprox(f.phi_t.bottomRows(5)));  // sharp tail
  const WheelFeatures w = wheel_features(10);
  EXPECT_EQ(w.phi_td.cols(), 11);
  EXPECT_DOUBLE_EQ(w.phi_td(3, 3), 0.1);
  EXPECT_DOUBLE_EQ(w.phi_td(3, 10), 1.0);
  EXPECT_TRUE(w.phi_mb.isIdentity());
}

}  // namespace
}  // namespace bgsim::tasks
