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

#include "tasks/experiment.hpp"
#include "tasks/loop/learner_run.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/task_factory.hpp"

namespace bgsim::tasks::loop {

namespace {

using nlohmann::json;

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
  if (learner.q_learning || learner.td_agent)
    resolved["learner"]["params"] = learner.resolved["params"];
  // A spiking learner's network spreads over MPI ranks; an agent is one
  // process's arithmetic, with nothing to spread.
  const bool spreads = learner.network.has_value();
  return {resolved,
          [task, learner, trials, fit](const ExperimentContext& cx) {
            LearnerRunOptions options;
            options.fit_q_learning = fit;
            return run_learner(task, learner, trials, cx, options);
          },
          spreads};
}

const bool registered = Experiments::instance().add(
    {"closed_loop",
     "A learner plays a task in closed loop: a spiking network (inputs from observations, "
     "actions from spike counts, rewards as dopamine) or a reference agent, on the same trial "
     "sequence (docs/closed_loop.md)",
     nullptr, configure});

}  // namespace

}  // namespace bgsim::tasks::loop
