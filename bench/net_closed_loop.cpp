// Closed-loop throughput: a spiking learner plays its task (a closed_loop
// experiment file of tasks/experiments/ with a network learner), and one JSON
// line per repetition gives trials per second of wall time, simulated seconds
// per wall second, and how the session's wall time divides between the kernel
// (Simulator::run, events included) and the loop around it (encoding, decoding,
// reward, the task, the per-step records). The network's recorders are
// removed: what is measured is the loop, not the recording. The line also
// gives the learning outcome (reward per trial, the fraction of steps taking
// the task's best action per 100 trials, the mean spike counts of the most
// and the least active action population in the decision window), which bench/peers/compare.py
// compares with the Brian2 peer's (bench/peers/bandit_closed_loop.py).
//
// The loop also splits the kernel's run into several calls per trial. What
// that costs is measured apart with --pieces-ms P: the same network open-loop
// (no input switched) for as long as the session was, once in one call and once
// in calls of P ms; results are bit-identical either way, so the difference of
// wall times is the price of stopping and starting. What bench/README.md's
// closed-loop figures come from.
//
//   bench_net_closed_loop tasks/experiments/bandit_reversal_spiking.json --trials 1000 --repeat 3
//   bench_net_closed_loop tasks/experiments/bandit_reversal_spiking.json --trials 1000 --pieces-ms
//   100

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "bench/cpu_time.hpp"
#include "networks/builder.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/session.hpp"
#include "tasks/loop/spiking_learner.hpp"

using bgsim::bench::cpu_seconds;

int main(int argc, char** argv) {
  namespace loop = bgsim::tasks::loop;
  CLI::App app{"bgsim closed-loop throughput"};
  std::string file;
  int threads = 1, repeat = 1;
  std::int64_t trials = 200;
  std::uint64_t seed = 1;
  app.add_option("FILE", file, "closed_loop experiment with a network learner")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--trials", trials, "trials per repetition")->check(CLI::Range(1, 10000000));
  app.add_option("--threads", threads, "OpenMP threads")->check(CLI::Range(1, 1024));
  app.add_option("--repeat", repeat, "repetitions (each builds anew)")->check(CLI::Range(1, 100));
  app.add_option("--seed", seed, "seed of network, task and loop");
  double pieces_ms = 0.0;
  app.add_option("--pieces-ms", pieces_ms,
                 "also run open-loop in one call and in calls of this length [ms]");
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(file);
  const nlohmann::json doc = nlohmann::json::parse(in);
  const nlohmann::json& params = doc.at("experiment").at("params");
  bgsim::networks::Diagnostics diag;
  bgsim::networks::ObjectReader tr(params.at("task"), "/experiment/params/task", diag);
  const loop::TaskFactory task = loop::read_task(tr);
  bgsim::networks::ObjectReader lr(params.at("learner"), "/experiment/params/learner", diag);
  loop::LearnerSpec learner =
      task.make ? loop::read_learner(lr, task, std::filesystem::path(file).parent_path())
                : loop::LearnerSpec{};
  if (!diag.ok() || !learner.network) {
    std::cerr << diag.str() << file << ": needs a closed_loop experiment with a network learner\n";
    return 1;
  }
  learner.network->recorders.clear();
  learner.network->seed = seed;

  using clock = std::chrono::steady_clock;
  for (int r = 0; r < repeat; ++r) {
    auto sim = bgsim::networks::build(*learner.network, {.threads = threads});
    loop::SpikingLearner spiking(*sim, learner.loop, seed);
    auto t = task.make(seed);
    const double cpu0 = cpu_seconds();
    const auto t0 = clock::now();
    std::int64_t steps = 0, no_actions = 0;
    double reward = 0.0;
    // Per block of 100 trials: steps with a best action, and those taking it.
    std::vector<std::int64_t> scored(static_cast<std::size_t>((trials + 99) / 100), 0);
    std::vector<std::int64_t> best(scored.size(), 0);
    // The decision window's spike counts: the largest and the smallest of the
    // action populations' per step, summed.
    std::vector<std::size_t> count_columns;
    const std::vector<std::string> names = spiking.measure_names();
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k].starts_with("count_")) count_columns.push_back(k);
    double winner_spikes = 0.0, loser_spikes = 0.0;
    loop::run_session(*t, spiking, trials, [&](const loop::StepRecord& s) {
      ++steps;
      if (!count_columns.empty()) {
        double hi = s.measures[count_columns[0]], lo = hi;
        for (std::size_t k : count_columns) {
          hi = std::max(hi, s.measures[k]);
          lo = std::min(lo, s.measures[k]);
        }
        winner_spikes += hi;
        loser_spikes += lo;
      }
      reward += s.reward;
      no_actions += s.action == bgsim::tasks::Task::no_action;
      if (s.best_action >= 0) {
        ++scored[static_cast<std::size_t>(s.trial / 100)];
        best[static_cast<std::size_t>(s.trial / 100)] += s.action == s.best_action;
      }
    });
    const double wall = std::chrono::duration<double>(clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    const double kernel = spiking.kernel_seconds();
    nlohmann::json line = {{"file", file},
                           {"trials", trials},
                           {"steps", steps},
                           {"threads", threads},
                           {"wall_s", wall},
                           {"cpu_s", cpu},
                           {"trials_per_s", trials / wall},
                           {"real_time_factor", sim->now_ms() / 1000.0 / wall},
                           {"kernel_s", kernel},
                           {"loop_share", (wall - kernel) / wall},
                           {"spikes", sim->counters().spikes},
                           {"neurons", sim->num_neurons()},
                           {"synapses", sim->num_synapses()},
                           {"reward_per_trial", reward / static_cast<double>(trials)},
                           {"no_actions", no_actions},
                           {"window_spikes_most", winner_spikes / static_cast<double>(steps)},
                           {"window_spikes_fewest", loser_spikes / static_cast<double>(steps)}};
    // The learning outcome: the fraction of steps taking the task's best
    // action in each whole block of 100 trials (bench/peers/compare.py).
    nlohmann::json per_100 = nlohmann::json::array();
    for (std::size_t b = 0; b < scored.size(); ++b)
      if (static_cast<std::int64_t>(b + 1) * 100 <= trials && scored[b] > 0)
        per_100.push_back(static_cast<double>(best[b]) / static_cast<double>(scored[b]));
    line["best_action_per_100_trials"] = per_100;
    std::cout << line.dump() << std::endl;
    if (pieces_ms > 0.0) {
      const bgsim::Step total = sim->now();
      double walls[2] = {0.0, 0.0};
      for (int split = 0; split < 2; ++split) {
        auto open = bgsim::networks::build(*learner.network, {.threads = threads});
        open->run(0);
        const bgsim::Step piece = split ? open->resolution().duration_steps(pieces_ms) : total;
        const auto s0 = clock::now();
        while (open->now() < total)
          open->run(std::min(piece, total - open->now()));
        walls[split] = std::chrono::duration<double>(clock::now() - s0).count();
      }
      std::cout << nlohmann::json{{"open_loop_ms", sim->now_ms()},
                                  {"one_call_s", walls[0]},
                                  {"pieces_ms", pieces_ms},
                                  {"in_pieces_s", walls[1]},
                                  {"cost_per_call_us",
                                   1e6 * (walls[1] - walls[0]) / (sim->now_ms() / pieces_ms)}}
                       .dump()
                << std::endl;
    }
  }
  return 0;
}
