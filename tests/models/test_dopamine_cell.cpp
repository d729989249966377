// The tonically firing dopamine cell (izhikevich_book, preset "dopamine",
// tonic_rate_Hz): it fires at the rate it is given without a hand-tuned
// drive, holds that rate when the drive changes a little, and still bursts
// and pauses (models/izhikevich_book.hpp).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/izhikevich_book.hpp"
#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using models::IzhikevichBook;
using test::Bench;

struct Cell {
  double dt_ms = 1.0;
  double rate_Hz = 4.0;
  double extra_pA = 0.0;  // a constant current on top of the solved one
  // A pulse of current [pA] during [start, start + length) ms, for bursts and pauses.
  double pulse_pA = 0.0, pulse_start_ms = 0.0, pulse_ms = 0.0;
};

// Spike times [ms] of one cell over `T` ms.
std::vector<double> spike_times(const Cell& c, double T) {
  Bench bench(c.dt_ms);
  const auto pop =
      bench.population("izhikevich_book", "da", 1, {{"tonic_rate_Hz", c.rate_Hz}}, "dopamine");
  if (c.extra_pA != 0.0)
    bench.device("dc_current", "extra", pop, "current", {{"amplitude", c.extra_pA}});
  if (c.pulse_ms > 0.0)
    bench.device("dc_current", "pulse", pop, "current",
                 {{"amplitude", c.pulse_pA},
                  {"start_ms", c.pulse_start_ms},
                  {"stop_ms", c.pulse_start_ms + c.pulse_ms}});
  bench.record_spikes("s", pop);
  bench.run(bench.steps(T));
  std::vector<double> t;
  for (Step s : bench.stamps("s", pop))
    t.push_back(static_cast<double>(s) * c.dt_ms);
  return t;
}

double rate_in(const std::vector<double>& t, double from_ms, double to_ms) {
  const auto n =
      std::count_if(t.begin(), t.end(), [&](double x) { return x >= from_ms && x < to_ms; });
  return 1000.0 * static_cast<double>(n) / (to_ms - from_ms);
}

// The steady rate from the intervals of the last 20 spikes [Hz].
double steady_rate(const std::vector<double>& t) {
  return 1000.0 / ((t.back() - t[t.size() - 21]) / 20.0);
}

TEST(DopamineCell, FiresAtTheStatedRateAtEveryResolution) {
  for (double dt : {0.1, 1.0}) {
    for (double r : {2.0, 4.0, 8.0}) {
      const auto t = spike_times({.dt_ms = dt, .rate_Hz = r}, 30000.0);
      ASSERT_GE(t.size(), 30u);
      // Within one step of the period: the rate solved for is the rate run.
      const double period = 1000.0 / r;
      EXPECT_NEAR(steady_rate(t), r, r * (dt / period) * 1.5 + 1e-9) << "dt " << dt << ", " << r;
    }
  }
}

// ±3 % of the solved current moves the rate by well under 10 % (a cell
// driven near threshold by fluctuations moves by tens of per cent).
TEST(DopamineCell, HoldsItsRateWhenTheDriveChangesALittle) {
  IzhikevichBook::Params p = IzhikevichBook::param_table().apply(
      "izhikevich_book", {}, make_population("izhikevich_book", "x", 1, {}, "dopamine")->params());
  const double I = IzhikevichBook::tonic_current(p, Resolution(1.0), 4.0);
  RecordProperty("solved_current_pA", std::to_string(I));
  for (double f : {-0.03, 0.03}) {
    const double r = steady_rate(spike_times({.extra_pA = f * I}, 30000.0));
    EXPECT_NEAR(r, 4.0, 0.4) << "drive " << (1 + f) << " x";
  }
}

// A 100 ms excitatory pulse gives a burst, an inhibitory one a pause.
TEST(DopamineCell, BurstsAndPauses) {
  const auto burst =
      spike_times({.pulse_pA = 200, .pulse_start_ms = 10000, .pulse_ms = 100}, 11000);
  EXPECT_GE(rate_in(burst, 10000, 10200), 15.0);
  const auto pause =
      spike_times({.pulse_pA = -100, .pulse_start_ms = 10000, .pulse_ms = 300}, 11000);
  EXPECT_EQ(rate_in(pause, 10050, 10300), 0.0);
  EXPECT_GT(rate_in(pause, 9000, 10000), 2.0);
}

TEST(DopamineCell, RefusesACurrentBesideTheRate) {
  EXPECT_THROW(make_population("izhikevich_book", "x", 1, {{"I_e", 10.0}}, "dopamine"),
               ParamErrors);
}

}  // namespace
}  // namespace bgsim
