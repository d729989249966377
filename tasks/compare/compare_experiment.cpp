// The comparison of dopamine signals (docs/compare.md; `bgsim compare FILE`):
// a spiking learner and reference agents on the identical trial sequence —
// of a conditioning task, their signals aligned on the cue in bins
// (conditioning_comparison.cpp); of a choice task (bandit, probabilistic
// selection), their choices and dopamine at the outcome trial by trial
// (choice_comparison.cpp). This file reads it.
//
//   {"name": "...", "seed": 1,
//    "experiment": {"kind": "compare", "params": {
//      "trials": 200,
//      "task": {"type": "conditioning", "params": {...}},
//      "spiking": {"network": "...", "timing": {...}, "encoding": [...], "reward": [...],
//                  "monitor": {"population": "snc"}},
//      "agents": [{"name": "td_lambda", "agent": "td_lambda",
//                  "params": {"alpha": 0.1, "gamma": 0.98, "lambda": 0.9,
//                             "representation": "complete_serial_compound"}}],
//      "bin_ms": 50,
//      "windows_ms": {"cs": [0, 200], "us": [0, 200], "omission": [-50, 150]},
//      "learned_from_trial": 100, "smooth_trials": 10}}}
//
// On a choice task the agents are closed-loop agents:
//      "agents": [{"name": "q_learning", "agent": "q_learning", "params": {"alpha": 0.1, "beta":
//      5}}]

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "core/printable.hpp"
#include "tasks/compare/compare_spec.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks::compare {

