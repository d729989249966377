// Pins the time conventions of core/time.hpp: the rounding of times and delays
// given in ms to whole steps, and the refusal of delays below the resolution.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <tuple>

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

// The decimal whole / 10^places, as text ("29928.3" for 299283 and 1).
std::string decimal(std::int64_t whole, int places) {
  std::string digits = std::to_string(whole < 0 ? -whole : whole);
  if (places > 0) {
    if (digits.size() <= static_cast<std::size_t>(places))
      digits.insert(0, static_cast<std::size_t>(places) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<std::size_t>(places), ".");
  }
  return (whole < 0 ? "-" : "") + digits;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(nothing was thrown)";
}

// docs/results.md promises times that are exact multiples of dt: the
// decimal n·dt, not n·dt in floating point.
TEST(Resolution, WrittenTimesAreTheDecimalMultiplesOfDt) {
  const Resolution r(0.1);
  EXPECT_NE(r.to_ms(299283), 29928.3);  // 29928.300000000003
  EXPECT_EQ(r.stamp_ms(299283), 29928.3);
  EXPECT_EQ(r.stamp_ms(3), 0.3);  // 3 · 0.1 = 0.30000000000000004
  EXPECT_EQ(r.stamp_ms(0), 0.0);
  EXPECT_EQ(r.stamp_ms(-7), -0.7);
  // Every 7th step of a long run, for four resolutions: the written double
  // is the one nearest the decimal, i.e. what reading the decimal gives.
  for (const auto& [dt, units, places] :
       {std::tuple{0.1, 1, 1}, {0.025, 25, 3}, {1.0, 1, 0}, {0.05, 5, 2}}) {
    const Resolution res(dt);
    for (std::int64_t n = 0; n < 3000000; n += 7)
      ASSERT_EQ(res.stamp_ms(n), std::strtod(decimal(n * units, places).c_str(), nullptr))
          << "dt " << dt << ", step " << n << ": " << decimal(n * units, places);
  }
  // A dt that is no short decimal keeps n·dt.
  const Resolution third(1.0 / 3.0);
  EXPECT_EQ(third.stamp_ms(12345), third.to_ms(12345));
}

TEST(Resolution, TimesBeyondTwoToThe48StepsAreRefusedNotWrapped) {
  const Resolution r(0.1);
  EXPECT_TRUE(r.countable(1e12));  // 1e13 steps: 317 years
  EXPECT_FALSE(r.countable(1e300));
  EXPECT_FALSE(r.countable(-1e300));
  EXPECT_FALSE(Resolution(1e-300).countable(1.0));
  const std::string what = message_of([&] { r.duration_steps(1e300); });
  EXPECT_NE(what.find("1e+300 ms is 1e+301 steps of dt = 0.1 ms"), std::string::npos) << what;
  EXPECT_NE(what.find("2^48"), std::string::npos) << what;
  EXPECT_THROW(r.round_to_steps(-1e300), std::invalid_argument);
  EXPECT_EQ(r.round_to_steps(2.8e13), Step{280000000000000});
  // Found with this test: beyond 5·10^8 steps the tolerance for "a half"
  // (1e-9 relative) exceeded half a step, so whole numbers rounded up.
  EXPECT_EQ(r.duration_steps(1e8), Step{1000000000});         // 27.8 hours
  EXPECT_EQ(r.round_to_steps(1e8 + 0.05), Step{1000000001});  // a half: up
}

}  // namespace
}  // namespace bgsim
