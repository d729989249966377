// spike_source: a time t is stamped at step round(t / dt) (halves up, with
// floating-point noise removed), repeated times give repeated spikes, lists
// are per neuron or shared, and times below dt / 2 are refused.

#include <gtest/gtest.h>

#include "tests/models/model_test_support.hpp"

namespace bgsim {
namespace {

using test::Bench;

using Times = std::vector<std::vector<double>>;

TEST(SpikeSourceModel, TimesAreStampedAtTheNearestStep) {
  Bench b(0.1);
  // 0.05 / 0.1 = 0.5 -> 1; 0.25 -> 2.5 -> 3; 1.04 -> 10; 2.96 -> 30;
  // 3.05 / 0.1 = 30.499999999999996, a half in all but noise -> 31 (twice).
  const auto pop = b.population("spike_source", "src", 1,
                                {{"spike_times_ms", Times{{3.05, 0.05, 0.25, 1.04, 2.96, 3.05}}}});
  b.record_spikes("spikes", pop);
  b.run(50);
  EXPECT_EQ(b.stamps("spikes", pop), (std::vector<Step>{1, 3, 10, 30, 31, 31}));
}

TEST(SpikeSourceModel, ListsArePerNeuronOrShared) {
  Bench b(0.5);
  const auto own =
      b.population("spike_source", "own", 2, {{"spike_times_ms", Times{{1.0}, {2.0, 3.0}}}});
  const auto shared = b.population("spike_source", "shared", 3, {{"spike_times_ms", Times{{1.5}}}});
  b.record_spikes("own", own);
  b.record_spikes("shared", shared);
  b.run(20);
  EXPECT_EQ(b.stamps("own", own, 0), (std::vector<Step>{2}));
  EXPECT_EQ(b.stamps("own", own, 1), (std::vector<Step>{4, 6}));
  for (long i = 0; i < 3; ++i)
    EXPECT_EQ(b.stamps("shared", shared, i), (std::vector<Step>{3}));
}

TEST(SpikeSourceModel, TimesBelowHalfAStepAreRefused) {
  Bench b(0.1);
  b.population("spike_source", "src", 1, {{"spike_times_ms", Times{{0.04, 1.0}}}});
  try {
    b.run(10);
    ADD_FAILURE() << "a spike time below dt/2 was accepted";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("0.04"), std::string::npos) << msg;
    EXPECT_NE(msg.find("first possible stamp"), std::string::npos) << msg;
  }
  test::expect_refused("spike_source", {{"spike_times_ms", Times{{1.0, std::nan("")}}}},
                       {"spike_times_ms", "finite", "[ms]"});
  EXPECT_THROW(make_population("spike_source", "s", 2, {{"spike_times_ms", Times{{1}, {2}, {3}}}}),
               ParamErrors);
}

}  // namespace
}  // namespace bgsim