namespace {

using nlohmann::json;

// A number of the task's resolved parameters; `fallback` when it is absent
// or not a number (a mistake already reported where the task was read).
// Found by fuzz_experiment: json::value threw on a string.
double task_number(const json& params, const char* key, double fallback) {
  const auto it = params.find(key);
  return it != params.end() && it->is_number() ? it->get<double>() : fallback;
}

// Reading ---------------------------------------------------------------------

// {"name", "agent", "params"}: a TD agent on the conditioning task, a
// closed-loop agent (q_learning) on the bandit.
AgentSpec read_agent(networks::ObjectReader& r, const loop::TaskFactory& task,
                     const std::filesystem::path& directory) {
  AgentSpec a;
  a.name = r.string("name", true).value_or("");
  if (task.type == "bandit" || task.type == "probabilistic_selection") {
    a.loop_agent = true;
    json rest = json::object();
    for (const char* key : {"agent", "params"})
      if (const json* v = r.take(key)) rest[key] = *v;
    r.finish({"name", "agent", "params"});
    networks::ObjectReader lr(rest, r.pointer(), r.diagnostics());
    a.learner = loop::read_learner(lr, task, directory);
    a.resolved = a.learner.resolved;
    a.resolved["name"] = a.name;
    return a;
  }
  const std::string type = r.string("agent", true).value_or("");
  const json* params = r.take("params");
  r.finish({"name", "agent", "params"});
  const json resolved =
      pavlovian::read_td_agent(a.td, type, r, params, task_number(task.params, "dt_s", 0.1));
  a.resolved = {{"name", a.name}, {"agent", type}, {"params", resolved}};
  return a;
}

Window read_window(networks::ObjectReader& r, const std::string& key, Window w) {
  const json* j = r.take(key);
  if (!j) return w;
  if (!j->is_array() || j->size() != 2 || !(*j)[0].is_number() || !(*j)[1].is_number() ||
      !((*j)[0].get<double>() < (*j)[1].get<double>())) {
    r.error(key, "must be [start, end] with start < end [ms]");
    return w;
  }
  return {(*j)[0].get<double>(), (*j)[1].get<double>()};
}

// Checks that need the task and the learner together; each problem reported
// at its key.
void check_spiking(networks::ObjectReader& reader, const CompareSpec& c) {
  if (!c.spiking.network) return;
  const loop::SpikingLoopSpec& loop = c.spiking.loop;
  if (loop.monitor.population.empty())
    reader.error("spiking",
                 "name the dopamine cells to compare: \"monitor\": {\"population\": ...}");
  if (c.task.type != "conditioning") {
    if (!(loop.timing.outcome_ms > 0.0))
      reader.error("spiking",
                   "on a choice task the dopamine at the outcome is the rate in the "
                   "outcome period: give \"outcome_ms\" > 0");
    return;
  }
  if (loop.timing.outcome_ms != 0.0)
    reader.error("spiking",
                 "the comparison needs \"outcome_ms\": 0, so that one step is one bin "
                 "of network time (the reward arrives at the start of its step)");
  const double dt_ms = task_number(c.task.params, "dt_s", 0.0) * 1000.0;
  if (std::abs(loop.timing.step_ms - dt_ms) > 1e-9)
    reader.error("spiking", "the network's step_ms (" + std::to_string(loop.timing.step_ms) +
                                ") must equal the task's step dt_s·1000 (" + std::to_string(dt_ms) +
                                " ms): the agents' constants are per step");
  const double m = c.bin_ms / loop.timing.step_ms;
  if (std::abs(m - std::round(m)) > 1e-9 || std::round(m) < 1)
    reader.error("bin_ms", "must be a whole number of steps of " +
                               std::to_string(loop.timing.step_ms) + " ms");
  const double cue_ms = task_number(c.task.params, "cue_time_s", 0.0) * 1000.0;
  if (cue_ms - loop.timing.step_ms < c.bin_ms - 1e-9)
    reader.error("task",
                 "the cue must come at least one bin (bin_ms) into the trial, after its "
                 "own step: the bins before it give the baseline");
}

ConfiguredExperiment configure(networks::ObjectReader& reader,
                               const std::filesystem::path& directory) {
  CompareSpec c;
  if (auto t = reader.count("trials")) {
    if (*t < 1 || *t > 10000000)
      reader.error("trials", "must be a whole number in [1, 1e7] [trials]");
    else
      c.trials = static_cast<std::int64_t>(*t);
  }
  const json empty = json::object();
  const json* task_json = reader.require("task", "{\"type\": \"conditioning\", \"params\": {...}}");
  networks::ObjectReader tr(task_json ? *task_json : empty, reader.at("task"),
                            reader.diagnostics());
  if (task_json) c.task = loop::read_task(tr);
  if (task_json && !c.task.type.empty() && c.task.type == "track") {
    reader.error("task",
                 "the comparison runs on the conditioning task, the bandit or the "
                 "probabilistic selection task");
    c.task.make = nullptr;
  }
  const json* spiking_json = reader.require("spiking", "{\"network\": ..., \"monitor\": ...}");
  if (spiking_json && c.task.make) {
    networks::ObjectReader sr(*spiking_json, reader.at("spiking"), reader.diagnostics());
    c.spiking = loop::read_learner(sr, c.task, directory);
    if (!c.spiking.network && sr.valid())
      reader.error("spiking", "must be a spiking network ({\"network\": ...})");
  }
  json agents_resolved = json::array();
  if (const json* a = reader.take("agents")) {
    if (!a->is_array()) {
      reader.error("agents", "must be a list of {\"name\", \"agent\", \"params\"}");
    } else {
      std::set<std::string> names{"spiking", "comparison"};
      for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string at = reader.at("agents") + "/" + std::to_string(i);
        networks::ObjectReader ar((*a)[i], at, reader.diagnostics());
        AgentSpec spec = read_agent(ar, c.task, directory);
        if (spec.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                        "0123456789_-.") != std::string::npos)
          ar.error("name", "names become file and column names: letters, digits, _, -, .");
        else if (!spec.name.empty() && !names.insert(spec.name).second)
          ar.error("name", "a second learner named " + quote(spec.name) + "; names must be unique");
        agents_resolved.push_back(spec.resolved);
        c.agents.push_back(std::move(spec));
      }
    }
  }
  if (auto b = reader.number("bin_ms")) {
    if (!(*b > 0))
      reader.error("bin_ms", "must be > 0 [ms]");
    else
      c.bin_ms = *b;
  }
  if (const json* w = reader.take("windows_ms")) {
    networks::ObjectReader wr(*w, reader.at("windows_ms"), reader.diagnostics());
    c.cs = read_window(wr, "cs", c.cs);
    c.us = read_window(wr, "us", c.us);
    c.omission = read_window(wr, "omission", c.omission);
    wr.finish({"cs", "us", "omission"});
  }
  if (auto l = reader.count("learned_from_trial")) {
    if (static_cast<std::int64_t>(*l) >= c.trials)
      reader.error("learned_from_trial", "must be below the number of trials");
    else
      c.learned_from = static_cast<std::int64_t>(*l);
  }
  if (auto s = reader.count("smooth_trials")) {
    if (*s < 1 || *s > 10000)
      reader.error("smooth_trials", "must be a whole number in [1, 10000] [trials]");
    else
      c.smooth = static_cast<int>(*s);
  }
  reader.finish({"trials", "task", "spiking", "agents", "bin_ms", "windows_ms",
                 "learned_from_trial", "smooth_trials"});
  if (c.task.make) check_spiking(reader, c);
  const json resolved = {
      {"trials", c.trials},
      {"task", {{"type", c.task.type}, {"params", c.task.params}}},
      {"spiking", spiking_json ? *spiking_json : json()},
      {"agents", agents_resolved},
      {"bin_ms", c.bin_ms},
      {"windows_ms",
       {{"cs", {c.cs.start_ms, c.cs.end_ms}},
        {"us", {c.us.start_ms, c.us.end_ms}},
        {"omission", {c.omission.start_ms, c.omission.end_ms}}}},
      {"learned_from_trial", c.learned_from >= 0 ? json(c.learned_from) : json(c.trials / 2)},
      {"smooth_trials", c.smooth}};
  return {resolved, [c](const ExperimentContext& cx) {
            return c.task.type == "conditioning" ? compare_conditioning(c, cx)
                                                 : compare_choices(c, cx);
          }};
}

const bool registered = Experiments::instance().add(
    {"compare",
     "A spiking learner and reference agents (TD(lambda), distributional TD) on the identical "
     "conditioning trials; the dopamine cells' rate against each agent's prediction error, "
     "aligned on the cue (docs/compare.md)",
     nullptr, configure});

}  // namespace

}  // namespace bgsim::tasks::compare
