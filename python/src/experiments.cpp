// Experiments, tasks and agents from Python (docs/python.md, "Experiments"
// and "Tasks and agents").
//
// An experiment runs as `bgsim run` runs it: the same reader, the same seed
// rule, the same results folder and the same function that runs it and
// writes its manifest (tools/cli/experiment_run.hpp), so its files are the
// CLI's byte for byte; the Python
// side reads them back into DataFrames and arrays. A task and an agent are
// made by the readers of a closed-loop file (tasks/loop/task_factory.hpp,
// tasks/loop/loop_spec.hpp) with the seeds a closed loop gives them (task:
// stream 0 of the seed, agent: stream 1, a network: the seed itself), so
// stepping them by hand from Python meets the trials and draws of the
// experiment with that seed.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/io/results_folder.hpp"
#include "core/printable.hpp"
#include "python/src/arrays.hpp"
#include "python/src/network.hpp"
#include "python/src/reading.hpp"
#include "python/src/sigint.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/experiment.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/session.hpp"
#include "tasks/loop/spiking_learner.hpp"
#include "tasks/loop/task_factory.hpp"
#include "tools/cli/experiment_run.hpp"

namespace py = pybind11;

namespace bgsim::python {

namespace {

using nlohmann::json;

// Hands SIGINT back to Python after a run it stopped: the default handler
// raises KeyboardInterrupt (as after a network run, module.cpp).
void raise_if_interrupted(SigintStops& sigint) {
  sigint.restore();
  if (sigint.received()) {
    PyErr_SetInterrupt();
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
  }
}

// ------------------------------------------------------------ experiments

// Runs an experiment read without problems into the folder `out`, as `bgsim
// run FILE --out OUT [--seed S] [--threads N] [--set ...]` does, and returns
// the manifest it wrote. A failure is in the manifest ("status": "failed",
// "error"); a Ctrl-C ends the experiment at the next trial boundary, with the
// manifest's status "interrupted", and then raises KeyboardInterrupt.
//
// `progress` (None or a callable) is called (trials done, trials) after every
// trial by experiments that run trial by trial, with the GIL taken for the
// call. The stop flag those experiments poll is then one of ours: each call
// forwards a Ctrl-C to it, and an exception from the callable sets it too
// (the experiment ends at that trial boundary, "interrupted") and is raised
// once the manifest is written.
std::string run_experiment(const Reading& reading, const std::string& base,
                           const std::string& description_file, const std::string& out,
                           bool overwrite, std::optional<std::uint64_t> seed, int threads,
                           const std::vector<std::string>& sets, bool take_sigint,
                           const py::object& progress) {
  if (!reading.is_experiment || !reading.diag.ok())
    throw std::invalid_argument("not an experiment read without problems");
  if (threads < 1) throw std::invalid_argument("threads must be at least 1");
  networks::Diagnostics diag;
  tasks::ExperimentDescription exp =
      tasks::read_experiment_description(reading.loaded.document, diag, base);
  if (!diag.ok()) throw std::invalid_argument(diag.str());
  if (seed) {
    exp.seed = *seed;
    exp.resolved["seed"] = *seed;
  }
  io::ResultsFolder folder(out, overwrite);
  SigintStops sigint(take_sigint);
  std::atomic<bool> stop{false};
  std::optional<py::error_already_set> raised;  // by the progress callable
  json manifest;
  {
    py::gil_scoped_release nogil;
    tasks::ExperimentContext cx{folder, exp.seed, threads, sigint.flag()};
    if (!progress.is_none()) {
      cx.stop = &stop;
      cx.progress = [&](std::int64_t done, std::int64_t total) {
        if (sigint.received()) stop.store(true);
        if (raised) return;
        py::gil_scoped_acquire gil;
        try {
          progress(done, total);
        } catch (py::error_already_set& e) {
          raised.emplace(std::move(e));
          stop.store(true);
        }
      };
    }
    manifest =
        cli::run_experiment_into(exp, folder, cx, {description_file, sets},
                                 {.stopped = [&] { return sigint.received() || stop.load(); }});
  }
  raise_if_interrupted(sigint);
  if (raised) throw std::move(*raised);
  return manifest.dump();
}

// ------------------------------------------------------------ tasks

std::string event_name(tasks::EventKind k) {
  switch (k) {
    case tasks::EventKind::trial_start:
      return "trial_start";
    case tasks::EventKind::trial_end:
      return "trial_end";
    case tasks::EventKind::stimulus_on:
      return "stimulus_on";
    case tasks::EventKind::stimulus_off:
      return "stimulus_off";
    case tasks::EventKind::state_change:
      return "state_change";
    case tasks::EventKind::pause:
      return "pause";
    case tasks::EventKind::action_request:
      return "action_request";
    case tasks::EventKind::reward:
      return "reward";
  }
  return "unknown";
}

// Problems of a task or an agent read from Python: (file, pointer,
// message, line) as module.cpp's problem_list, and the text `bgsim
// validate` would print under `label`.
py::tuple problems_of(const networks::Diagnostics& diag, const std::string& label) {
  py::list items, warns;
  for (const auto& d : diag.items())
    items.append(py::make_tuple(d.file, d.pointer, d.message, d.str()));
  for (const auto& d : diag.warnings())
    warns.append(py::make_tuple(d.file, d.pointer, d.message, d.str()));
  const auto n = diag.items().size();
  const std::string text =
      diag.str() + label + ": " + std::to_string(n) + (n == 1 ? " problem" : " problems");
  return py::make_tuple(items, warns, text);
}

// Marks an object busy for the length of a call that releases the GIL: a
// second thread's call is refused rather than racing with the first.
class Busy {
 public:
  explicit Busy(std::atomic<bool>& flag, const char* what) : flag_(flag) {
    if (flag_.exchange(true))
      throw std::runtime_error(std::string("the ") + what +
                               " is in use in another thread; wait for its call to end");
  }
  ~Busy() { flag_.store(false); }
  Busy(const Busy&) = delete;
  Busy& operator=(const Busy&) = delete;

