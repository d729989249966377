// The closed-loop experiment: one task, one learner (a spiking network or a
// reference agent), one trial sequence (docs/closed_loop.md):
//
//   {"name": "...", "seed": 1,
//    "experiment": {"kind": "closed_loop", "params": {
//      "trials": 1000,
//      "task": {"type": "bandit", "params": {...}},
//      "learner": {"network": "...", "timing": {...}, "encoding": [...], ...}}}}
//
// Seeds: the task's stream is keyed by the description's seed (derived with
// stream 0), never by the learner, so a spiking and an agent learner given the
// same seed face the identical trial sequence; the network is built and run
// with the description's seed (it replaces the network file's own); an agent
// draws its choices from a stream derived with stream 1.
//
// Results: steps.csv, one row per step at which the learner acted (for the
// bandit: one per trial): trial, step, state, action, best_action, reward,
// delta and the learner's measures (spiking: decision counts per action
// population, dopamine cells' rate and dopamine level before and after the
// outcome); for a spiking learner also the network's own recordings, as a
// network run writes them. On the bandit the summary also holds the
// Q-learning model's (α, β) fitted to the learner's choices ("fit_q_learning").

#include <chrono>
#include <cmath>
#include <memory>

#include "core/io/attach_recorders.hpp"
#include "core/io/csv.hpp"
#include "networks/builder.hpp"
#include "tasks/bandits/q_learning_controller.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/experiment.hpp"
#include "tasks/fit/q_learning_fit.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/session.hpp"
#include "tasks/loop/spiking_learner.hpp"
#include "tasks/loop/task_factory.hpp"

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

json run_loop(const TaskFactory& task_factory, const LearnerSpec& learner, std::int64_t trials,
              bool fit, const ExperimentContext& cx) {
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
    controller = std::make_unique<SpikingLearner>(*sim, learner.loop, cx.seed);
  } else {
    controller = std::make_unique<bandits::QLearningController>(*learner.q_learning,
                                                                bandits::derive_seed(cx.seed, 1));
  }
  std::vector<std::string> header = {"trial",       "step",   "state", "action",
                                     "best_action", "reward", "delta"};
  for (const std::string& m : controller->measure_names())
    header.push_back(m);
  io::CsvWriter csv(cx.folder.path("steps.csv"), header);
  ChoiceScore score;
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
    if (s.action >= 0) {
      choices.actions.push_back(s.action);
      choices.rewards.push_back(s.reward);
    }
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
  if (fit) out["q_learning_fit"] = fit_choices(choices);
  return out;
}

ConfiguredExperiment configure(networks::ObjectReader& reader,
                               const std::filesystem::path& directory) {
  std::int64_t trials = 100;
  if (auto t = reader.count("trials")) {
    if (*t < 1 || *t > 100000000)
      reader.error("trials", "must be a whole number in [1, 1e8] [trials]");
    else
      trials = static_cast<std::int64_t>(*t);
  }
  const json empty = json::object();
  const json* task_json = reader.require("task", "{\"type\": \"bandit\", \"params\": {...}}");
  networks::ObjectReader tr(task_json ? *task_json : empty, reader.at("task"),
                            reader.diagnostics());
  TaskFactory task = task_json ? read_task(tr) : TaskFactory{};
  const json* learner_json = reader.require("learner", "{\"network\": ...} or {\"agent\": ...}");
  LearnerSpec learner;
  if (learner_json && task.make) {
    networks::ObjectReader lr(*learner_json, reader.at("learner"), reader.diagnostics());
    learner = read_learner(lr, task, directory);
  }
  // The fit applies to one choice per trial among the arms of a bandit.
  bool fit = task.type == "bandit";
  if (auto f = reader.boolean("fit_q_learning")) {
    fit = *f;
    if (fit && !task.type.empty() && task.type != "bandit")
      reader.error("fit_q_learning", "the Q-learning fit applies to the bandit's choices");
  }
  reader.finish({"trials", "task", "learner", "fit_q_learning"});
  json resolved = {{"trials", trials},
                   {"fit_q_learning", fit},
                   {"task", {{"type", task.type}, {"params", task.params}}},
                   {"learner", learner_json ? *learner_json : json()}};
  if (learner.q_learning) resolved["learner"]["params"] = learner.resolved["params"];
  return {resolved, [task, learner, trials, fit](const ExperimentContext& cx) {
            return run_loop(task, learner, trials, fit, cx);
          }};
}

const bool registered = Experiments::instance().add(
    {"closed_loop",
     "A learner plays a task in closed loop: a spiking network (inputs from observations, "
     "actions from spike counts, rewards as dopamine) or a reference agent, on the same trial "
     "sequence (docs/closed_loop.md)",
     nullptr, configure});

}  // namespace

}  // namespace bgsim::tasks::loop
