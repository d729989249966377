#include "tasks/loop/learner_run.hpp"

#include <chrono>
#include <memory>
#include <stdexcept>

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

}  // namespace

json run_learner(const TaskFactory& task_factory, const LearnerSpec& learner, std::int64_t trials,
                 const ExperimentContext& cx, const LearnerRunOptions& options) {
  std::unique_ptr<Task> task = task_factory.make(bandits::derive_seed(cx.seed, 0));
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<io::FileSink> sink;
  std::unique_ptr<Controller> controller;
  if (learner.network) {
    networks::NetworkSpec spec = *learner.network;
    spec.seed = cx.seed;
    sim = networks::build(spec, {.threads = cx.threads});
    sink = std::make_unique<io::FileSink>(cx.folder, sim->resolution());
    io::attach_recorders(*sink, *sim);
    for (const networks::RecorderSpec& r : spec.recorders)
      if (r.sonata()) sink->add_sonata_spikes(r.name);
    controller = std::make_unique<SpikingLearner>(*sim, learner.loop, cx.seed);
  } else {
    controller = make_agent(learner, cx.seed);
  }
  std::vector<std::string> header = {"trial",       "step",   "state", "action",
                                     "best_action", "reward", "delta"};
  for (const std::string& m : controller->measure_names())
    header.push_back(m);
  if (options.columns) options.columns(controller->measure_names());
  io::CsvWriter csv(cx.folder.path(options.steps_file), header);
  ChoiceScore score;
  // Kept only where the summary uses them: every step of a long session
  // would otherwise be held in memory for nothing.
  const auto* selection_task = dynamic_cast<const ProbabilisticSelectionTask*>(task.get());
  SelectionScore selection;
  agents::choice::ChoiceData choices;
  choices.num_actions = task_factory.num_actions;
  std::vector<io::CsvCell> row;
  const auto write = [&](const StepRecord& s) {
    row.clear();
    row.insert(row.end(), {s.trial, s.step, s.state, s.action, s.best_action, s.reward, s.delta});
    for (double m : s.measures)
      row.emplace_back(m);
    csv.row(row);
    score.add(s);
    if (options.fit_q_learning && s.action >= 0) {
      choices.actions.push_back(s.action);
      choices.rewards.push_back(s.reward);
    }
    if (selection_task) selection.add(s);
    if (options.observe) options.observe(s);
  };
  SessionSummary summary;
  std::string error;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    summary = run_session(*task, *controller, trials, write, cx.stop, cx.progress);
  } catch (const std::exception& e) {
    error = e.what();
  }
  const double session_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  csv.close();
  json out = {{"trials", summary.trials},
              {"steps", summary.steps},
              {"total_reward", summary.total_reward},
              {"no_actions", summary.no_actions},
              {"better_action_fraction_by_block", score.fractions()},
              {"block_trials", kBlockTrials}};
  if (sim) {
    sim->flush_recorders();
    const auto status = !error.empty()    ? io::RunStatus::failed
                        : summary.stopped ? io::RunStatus::interrupted
                                          : io::RunStatus::complete;
    // The synapses the session ended with, for "connections" recorders.
    for (const networks::RecorderSpec& r : learner.network->recorders)
      if (r.type == "connections")
        sink->add_connections(r.name, r.projection,
                              learner.network->projection(r.projection)->synapse.model,
                              networks::saved_connections(*sim, *learner.network, r.projection));
    sink->finish(status, sim->now());
    const double kernel_s = static_cast<const SpikingLearner&>(*controller).kernel_seconds();
    out["session_wall_time_s"] = session_s;
    out["kernel_wall_time_s"] = kernel_s;
    out["loop_share_of_wall_time"] = session_s > 0 ? (session_s - kernel_s) / session_s : 0.0;
    out["network"] = {{"neurons", sim->num_neurons()},
                      {"synapses", sim->num_synapses()},
                      {"reached_ms", sim->now_ms()},
                      {"spikes", sim->counters().spikes},
                      {"results", sink->manifest_section()}};
  }
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
