// Bandit agents: the cost of the parameter-recovery data set of experiments.md §4
// (the t-RNN baselines' synthetic training set): 2000 simulated Q-learning
// subjects × 1000 trials of the two-armed bandit, and the maximum-likelihood fit
// of (α, β) to each subject with NLopt. The issue requires the data set to take
// seconds on one core; these runs say how many, and where the time goes:
//   simulate_population  2000 × 1000 trials: task draws, softmax choice, δ-rule update,
//                        per-trial trace (the whole data set, one iteration)
//   recover_population   the same data set simulated and every subject fitted (items = fits;
//                        counters: Pearson r of true vs recovered α and β)
//   simulate_trial       one subject's 1000-trial session (per-trial cost)
//   likelihood           one NLL + gradient over 1000 trials (the fit's inner loop)
//   fit_subject          one full fit (coarse grid + L-BFGS polish)
// Reported: items_per_second = trials (simulate_*, likelihood) or fits per second.

#include <benchmark/benchmark.h>

#include <vector>

#include "models/agents/choice_likelihood.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/fit/q_learning_fit.hpp"

namespace {

using bgsim::tasks::bandits::RecoveryConfig;
using bgsim::tasks::bandits::TwoArmedBanditConfig;

void simulate_population(benchmark::State& state) {
  RecoveryConfig c;
  c.num_subjects = 2000;
  c.fit = false;
  std::int64_t trials = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const auto r = bgsim::tasks::bandits::run_parameter_recovery(c, seed++);
    trials += r.trials_simulated;
    benchmark::DoNotOptimize(r.true_alpha.data());
  }
  state.SetItemsProcessed(trials);
}
BENCHMARK(simulate_population)->Unit(benchmark::kSecond)->Iterations(1);

void recover_population(benchmark::State& state) {
  RecoveryConfig c;
  c.num_subjects = 2000;
  std::int64_t fits = 0;
  std::uint64_t seed = 1;
  for (auto _ : state) {
    const auto r = bgsim::tasks::bandits::run_parameter_recovery(c, seed++);
    fits += static_cast<std::int64_t>(r.fitted_alpha.size());
    benchmark::DoNotOptimize(r.fitted_alpha.data());
    state.counters["alpha_r"] = r.alpha_correlation;
    state.counters["beta_r"] = r.beta_correlation;
  }
  state.SetItemsProcessed(fits);
}
BENCHMARK(recover_population)->Unit(benchmark::kSecond)->Iterations(1);

void simulate_trial(benchmark::State& state) {
  TwoArmedBanditConfig c;
  std::uint64_t seed = 1;
  std::int64_t trials = 0;
  for (auto _ : state) {
    const auto trace = bgsim::tasks::bandits::run_two_armed_bandit(c, seed, seed + 1);
    seed += 2;
    trials += static_cast<std::int64_t>(trace.size());
    benchmark::DoNotOptimize(trace.q.data());
  }
  state.SetItemsProcessed(trials);
}
BENCHMARK(simulate_trial)->Unit(benchmark::kMicrosecond);

void likelihood(benchmark::State& state) {
  TwoArmedBanditConfig c;
  const auto data = bgsim::tasks::bandits::run_two_armed_bandit(c, 3, 4).choices();
  std::vector<double> gradient(2);
  std::int64_t trials = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        bgsim::agents::choice::q_learning_negative_log_likelihood(data, 0.4, 4.0, gradient));
    trials += static_cast<std::int64_t>(data.actions.size());
  }
  state.SetItemsProcessed(trials);
}
BENCHMARK(likelihood)->Unit(benchmark::kMicrosecond);

void fit_subject(benchmark::State& state) {
  TwoArmedBanditConfig c;
  std::vector<bgsim::agents::choice::ChoiceData> sessions;
  for (std::uint64_t s = 0; s < 16; ++s) {
    sessions.push_back(
        bgsim::tasks::bandits::run_two_armed_bandit(c, 10 + 2 * s, 11 + 2 * s).choices());
  }
  std::size_t i = 0;
  std::int64_t fits = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bgsim::tasks::fit::fit_q_learning(sessions[i++ % sessions.size()]));
    ++fits;
  }
  state.SetItemsProcessed(fits);
}
BENCHMARK(fit_subject)->Unit(benchmark::kMillisecond);

}  // namespace
