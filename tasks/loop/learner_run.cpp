#include "tasks/loop/learner_run.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include "core/communicator.hpp"
#include "core/io/attach_recorders.hpp"
#include "core/io/csv.hpp"
#include "networks/builder.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/environments/probabilistic_selection.hpp"
#include "tasks/fit/q_learning_fit.hpp"
#include "tasks/loop/selection_score.hpp"
#include "tasks/loop/spiking_learner.hpp"

namespace bgsim::tasks::loop {

namespace {

using nlohmann::json;

constexpr int kBlockTrials = 100;  // trials per block of the summary's learning curve

// Scores choices against the task's best action, per block of trials.
struct ChoiceScore {
  std::vector<std::int64_t> better, decided;  // per block
  void add(const StepRecord& s) {
    if (s.best_action < 0) return;
    const auto b = static_cast<std::size_t>(s.trial / kBlockTrials);
    if (better.size() <= b) {
      better.resize(b + 1, 0);
      decided.resize(b + 1, 0);
    }
    ++decided[b];
    if (s.action == s.best_action) ++better[b];
  }
  json fractions() const {
    json out = json::array();
    for (std::size_t b = 0; b < better.size(); ++b)
      out.push_back(decided[b] ? static_cast<double>(better[b]) / decided[b] : 0.0);
    return out;
  }
};

// The Q-learning model fitted to the learner's choices by maximum likelihood
// (tasks/fit/q_learning_fit.hpp): one block (the learner is not told of
// reversals), trials without an action left out.
json fit_choices(const agents::choice::ChoiceData& data) {
  if (data.actions.size() < 2) return {{"fitted_trials", data.actions.size()}};
  fit::QLearningFitOptions options;
  options.likelihood.reset_each_block = false;
  const auto f = fit::fit_q_learning(data, options);
  return {{"fitted_alpha", f.alpha},
          {"fitted_beta", f.beta},
          {"fit_negative_log_likelihood", f.negative_log_likelihood},
          {"fitted_trials", data.actions.size()}};
}

// Runs `f`; over ranks a failure is kept in `error` instead of thrown, so
// that the rank still makes the collectives that follow (the others are
// waiting in them). In one process it throws, as it always did.
template <class F>
void guarded(Communicator* ranks, std::string& error, F&& f) {
  if (!ranks) {
    f();
    return;
  }
  try {
    f();
  } catch (const std::exception& e) {
    if (error.empty()) error = e.what();
  }
}

// The learner's network, its recordings attached to the folder. Over ranks
// each rank builds its part (docs/mpi.md) and only rank 0 attaches a sink;
// the sequence is that of `bgsim run` of a network (build, agree, share the
// recorders' columns, attach, agree), so a rank that fails does not leave
// the others waiting: every rank throws together.
std::unique_ptr<Simulator> build_network(const networks::NetworkSpec& spec,
                                         const ExperimentContext& cx, Communicator* ranks,
                                         std::unique_ptr<io::FileSink>& sink) {
  const bool writer = !ranks || ranks->rank() == 0;
  std::unique_ptr<Simulator> sim;
  const auto attach = [&] {
    if (!writer) return;
    sink = std::make_unique<io::FileSink>(cx.folder, sim->resolution());
    io::attach_recorders(*sink, *sim);
    for (const networks::RecorderSpec& r : spec.recorders)
      if (r.sonata()) sink->add_sonata_spikes(r.name);
  };
  if (!ranks) {
    sim = networks::build(spec, {.threads = cx.threads});
    attach();
    return sim;
  }
  std::string error;
  const auto agree = [&](const char* elsewhere) {
    if (!all_ranks_ok(ranks, error.empty()))
      throw std::runtime_error(error.empty() ? std::string(elsewhere) : error);
  };
  guarded(ranks, error, [&] {
    sim = networks::build(spec, {.threads = cx.threads, .communicator = ranks});
    sim->run(0);  // prepared: its weight recorders know their synapses
  });
  agree("another rank could not build its part of the network (its message says why)");
  sim->share_recorders();
  guarded(ranks, error, attach);
  agree("rank 0 could not open the network's recordings");
  return sim;
}

}  // namespace

json run_learner(const TaskFactory& task_factory, const LearnerSpec& learner, std::int64_t trials,
                 const ExperimentContext& cx, const LearnerRunOptions& options) {
  std::unique_ptr<Task> task = task_factory.make(bandits::derive_seed(cx.seed, 0));
  // Only a network spreads over ranks; every rank plays the same task with
  // the same seed and, seeing every spike after each exchange, takes the
  // same decisions. Only rank 0 writes.
  Communicator* ranks = learner.network ? cx.communicator : nullptr;
  const bool writer = !ranks || ranks->rank() == 0;
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<io::FileSink> sink;
  std::unique_ptr<Controller> controller;
  if (learner.network) {
    networks::NetworkSpec spec = *learner.network;
    spec.seed = cx.seed;
    sim = build_network(spec, cx, ranks, sink);
    controller = std::make_unique<SpikingLearner>(*sim, learner.loop, cx.seed);
  } else {
    controller = make_agent(learner, cx.seed);
  }
  std::vector<std::string> header = {"trial",       "step",   "state", "action",
                                     "best_action", "reward", "delta"};
  for (const std::string& m : controller->measure_names())
    header.push_back(m);
  if (options.columns) options.columns(controller->measure_names());
  std::optional<io::CsvWriter> csv;
  std::string error;
  if (writer)
    guarded(ranks, error, [&] { csv.emplace(cx.folder.path(options.steps_file), header); });
  if (!all_ranks_ok(ranks, error.empty()))
    throw std::runtime_error(error.empty() ? "rank 0 could not open " + options.steps_file : error);
  ChoiceScore score;
  // Kept only where the summary uses them: every step of a long session
  // would otherwise be held in memory for nothing.
  const auto* selection_task = dynamic_cast<const ProbabilisticSelectionTask*>(task.get());
  SelectionScore selection;
  agents::choice::ChoiceData choices;
  choices.num_actions = task_factory.num_actions;
  std::vector<io::CsvCell> row;
  std::string write_error;  // over ranks: the row rank 0 could not write
  const auto write = [&](const StepRecord& s) {
    if (csv && write_error.empty()) {
      row.clear();
      row.insert(row.end(), {s.trial, s.step, s.state, s.action, s.best_action, s.reward, s.delta});
      for (double m : s.measures)
        row.emplace_back(m);
      guarded(ranks, write_error, [&] { csv->row(row); });
    }
    score.add(s);
    if (options.fit_q_learning && s.action >= 0) {
      choices.actions.push_back(s.action);
      choices.rewards.push_back(s.reward);
    }
    if (selection_task) selection.add(s);
    if (options.observe) options.observe(s);
  };
  // Over ranks the session must end at the same trial on every rank: Ctrl-C
  // reaches the ranks at different moments, and a row rank 0 cannot write
  // fails rank 0 alone. So after every trial the ranks agree (one
  // collective) on whether any of them stops, and every rank checks that
  // agreement, not its own flag, before the next trial.
  std::atomic<bool> agreed_stop{false};
  const std::atomic<bool>* stop = cx.stop;
  std::function<void(std::int64_t, std::int64_t)> progress = cx.progress;
  if (ranks) {
    stop = &agreed_stop;
    progress = [&](std::int64_t done, std::int64_t total) {
      const bool mine = (cx.stop && cx.stop->load()) || !write_error.empty();
      if (ranks->sum(mine ? 1 : 0) != 0) agreed_stop.store(true);
      if (cx.progress) cx.progress(done, total);
    };
  }
  SessionSummary summary;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    summary = run_session(*task, *controller, trials, write, stop, progress);
  } catch (const std::exception& e) {
    error = e.what();
  }
  const double session_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (error.empty()) error = write_error;
  if (csv) guarded(ranks, error, [&] { csv->close(); });
  json out = {{"trials", summary.trials},
              {"steps", summary.steps},
              {"total_reward", summary.total_reward},
              {"no_actions", summary.no_actions},
              {"better_action_fraction_by_block", score.fractions()},
              {"block_trials", kBlockTrials}};
  if (sim) {
    // Over ranks every rank makes these collectives, in this order, whatever
    // failed: the last rows of state and weight recorders and the synapses
    // of "connections" recorders go to rank 0, the synapses are counted.
    guarded(ranks, error, [&] { sim->flush_recorders(); });
    const auto status = !error.empty()    ? io::RunStatus::failed
                        : summary.stopped ? io::RunStatus::interrupted
                                          : io::RunStatus::complete;
    // The synapses the session ended with, for "connections" recorders.
    for (const networks::RecorderSpec& r : learner.network->recorders)
      if (r.type == "connections") {
        ConnectionList synapses =
            networks::gather_saved_connections(*sim, *learner.network, r.projection, ranks);
        if (sink)
          guarded(ranks, error, [&] {
            sink->add_connections(r.name, r.projection,
                                  learner.network->projection(r.projection)->synapse.model,
                                  std::move(synapses));
          });
      }
    const std::size_t synapses = sim->num_synapses_all_ranks();
    if (sink) sink->finish(status, sim->now());
    const double kernel_s = static_cast<const SpikingLearner&>(*controller).kernel_seconds();
    out["session_wall_time_s"] = session_s;
    out["kernel_wall_time_s"] = kernel_s;
    out["loop_share_of_wall_time"] = session_s > 0 ? (session_s - kernel_s) / session_s : 0.0;
    out["network"] = {{"neurons", sim->num_neurons()},
                      {"synapses", synapses},
                      {"reached_ms", sim->now_ms()},
                      {"spikes", sim->counters().spikes}};
    if (sink) out["network"]["results"] = sink->manifest_section();
    if (ranks) out["network"]["ranks"] = ranks->size();
  }
  // Over ranks a stop may have come from another rank's Ctrl-C, which this
  // rank's own flag does not show: said here, for the manifest's status.
  if (ranks && summary.stopped) out["stopped"] = true;
  if (!error.empty()) throw std::runtime_error(error);
  if (selection_task) {
    const int per_block = selection_task->params().trials_per_block;
    out["selection"] = selection.summary(
        static_cast<std::int64_t>(selection_task->training_blocks_run()) * per_block, per_block);
  }
  if (options.fit_q_learning) out["q_learning_fit"] = fit_choices(choices);
  return out;
}

}  // namespace bgsim::tasks::loop