 private:
  std::atomic<bool>& flag_;
};

struct TaskHandle {
  tasks::loop::TaskFactory factory;
  std::uint64_t seed = 1;
  std::unique_ptr<tasks::Task> task;
  std::atomic<bool> busy{false};

  tasks::Task& idle() {
    if (busy.load())
      throw std::runtime_error("the task is in use in another thread; wait for its call to end");
    return *task;
  }
};

// Reads {"type": ..., "params": ...} as a closed-loop file's "task"; returns
// (problems, warnings, text, task or None).
py::tuple make_task(const std::string& text, std::uint64_t seed) {
  networks::Diagnostics diag;
  std::unique_ptr<TaskHandle> h;
  if (auto doc = networks::parse_json(text, "<task>", diag)) {
    networks::ObjectReader reader(*doc, "", diag);
    tasks::loop::TaskFactory f = tasks::loop::read_task(reader);
    if (diag.ok() && f.make) {
      h = std::make_unique<TaskHandle>();
      h->factory = std::move(f);
      h->seed = seed;
      h->task = h->factory.make(tasks::bandits::derive_seed(seed, 0));
    }
  }
  py::tuple p = problems_of(diag, "<task>");
  return py::make_tuple(p[0], p[1], p[2], h ? py::cast(std::move(h)) : py::none());
}

// ------------------------------------------------------------ agents

struct AgentHandle {
  tasks::loop::LearnerSpec spec;
  std::unique_ptr<Network> network;  // a spiking learner's network (with its recordings)
  std::unique_ptr<tasks::Controller> controller;
  std::string kind;  // "q_learning", "opal", "td_lambda", "distributional_td", "network"
  std::atomic<bool> busy{false};

  tasks::Controller& idle() {
    if (busy.load())
      throw std::runtime_error("the agent is in use in another thread; wait for its call to end");
    return *controller;
  }
};

// Reads a closed-loop file's "learner" object for `task`; returns (problems,
// warnings, text, agent or None). A network is built here, with `seed` (the
// experiment's) and `threads`.
py::tuple make_agent(const std::string& text, const TaskHandle& task, std::uint64_t seed,
                     int threads, const std::string& base) {
  if (threads < 1) throw std::invalid_argument("threads must be at least 1");
  networks::Diagnostics diag;
  std::unique_ptr<AgentHandle> h;
  if (auto doc = networks::parse_json(text, "<agent>", diag)) {
    networks::ObjectReader reader(*doc, "", diag);
    tasks::loop::LearnerSpec spec = tasks::loop::read_learner(reader, task.factory, base);
    if (diag.ok()) {
      h = std::make_unique<AgentHandle>();
      h->spec = std::move(spec);
      const tasks::loop::LearnerSpec& s = h->spec;
      if (s.network) {
        networks::NetworkSpec net = *s.network;
        net.seed = seed;
        // The network's own description where it is inline (a file's is not kept).
        const auto inline_net = doc->find("network");
        h->network = std::make_unique<Network>(
            std::move(net),
            inline_net != doc->end() && inline_net->is_object() ? *inline_net : json::object());
        h->network->set_threads(threads);
        {
          py::gil_scoped_release nogil;
          h->network->build();
        }
        h->controller =
            std::make_unique<tasks::loop::SpikingLearner>(h->network->simulator(), s.loop, seed);
        h->kind = "network";
      } else if (s.opal || s.q_learning || s.td_agent) {
        h->controller = tasks::loop::make_agent(s, seed);
        h->kind = s.resolved.value("agent", "");
      } else {
        h.reset();
        diag.error("", "names no learner: {\"agent\": ...} or {\"network\": ...}");
      }
    }
  }
  py::tuple p = problems_of(diag, "<agent>");
  return py::make_tuple(p[0], p[1], p[2], h ? py::cast(std::move(h)) : py::none());
}

// The columns of a session, one value per step at which the learner acted,
// as steps.csv holds them: handed to NumPy without a copy.
struct SessionColumns {
  std::vector<std::int64_t> trial;
  std::vector<std::int32_t> step, state, action, best_action;
  std::vector<double> reward, delta;
  std::vector<std::vector<double>> measures;  // one per measure name

