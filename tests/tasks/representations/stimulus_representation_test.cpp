// Stimulus representations: CSC, presence, microstimulus, blurred CSC.

#include "tasks/representations/stimulus_representation.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

namespace bgsim::tasks {
namespace {

Eigen::MatrixXd dense(const StimulusRepresentation& r, const std::vector<StimulusInterval>& s,
                      int n_steps) {
  return Eigen::MatrixXd(r.trial_features(s, n_steps));
}

TEST(StimulusRepresentation, CompleteSerialCompoundCountsStepsSinceOnset) {
  RepresentationParams p;
  p.n_channels = 2;
  p.n_steps = 10;
  const StimulusRepresentation code(p);
  EXPECT_EQ(code.n_features(), 20);
  // Channel 1 on at step 3, off at 5: its units keep counting to the end.
  const Eigen::MatrixXd x = dense(code, {{1, 3, 5}}, 10);
  for (int k = 0; k < 10; ++k) {
    EXPECT_DOUBLE_EQ(x.col(k).sum(), k < 3 ? 0.0 : 1.0) << "step " << k;
    if (k >= 3) {
      EXPECT_DOUBLE_EQ(x(10 + (k - 3), k), 1.0) << "step " << k;
    }
  }
  EXPECT_DOUBLE_EQ(x.topRows(10).sum(), 0.0);  // channel 0 untouched
}

TEST(StimulusRepresentation, PresenceIsOnWhileTheStimulusIs) {
  RepresentationParams p;
  p.kind = Representation::presence;
  p.n_channels = 2;
  const StimulusRepresentation code(p);
  EXPECT_EQ(code.n_features(), 2);
  const Eigen::MatrixXd x = dense(code, {{0, 2, 6}}, 10);
  for (int k = 0; k < 10; ++k) {
    EXPECT_DOUBLE_EQ(x(0, k), (k >= 2 && k < 6) ? 1.0 : 0.0) << "step " << k;
    EXPECT_DOUBLE_EQ(x(1, k), 0.0);
  }
}

// x_i = y · exp(−(y − i/m)²/(2σ²)) / √(2π), y = d^e; later microstimuli
// (lower centres) peak later and lower (Ludvig, Sutton & Kehoe 2008, Fig. 2).
TEST(StimulusRepresentation, MicrostimuliFollowTheDecayingTrace) {
  RepresentationParams p;
  p.kind = Representation::microstimulus;
  const StimulusRepresentation code(p);
  EXPECT_EQ(code.n_features(), 10);
  const int n_steps = 300;
  const Eigen::MatrixXd x = dense(code, {{0, 5, 6}}, n_steps);
  EXPECT_DOUBLE_EQ(x.leftCols(5).cwiseAbs().sum(), 0.0);
  for (int k : {5, 40, 120}) {
    const double y = std::pow(0.985, k - 5);
    for (int i = 1; i <= 10; ++i) {
      const double mu = i / 10.0;
      const double expected =
          y * std::exp(-(y - mu) * (y - mu) / (2 * 0.08 * 0.08)) / std::sqrt(2 * std::numbers::pi);
      EXPECT_NEAR(x(i - 1, k), expected, 1e-15) << "microstimulus " << i << " step " << k;
    }
  }
  int previous_peak = -1;
  double previous_height = 1e9;
  for (int i = 10; i >= 2; --i) {
    Eigen::Index peak = 0;
    const double height = x.row(i - 1).maxCoeff(&peak);
    EXPECT_GT(peak, previous_peak) << "microstimulus " << i;
    EXPECT_LT(height, previous_height) << "microstimulus " << i;
    previous_peak = static_cast<int>(peak);
    previous_height = height;
  }
}

TEST(StimulusRepresentation, BlurredCscSpreadsEachUnitAndKeepsItsMass) {
  RepresentationParams p;
  p.kind = Representation::blurred_csc;
  p.n_steps = 60;
  p.blur_sd_steps = 1.5;
  p.blur_weber_fraction = 0.1;
  const StimulusRepresentation code(p);
  const Eigen::MatrixXd x = dense(code, {{0, 4, 60}}, 60);
  for (int k = 4; k < 60; ++k)
    EXPECT_NEAR(x.col(k).sum(), 1.0, 1e-12) << "step " << k;
  // Centred on the elapsed step, and wider later (scalar timing).
  auto centre_and_sd = [&](int k) {
    double m = 0.0;
    double v = 0.0;
    for (int j = 0; j < 60; ++j)
      m += j * x(j, k);
    for (int j = 0; j < 60; ++j)
      v += (j - m) * (j - m) * x(j, k);
    return std::pair{m, std::sqrt(v)};
  };
  const auto [m1, s1] = centre_and_sd(4 + 15);
  const auto [m2, s2] = centre_and_sd(4 + 30);
  EXPECT_NEAR(m1, 15.0, 1e-6);
  EXPECT_NEAR(m2, 30.0, 1e-6);
  EXPECT_NEAR(s1, 1.5 + 0.1 * 15, 0.05);
  EXPECT_NEAR(s2, 1.5 + 0.1 * 30, 0.05);
  // No blur is the CSC.
  p.blur_sd_steps = 0.0;
  p.blur_weber_fraction = 0.0;
  RepresentationParams csc;
  csc.n_steps = 60;
  EXPECT_EQ(dense(StimulusRepresentation(p), {{0, 4, 60}}, 60),
            dense(StimulusRepresentation(csc), {{0, 4, 60}}, 60));
}

TEST(StimulusRepresentation, RefusesBadParametersNamingThem) {
  RepresentationParams p;
  p.kind = Representation::microstimulus;
  p.trace_decay = 1.5;
  try {
    StimulusRepresentation code(p);
    ADD_FAILURE() << "trace_decay = 1.5 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("trace_decay = 1.5"), std::string::npos) << e.what();
  }
  p = RepresentationParams{};
  p.n_channels = 0;
  EXPECT_THROW(StimulusRepresentation{p}, std::invalid_argument);
  p = RepresentationParams{};
  p.kind = Representation::blurred_csc;
  p.blur_sd_steps = -1.0;
  EXPECT_THROW(StimulusRepresentation{p}, std::invalid_argument);
  const StimulusRepresentation code(RepresentationParams{});
  EXPECT_THROW(code.trial_features({{3, 0, 5}}, 10), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim::tasks
