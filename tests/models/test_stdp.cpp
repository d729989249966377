// stdp: additive and multiplicative pair-based STDP with bounds, event-driven,
// against the per-step reference and against hand-computed pairs.

#include <gtest/gtest.h>

#include <cmath>

#include "core/random.hpp"
#include "tests/models/plasticity_support.hpp"

namespace bgsim {
namespace {

using models::Stdp;
using test_support::one_synapse;

constexpr Step ms = 10;  // steps per ms at dt = 0.1 ms

Stdp::Params additive() {
  Stdp::Params p;
  p.mu_plus = p.mu_minus = 0.0;
  p.lambda = 0.01;
  p.alpha = 1.2;
  p.w_min = 0.0;
  p.w_max = 10.0;
  return p;
}

TEST(Stdp, OneCausalAndOneAntiCausalPairAdditive) {
  const Step d = 1 * ms;
  // Causal: pre 10 ms, post seen at 25 ms: Δw = λ (w_max - w_min) e^{-15/20}.
  auto s = one_synapse<Stdp, double>(additive(), 5.0, d, {10 * ms}, {25 * ms - d}, {});
  s.sim->run(100 * ms);
  EXPECT_NEAR(s.weight(), 5.0 + 0.01 * 10.0 * std::exp(-15.0 / 20.0), 1e-12);
  // Anti-causal: post seen at 10 ms, pre at 25 ms: Δw = -α λ (w_max - w_min) e^{-15/20}.
  auto t = one_synapse<Stdp, double>(additive(), 5.0, d, {25 * ms}, {10 * ms - d}, {});
  t.sim->run(100 * ms);
  EXPECT_NEAR(t.weight(), 5.0 - 1.2 * 0.01 * 10.0 * std::exp(-15.0 / 20.0), 1e-12);
}

TEST(Stdp, MultiplicativeSoftBounds) {
  Stdp::Params p = additive();
  p.mu_plus = p.mu_minus = 1.0;
  const Step d = 1 * ms;
  // Potentiation scales with the distance to w_max, depression with w - w_min.
  auto s = one_synapse<Stdp, double>(p, 8.0, d, {10 * ms}, {25 * ms - d}, {});
  s.sim->run(100 * ms);
  EXPECT_NEAR(s.weight(), 8.0 + 0.01 * (10.0 - 8.0) * std::exp(-15.0 / 20.0), 1e-12);
  auto t = one_synapse<Stdp, double>(p, 8.0, d, {25 * ms}, {10 * ms - d}, {});
  t.sim->run(100 * ms);
  EXPECT_NEAR(t.weight(), 8.0 - 1.2 * 0.01 * 8.0 * std::exp(-15.0 / 20.0), 1e-12);
}

TEST(Stdp, AdditiveWeightsClipAtBothBounds) {
  Stdp::Params p = additive();
  p.lambda = 1.0;
  const Step d = 1 * ms;
  std::vector<Step> pre, post;
  for (int k = 0; k < 20; ++k) {
    pre.push_back((10 + 50 * k) * ms);
    post.push_back((15 + 50 * k) * ms - d);
  }
  auto up = one_synapse<Stdp, float>(p, 5.0, d, pre, post, {});
  up.sim->run(1100 * ms);
  EXPECT_EQ(up.weight(), 10.0);
  auto down = one_synapse<Stdp, float>(p, 5.0, d, post, pre, {});
  down.sim->run(1100 * ms);
  EXPECT_EQ(down.weight(), 0.0);
}

TEST(Stdp, EventDrivenEqualsThePerStepReferenceOnRandomTrains) {
  // The rule changes weights only at spikes, so the event-driven form and the
  // per-step reference agree to rounding, at any dt.
  for (double mu : {0.0, 0.5, 1.0}) {
    Stdp::Params p = additive();
    p.mu_plus = p.mu_minus = mu;
    RandomStream rng(11, Purpose::task, 0, 0);
    std::vector<Step> pre, post;
    const Step T = 5000 * ms, d = 2 * ms;
    for (Step t = 1; t < T - 10 * ms; ++t) {
      if (rng.uniform() < 15e-4) pre.push_back(t);
      if (rng.uniform() < 15e-4) post.push_back(t);
    }
    auto s = one_synapse<Stdp, double>(p, 5.0, d, pre, post, {});
    s.sim->run(T);
    test_support::ReferenceTrains trains;
    trains.pre = pre;
    for (Step t : post)
      trains.post.push_back(t + d);
    const auto ref = test_support::reference<Stdp>(p, 5.0, trains, {}, 0.1, T);
    EXPECT_NEAR(s.weight(), ref.w, 1e-10) << "mu " << mu;
    EXPECT_GT(std::abs(s.weight() - 5.0), 0.01);
  }
}

TEST(Stdp, RefusesBadParameters) {
  Stdp::Params p;
  p.w_min = 5.0;
  p.w_max = 1.0;
  ConnectionList list;
  list.add(0, 0, 1.0, 1);
  const auto message = [&](const Stdp::Params& params) -> std::string {
    try {
      EventDrivenProjection<Stdp> proj("x", 0, 0, 0, 1, list, params);
    } catch (const ParamErrors& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_THROW((EventDrivenProjection<Stdp>("x", 0, 0, 0, 1, list, p)), ParamErrors);
  EXPECT_NE(message(p).find("w_min: must be below w_max"), std::string::npos) << message(p);
  Stdp::Params q;
  q.tau_plus_ms = -1.0;
  EXPECT_THROW((EventDrivenProjection<Stdp>("x", 0, 0, 0, 1, list, q)), ParamErrors);
}

}  // namespace
}  // namespace bgsim
