// Pins the time conventions of core/time.hpp: the rounding of times and delays
// given in ms to whole steps, and the refusal of delays below the resolution.

#include <gtest/gtest.h>

#include "core/time.hpp"

namespace bgsim {
namespace {

TEST(Resolution, RefusesNonPositiveOrNonFiniteDt) {
  EXPECT_THROW(Resolution(0.0), std::invalid_argument);
  EXPECT_THROW(Resolution(-0.1), std::invalid_argument);
  EXPECT_THROW(Resolution(std::nan("")), std::invalid_argument);
  try {
    Resolution r(-1.0);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("[ms]"), std::string::npos) << e.what();
  }
}

TEST(Resolution, DelaysRoundToNearestStepWithHalvesUp) {
  const Resolution r(0.1);
  EXPECT_EQ(r.delay_steps(0.1), 1);
  EXPECT_EQ(r.delay_steps(1.0), 10);
  EXPECT_EQ(r.delay_steps(0.3), 3);  // 0.3 / 0.1 = 2.9999999999999996
  EXPECT_EQ(r.delay_steps(0.14), 1);
  EXPECT_EQ(r.delay_steps(0.15), 2);  // 0.15 / 0.1 = 1.4999999999999998: a half, rounded up
  EXPECT_EQ(r.delay_steps(0.16), 2);
  EXPECT_EQ(r.delay_steps(1.5), 15);
  EXPECT_EQ(Resolution(1.0).delay_steps(2.5), 3);
}

TEST(Resolution, DelayBelowResolutionIsAnErrorNotRounded) {
  const Resolution r(0.1);
  EXPECT_THROW(r.delay_steps(0.0), std::invalid_argument);
  EXPECT_THROW(r.delay_steps(0.05), std::invalid_argument);  // would round to 1: still refused
  EXPECT_THROW(r.delay_steps(0.099), std::invalid_argument);
  EXPECT_THROW(r.delay_steps(-1.0), std::invalid_argument);
  EXPECT_THROW(r.delay_steps(INFINITY), std::invalid_argument);
  try {
    r.delay_steps(0.05);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("below the resolution"), std::string::npos) << e.what();
  }
  // A delay of exactly dt computed with rounding noise is accepted.
  EXPECT_EQ(r.delay_steps(0.3 - 0.2), 1);
}

TEST(Resolution, TimesAndDurations) {
  const Resolution r(0.25);
  EXPECT_EQ(r.round_to_steps(1.0), 4);
  EXPECT_EQ(r.round_to_steps(1.125), 5);  // exactly half: up
  EXPECT_DOUBLE_EQ(r.to_ms(6), 1.5);
  EXPECT_EQ(r.duration_steps(0.0), 0);
  EXPECT_THROW(r.duration_steps(-1.0), std::invalid_argument);
}

}  // namespace
}  // namespace bgsim