  void add(const tasks::loop::StepRecord& s) {
    trial.push_back(s.trial);
    step.push_back(s.step);
    state.push_back(s.state);
    action.push_back(s.action);
    best_action.push_back(s.best_action);
    reward.push_back(s.reward);
    delta.push_back(s.delta);
    measures.resize(std::max(measures.size(), s.measures.size()));
    for (std::size_t i = 0; i < s.measures.size(); ++i)
      measures[i].push_back(s.measures[i]);
  }
};

// Plays `trials` trials of `task` with `agent` through the closed loop's one
// runner (tasks/loop/session.hpp); both go on from where they are. Returns
// (columns as a list of (name, array), summary dict).
py::tuple play(TaskHandle& t, AgentHandle& a, std::int64_t trials, bool take_sigint) {
  if (trials < 0) throw std::invalid_argument("trials must not be negative");
  Busy task_busy(t.busy, "task");
  Busy agent_busy(a.busy, "agent");
  const std::vector<std::string> names = a.controller->measure_names();
  SessionColumns c;
  c.measures.resize(names.size());
  tasks::loop::SessionSummary summary;
  SigintStops sigint(take_sigint);
  {
    py::gil_scoped_release nogil;
    summary = tasks::loop::run_session(
        *t.task, *a.controller, trials, [&](const tasks::loop::StepRecord& s) { c.add(s); },
        sigint.flag());
  }
  if (a.network) a.network->simulator().flush_recorders();
  py::list columns;
  columns.append(py::make_tuple("trial", hand_over(std::move(c.trial))));
  columns.append(py::make_tuple("step", hand_over(std::move(c.step))));
  columns.append(py::make_tuple("state", hand_over(std::move(c.state))));
  columns.append(py::make_tuple("action", hand_over(std::move(c.action))));
  columns.append(py::make_tuple("best_action", hand_over(std::move(c.best_action))));
  columns.append(py::make_tuple("reward", hand_over(std::move(c.reward))));
  columns.append(py::make_tuple("delta", hand_over(std::move(c.delta))));
  for (std::size_t i = 0; i < names.size(); ++i)
    columns.append(py::make_tuple(names[i], hand_over(std::move(c.measures[i]))));
  py::dict s;
  s["trials"] = summary.trials;
  s["steps"] = summary.steps;
  s["total_reward"] = summary.total_reward;
  s["no_actions"] = summary.no_actions;
  s["stopped"] = summary.stopped;
  raise_if_interrupted(sigint);
  return py::make_tuple(columns, s);
}

}  // namespace

void bind_experiments(py::module_& m) {
  m.def("run_experiment", &run_experiment, py::arg("reading"), py::arg("base"),
        py::arg("description_file"), py::arg("out"), py::arg("overwrite"), py::arg("seed"),
        py::arg("threads"), py::arg("sets"), py::arg("take_sigint"),
        py::arg("progress") = py::none());

  py::class_<tasks::TaskEvent>(m, "TaskEvent")
      .def_readonly("time_ms", &tasks::TaskEvent::time_ms)
      .def_property_readonly("kind", [](const tasks::TaskEvent& e) { return event_name(e.kind); })
      .def_readonly("channel", &tasks::TaskEvent::channel)
      .def_readonly("magnitude", &tasks::TaskEvent::magnitude)
      .def_readonly("drug", &tasks::TaskEvent::drug)
      .def("__repr__", [](const tasks::TaskEvent& e) {
        return "TaskEvent(" + event_name(e.kind) + ", time_ms=" + std::to_string(e.time_ms) +
               ", channel=" + std::to_string(e.channel) +
               ", magnitude=" + std::to_string(e.magnitude) + ")";
      });

  py::class_<tasks::TaskStep>(m, "TaskStep")
      .def_readonly("trial", &tasks::TaskStep::trial)
      .def_readonly("time_step", &tasks::TaskStep::time_step)
      .def_readonly("time_ms", &tasks::TaskStep::time_ms)
      .def_readonly("state", &tasks::TaskStep::state)
      .def_readonly("reward", &tasks::TaskStep::reward)
      .def_readonly("drug", &tasks::TaskStep::drug)
      .def_readonly("terminal", &tasks::TaskStep::terminal)
      .def_readonly("events", &tasks::TaskStep::events)
      .def_readonly("choices", &tasks::TaskStep::choices)
      .def("__repr__", [](const tasks::TaskStep& s) {
        return "TaskStep(trial=" + std::to_string(s.trial) +
               ", time_step=" + std::to_string(s.time_step) + ", state=" + std::to_string(s.state) +
               ", reward=" + std::to_string(s.reward) +
               ", terminal=" + (s.terminal ? "True" : "False") + ")";
      });

  m.def("make_task", &make_task, py::arg("text"), py::arg("seed"));
  py::class_<TaskHandle>(m, "Task")
      .def_property_readonly("type", [](TaskHandle& h) { return h.factory.type; })
      .def_property_readonly("params", [](TaskHandle& h) { return h.factory.params.dump(); })
      .def_property_readonly("seed", [](TaskHandle& h) { return h.seed; })
      .def_property_readonly("num_states", [](TaskHandle& h) { return h.idle().num_states(); })
      .def_property_readonly("num_actions", [](TaskHandle& h) { return h.idle().num_actions(); })
      .def_property_readonly("num_stimuli", [](TaskHandle& h) { return h.factory.num_stimuli; })
      .def_property_readonly("step_ms", [](TaskHandle& h) { return h.idle().step_ms(); })
      .def_property_readonly("best_action", [](TaskHandle& h) { return h.idle().best_action(); })
      .def_property_readonly("finished", [](TaskHandle& h) { return h.idle().finished(); })
      .def("reset", [](TaskHandle& h) { return h.idle().reset(); })
      .def(
          "step", [](TaskHandle& h, int action) { return h.idle().step(action); },
          py::arg("action"));

  m.def("make_agent", &make_agent, py::arg("text"), py::arg("task"), py::arg("seed"),
        py::arg("threads"), py::arg("base"));
  py::class_<AgentHandle>(m, "Agent")
      .def_property_readonly("kind", [](AgentHandle& h) { return h.kind; })
      .def_property_readonly("resolved", [](AgentHandle& h) { return h.spec.resolved.dump(); })
      .def_property_readonly("measure_names",
                             [](AgentHandle& h) { return h.idle().measure_names(); })
      .def("measures",
           [](AgentHandle& h) { return hand_over(std::vector<double>(h.idle().measures())); })
      .def(
          "act",
          [](AgentHandle& h, const tasks::TaskStep& now) {
            Busy busy(h.busy, "agent");
            py::gil_scoped_release nogil;
            return h.controller->act(now);
          },
          py::arg("now"))
      .def(
          "learn",
          [](AgentHandle& h, const tasks::TaskStep& from, int action, const tasks::TaskStep& to) {
            Busy busy(h.busy, "agent");
            py::gil_scoped_release nogil;
            return h.controller->learn(from, action, to);
          },
          py::arg("from_"), py::arg("action"), py::arg("to"))
      .def(
          "end_trial",
          [](AgentHandle& h, const tasks::TaskStep& last) {
            Busy busy(h.busy, "agent");
            py::gil_scoped_release nogil;
            h.controller->end_trial(last);
          },
          py::arg("last"))
      .def("network_spikes",
           [](AgentHandle& h, const std::string& recorder) {
             if (!h.network) throw std::invalid_argument("this agent has no network");
             Busy busy(h.busy, "agent");
             h.network->simulator().flush_recorders();
             return spike_array(h.network->recordings().spikes_of(recorder));
           })
      .def_property_readonly("time_ms",
                             [](AgentHandle& h) { return h.network ? h.network->now_ms() : 0.0; });

  m.def("play", &play, py::arg("task"), py::arg("agent"), py::arg("trials"),
        py::arg("take_sigint"));
}

}  // namespace bgsim::python
