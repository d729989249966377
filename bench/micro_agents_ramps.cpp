// Micro-benchmarks of the dual-process ramp agents and experiments.
//
// What: one learning step of the tabular Dual agent (n = 20) and of the
// feature Dual agent on the dark track (n = 87, dense blurred φ: two 87-long
// dot products per step), and two whole experiments, the demo (624 + 1510
// episodes) and the Guru track (2 × 18 × 100 episodes of 35 steps).
// Why: these agents are the reference against which spiking dopamine is
// compared, and the experiment files run them many times (seeds, parameter
// sweeps); they must stay far below a second per experiment.

#include <benchmark/benchmark.h>

#include "models/agents/dual_process.hpp"
#include "tasks/ramps/demo.hpp"
#include "tasks/ramps/guru.hpp"
#include "tasks/representations/track_features.hpp"

namespace {

using namespace bgsim;

void BM_DualTabularStep(benchmark::State& state) {
  const int n = 20;
  agents::DualTabularParams p;
  p.num_states = n;
  p.goal_state = n - 1;
  p.initial_reward = 1.0;
  agents::DualTabular dual(p);
  int s = 0;
  for (auto _ : state) {
    const bool end = s == n - 1;
    benchmark::DoNotOptimize(dual.update(s, end ? 1.0 : 0.0, end ? s : s + 1, end));
    s = end ? 0 : s + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DualTabularStep);

void BM_DualFeaturesDarkTrackStep(benchmark::State& state) {
  const int n = 87;
  const Eigen::MatrixXd phi =
      tasks::blurred_features(tasks::exponential_widths(n, 4.0 / 87.0 * n, 24.0 / 87.0 * n), n - 1);
  agents::DualFeaturesParams p;
  p.goal_state = n - 1;
  p.initial_reward = 1.0;
  agents::DualFeatures dual(p, phi, phi);
  int s = 0;
  for (auto _ : state) {
    const bool end = s == n - 1;
    benchmark::DoNotOptimize(dual.update(s, end ? 1.0 : 0.0, end ? s : s + 1, end));
    s = end ? 0 : s + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DualFeaturesDarkTrackStep);

void BM_DemoExperiment(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(tasks::ramps::run_demo());
}
BENCHMARK(BM_DemoExperiment)->Unit(benchmark::kMillisecond);

void BM_GuruTrackExperiment(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(tasks::ramps::run_guru_track());
}
BENCHMARK(BM_GuruTrackExperiment)->Unit(benchmark::kMillisecond);

}  // namespace
