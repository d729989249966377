// Checkpoints: run to T, save, run to 2T; restore into a freshly built
// simulator (also with another thread count), rerun to 2T: spikes and state
// must be exactly equal. Ring buffers hold spikes in flight at T (delays up to
// 20 ms), the event queue holds rate changes and recorder samples.

#include <gtest/gtest.h>

#include <cstring>
#include <sstream>

#include "models/poisson_source.hpp"
#include "tests/core/test_support.hpp"

namespace bgsim {
namespace {

struct Trial {
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<MemorySink> sink = std::make_unique<MemorySink>();
};

Trial build(int threads) {
  Trial r;
  r.sim =
      std::make_unique<Simulator>(SimulatorConfig{.dt_ms = 0.5, .seed = 77, .threads = threads});
  Simulator& sim = *r.sim;
  test_support::build_izhikevich_network(sim);
  // An input population whose rate changes after the checkpoint: the pending
  // change must travel in the checkpoint's event queue.
  const auto src =
      sim.add_population(make_population("poisson_source", "ctx", 50,
                                         {{"rate_Hz", 5.0},
                                          {"rate_times_ms", std::vector<double>{150.0}},
                                          {"rate_values_Hz", std::vector<double>{40.0}}}));
  sim.add_projection(test_support::connect(
      sim, "ctx->exc", src, 0, {.rule = "fixed_outdegree", .outdegree = 10}, 4.0, 2, 30));
  sim.set_sink(r.sink.get());
  for (std::uint32_t p = 0; p < sim.num_populations(); ++p)
    sim.add_spike_recorder(std::make_unique<SpikeRecorder>("spikes" + std::to_string(p), p,
                                                           std::vector<std::uint32_t>{}));
  sim.add_state_recorder(
      std::make_unique<StateRecorder>("v", 0, "v", std::vector<std::uint32_t>{0, 5, 9}, 4));
  return r;
}

std::vector<SpikeEvent> spikes_after(MemorySink& sink, std::size_t populations, Step after) {
  std::vector<SpikeEvent> out;
  for (std::size_t p = 0; p < populations; ++p)
    for (const auto& s : sink.spikes_of("spikes" + std::to_string(p)))
      if (s.step > after) out.push_back(s);
  return out;
}

TEST(Checkpoint, RoundTripIsExact) {
  constexpr Step T = 200;  // 100 ms
  for (int restore_threads : {1, 3}) {
    Trial first = build(2);
    first.sim->run(T);
    std::stringstream checkpoint;
    first.sim->save(checkpoint);
    first.sim->run(T);
    first.sim->flush_recorders();

    Trial second = build(restore_threads);
    second.sim->load(checkpoint);
    EXPECT_EQ(second.sim->now(), T);
    second.sim->run(T);
    second.sim->flush_recorders();

    const std::size_t np = first.sim->num_populations();
    const auto a = spikes_after(*first.sink, np, T), b = spikes_after(*second.sink, np, T);
    ASSERT_GT(a.size(), 50u);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(a[i].step, b[i].step);
      ASSERT_EQ(a[i].gid, b[i].gid);
    }
    for (std::uint32_t p = 0; p < 2; ++p)
      for (const char* var : {"v", "u"})
        EXPECT_EQ(0, std::memcmp(first.sim->population(p).state(var),
                                 second.sim->population(p).state(var),
                                 first.sim->population(p).size() * sizeof(double)));
    // The rate change scheduled at 150 ms happened in both.
    auto& ctx1 = dynamic_cast<models::PoissonSource&>(first.sim->population(2));
    auto& ctx2 = dynamic_cast<models::PoissonSource&>(second.sim->population(2));
    EXPECT_EQ(ctx1.rate_Hz(), 40.0);
    EXPECT_EQ(ctx2.rate_Hz(), 40.0);
    // Samples after T are the same.
    const auto& s1 = first.sink->samples_of("v");
    const auto& s2 = second.sink->samples_of("v");
    std::vector<double> tail1, tail2;
    for (std::size_t row = 0; row < s1.steps.size(); ++row)
      if (s1.steps[row] > T)
        tail1.insert(tail1.end(), s1.values.begin() + row * 3, s1.values.begin() + row * 3 + 3);
    for (std::size_t row = 0; row < s2.steps.size(); ++row)
      if (s2.steps[row] > T)
        tail2.insert(tail2.end(), s2.values.begin() + row * 3, s2.values.begin() + row * 3 + 3);
    // Samples at steps 204 ... 396: the one at 400 would precede the update of
    // step 400, which belongs to the next run.
    EXPECT_EQ(tail1.size(), 3u * 49u);
    EXPECT_EQ(tail1, tail2);
  }
}

TEST(Checkpoint, RefusesACheckpointOfAnotherNetwork) {
  Trial a = build(1);
  a.sim->run(10);
  std::stringstream checkpoint;
  a.sim->save(checkpoint);
  Simulator other({.dt_ms = 0.5, .seed = 77});
  other.add_population(make_population("lif_psc_exp", "exc", 160, {}));
  try {
    other.load(checkpoint);
    FAIL() << "loading a checkpoint of another network must fail";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("checkpoint"), std::string::npos) << e.what();
  }
  std::stringstream truncated(checkpoint.str().substr(0, 100));
  Trial b = build(1);
  EXPECT_THROW(b.sim->load(truncated), std::runtime_error);
}

}  // namespace
}  // namespace bgsim
