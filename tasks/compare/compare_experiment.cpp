// The comparison of dopamine signals (docs/compare.md; `bgsim compare FILE`):
// a spiking learner and reference agents on the identical trial sequence of
// a conditioning task, their signals aligned on the cue in bins.
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
// The spiking learner plays through the closed loop (steps.csv and its
// recordings, as a closed-loop experiment writes them); its signal is the
// monitored population's rate per step minus its baseline (the mean over the
// bins before the cue of cued trials without an extra reward). Each agent
// learns on a task made from the same parameters and seed — the same draws —
// and its signal is δ (tasks/compare/agent_runs.hpp for the reward
// convention). The rewards the spiking learner received are checked against
// the agents' trials, step by step, before anything is compared.

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/io/csv.hpp"
#include "core/io/npy.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/compare/agent_runs.hpp"
#include "tasks/compare/signals.hpp"
#include "tasks/distributional/readers.hpp"
#include "tasks/experiment.hpp"
#include "tasks/loop/learner_run.hpp"
#include "tasks/loop/loop_spec.hpp"
#include "tasks/loop/task_factory.hpp"

namespace bgsim::tasks::compare {

namespace {

using nlohmann::json;

constexpr std::uint64_t kTaskStream = 0;   // as the closed loop: the same trials
constexpr std::uint64_t kAgentStream = 2;  // predictor draws (+ agent index)

struct AgentSpec {
  enum class Kind { td_lambda, distributional_td };
  std::string name;
  Kind kind = Kind::td_lambda;
  agents::TdLambdaParams td;
  agents::DistributionalTdParams distributional;
  RepresentationParams representation;
  json resolved;
};

struct CompareSpec {
  std::int64_t trials = 100;
  loop::TaskFactory task;
  loop::LearnerSpec spiking;
  std::vector<AgentSpec> agents;
  double bin_ms = 50.0;
  Window cs{0.0, 200.0};
  Window us{0.0, 200.0};
  Window omission{-50.0, 150.0};
  std::int64_t learned_from = -1;  // -1: the second half of the trials
  int smooth = 10;
};

enum class Kind { paired, omission, uncued };
const char* kind_name(Kind k) {
  return k == Kind::paired ? "paired" : k == Kind::omission ? "omission" : "uncued";
}
Kind kind_of(const ConditioningTrial& t) {
  if (t.cue_channel < 0) return Kind::uncued;
  return t.omission ? Kind::omission : Kind::paired;
}

// Reading ---------------------------------------------------------------------

AgentSpec read_agent(networks::ObjectReader& r, double dt_s) {
  AgentSpec a;
  a.name = r.string("name", true).value_or("");
  const std::string type = r.string("agent", true).value_or("");
  const json empty = json::object();
  const json* params = r.take("params");
  r.finish({"name", "agent", "params"});
  networks::ObjectReader pr(params ? *params : empty, r.at("params"), r.diagnostics());
  ExperimentParams p(pr);
  if (type == "td_lambda") {
    a.kind = AgentSpec::Kind::td_lambda;
    p.number("alpha", a.td.alpha);
    p.number("gamma", a.td.gamma);
    p.number("lambda", a.td.lambda);
    p.number("initial_weight", a.td.initial_weight);
  } else if (type == "distributional_td") {
    a.kind = AgentSpec::Kind::distributional_td;
    a.distributional.dt_s = dt_s;
    distributional::read_distributional_agent(p, a.distributional);
  } else if (!type.empty()) {
    r.error("agent", "unknown agent \"" + type + "\"; the agents are td_lambda, distributional_td");
  }
  distributional::read_representation(p, a.representation);
  p.finish();
  p.check([&] {
    const StimulusRepresentation check(a.representation);
    if (a.kind == AgentSpec::Kind::td_lambda) {
      const agents::TdLambda agent(a.td);
    } else {
      const agents::DistributionalTd agent(a.distributional, 1);
    }
  });
  a.resolved = {{"name", a.name}, {"agent", type}, {"params", p.resolved()}};
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
  if (loop.timing.outcome_ms != 0.0)
    reader.error("spiking",
                 "the comparison needs \"outcome_ms\": 0, so that one step is one bin "
                 "of network time (the reward arrives at the start of its step)");
  const double dt_ms = c.task.params.value("dt_s", 0.0) * 1000.0;
  if (std::abs(loop.timing.step_ms - dt_ms) > 1e-9)
    reader.error("spiking", "the network's step_ms (" + std::to_string(loop.timing.step_ms) +
                                ") must equal the task's step dt_s·1000 (" + std::to_string(dt_ms) +
                                " ms): the agents' constants are per step");
  const double m = c.bin_ms / loop.timing.step_ms;
  if (std::abs(m - std::round(m)) > 1e-9 || std::round(m) < 1)
    reader.error("bin_ms", "must be a whole number of steps of " +
                               std::to_string(loop.timing.step_ms) + " ms");
  const double cue_ms = c.task.params.value("cue_time_s", 0.0) * 1000.0;
  if (cue_ms - loop.timing.step_ms < c.bin_ms - 1e-9)
    reader.error("task",
                 "the cue must come at least one bin (bin_ms) into the trial, after its "
                 "own step: the bins before it give the baseline");
}

// Running ---------------------------------------------------------------------

struct Signals {
  std::vector<std::string> names;       // "spiking", then the agents' names
  std::vector<Eigen::MatrixXd> binned;  // per learner: n × bins
};

// Fills `rate` (n × T, NaN where no row came) from the spiking learner's rows
// and checks its rewards against the agents' trials.
struct SpikingRows {
  std::size_t rate_column = 0;
  Eigen::MatrixXd rate;
  std::vector<loop::StepRecord> rows;
};

void check_same_trials(const std::vector<loop::StepRecord>& rows,
                       const std::vector<ConditioningTrial>& trials) {
  for (const loop::StepRecord& s : rows) {
    const auto& t = trials.at(static_cast<std::size_t>(s.trial));
    const double due = t.reward.at(static_cast<std::size_t>(s.step + 1));
    if (std::abs(due - s.reward) > 1e-12)
      throw std::logic_error("the spiking learner and the agents saw different trials: trial " +
                             std::to_string(s.trial) + ", step " + std::to_string(s.step + 1) +
                             " brought the network " + std::to_string(s.reward) +
                             " and the agents " + std::to_string(due));
  }
}

double mean_of(const std::vector<double>& v) {
  double s = 0;
  int n = 0;
  for (double x : v)
    if (std::isfinite(x)) {
      s += x;
      ++n;
    }
  return n ? s / n : kNaN;
}

json number_or_null(double x) {
  return std::isfinite(x) ? json(x) : json(nullptr);
}

json run_compare(const CompareSpec& c, const ExperimentContext& cx) {
  // The spiking learner, through the closed loop.
  SpikingRows sp;
  const std::string rate_name = c.spiking.loop.monitor.population + "_rate_before_Hz";
  loop::LearnerRunOptions options;
  options.columns = [&](const std::vector<std::string>& names) {
    const auto it = std::find(names.begin(), names.end(), rate_name);
    if (it == names.end()) throw std::logic_error("the spiking learner measures no " + rate_name);
    sp.rate_column = static_cast<std::size_t>(it - names.begin());
  };
  options.observe = [&](const loop::StepRecord& s) { sp.rows.push_back(s); };
  json summary = {{"spiking", loop::run_learner(c.task, c.spiking, c.trials, cx, options)}};
  const std::int64_t n = summary["spiking"]["trials"].get<std::int64_t>();
  if (n < 1) return summary;

  std::unique_ptr<Task> probe = c.task.make(bandits::derive_seed(cx.seed, kTaskStream));
  const ConditioningParams task = dynamic_cast<const ConditioningTask&>(*probe).params();
  const auto& conditioning = dynamic_cast<const ConditioningTask&>(*probe);
  const int T = conditioning.steps_per_trial();
  const double step_ms = c.spiking.loop.timing.step_ms;
  const int cue_step = conditioning.step_of(task.trial_types[0].cue_time_s);
  const int us_step = conditioning.step_of(task.trial_types[0].rewards[0].time_s);
  const BinGrid grid =
      make_grid(T, cue_step, static_cast<int>(std::lround(c.bin_ms / step_ms)), step_ms);
  const double us_ms = (us_step - cue_step) * step_ms;

  // The agents, on the same trials.
  Signals sig;
  sig.names.push_back("spiking");
  std::vector<AgentTrace> traces;
  for (std::size_t i = 0; i < c.agents.size(); ++i) {
    const AgentSpec& a = c.agents[i];
    if (a.kind == AgentSpec::Kind::td_lambda) {
      traces.push_back(run_td_lambda(task, a.representation, a.td, static_cast<int>(n)));
    } else {
      agents::DistributionalTdParams d = a.distributional;
      d.seed = bandits::derive_seed(cx.seed, kAgentStream + i);
      traces.push_back(run_distributional(task, a.representation, d, static_cast<int>(n)));
    }
    sig.names.push_back(a.name);
  }
  const std::vector<ConditioningTrial>& trials =
      traces.empty() ? std::vector<ConditioningTrial>{} : traces.front().trials;
  if (!trials.empty()) check_same_trials(sp.rows, trials);

  // The spiking signal per step, then per bin, baseline subtracted.
  sp.rate = Eigen::MatrixXd::Constant(n, T, kNaN);
  for (const loop::StepRecord& s : sp.rows)
    sp.rate(s.trial, s.step) = s.measures.at(sp.rate_column);
  Eigen::MatrixXd spiking = to_bins(sp.rate, grid, Reduce::mean);
  std::vector<double> pre;
  for (std::int64_t t = 0; t < n; ++t) {
    if (!trials.empty() && (trials[t].cue_channel < 0 || trials[t].unexpected_step >= 0)) continue;
    for (int j = 0; j < grid.n_bins && grid.start_ms(j) < 0; ++j)
      pre.push_back(spiking(t, j));
  }
  const double baseline = mean_of(pre);
  spiking.array() -= baseline;
  sig.binned.push_back(spiking);
  for (const AgentTrace& tr : traces)
    sig.binned.push_back(to_bins(tr.delta, grid, Reduce::sum));

  // Per trial: the responses in each window. "After learning": trials >= learned.
  const std::int64_t learned = c.learned_from >= 0 ? std::min(c.learned_from, n - 1) : n / 2;
  const std::vector<int> cs_bins = window_bins(grid, 0.0, c.cs);
  const std::vector<int> us_bins = window_bins(grid, us_ms, c.us);
  const std::vector<int> om_bins = window_bins(grid, us_ms, c.omission);
  const std::size_t L = sig.names.size();
  const auto reduce_of = [](std::size_t learner) {
    return learner == 0 ? Reduce::mean : Reduce::sum;
  };
  std::vector<std::string> header{"trial", "kind"};
  for (const std::string& name : sig.names)
    for (const char* w : {"_cs", "_us", "_omission"})
      header.push_back(name + w);
  io::CsvWriter per_trial(cx.folder.path("trials.csv"), header);
  std::vector<std::vector<double>> cs_of(L), us_of(L);  // paired trials, in order
  std::vector<std::int64_t> paired;                     // their trial numbers
  std::vector<double> uncued_us;                        // spiking, uncued trials after learning
  std::vector<io::CsvCell> row;
  for (std::int64_t t = 0; t < n; ++t) {
    const Kind k = trials.empty() ? Kind::paired : kind_of(trials[t]);
    row = {t, kind_name(k)};
    for (std::size_t l = 0; l < L; ++l) {
      const auto r = sig.binned[l].row(t);
      const double cs = k != Kind::uncued ? window_value(r, cs_bins, reduce_of(l)) : kNaN;
      const double us = k != Kind::omission ? window_value(r, us_bins, reduce_of(l)) : kNaN;
      const double om = k == Kind::omission ? window_value(r, om_bins, reduce_of(l)) : kNaN;
      row.insert(row.end(), {cs, us, om});
      if (k == Kind::paired) {
        cs_of[l].push_back(cs);
        us_of[l].push_back(us);
      }
      if (l == 0 && k == Kind::uncued && t >= learned) uncued_us.push_back(us);
    }
    if (k == Kind::paired) paired.push_back(t);
    per_trial.row(row);
  }
  per_trial.close();

  // The aligned signals, trial × bin × learner.
  io::NpyWriter npy(cx.folder.path("aligned.npy"), io::NpyDtype::of<double>(),
                    {static_cast<std::size_t>(grid.n_bins), L});
  std::vector<std::string> aligned_header{"trial", "kind", "bin_start_ms"};
  aligned_header.push_back("spiking_Hz");
  for (std::size_t l = 1; l < L; ++l)
    aligned_header.push_back(sig.names[l] + "_delta");
  io::CsvWriter aligned(cx.folder.path("aligned.csv"), aligned_header);
  std::vector<double> block(static_cast<std::size_t>(grid.n_bins) * L);
  for (std::int64_t t = 0; t < n; ++t) {
    const Kind k = trials.empty() ? Kind::paired : kind_of(trials[t]);
    for (int j = 0; j < grid.n_bins; ++j) {
      row = {t, kind_name(k), grid.start_ms(j)};
      for (std::size_t l = 0; l < L; ++l) {
        row.emplace_back(sig.binned[l](t, j));
        block[static_cast<std::size_t>(j) * L + l] = sig.binned[l](t, j);
      }
      aligned.row(row);
    }
    npy.append(block);
  }
  aligned.close();
  npy.close();

  // Mean time courses per kind of trial, early (the first `smooth` of the
  // kind) and after learning (trials >= learned_from).
  std::vector<std::string> course_header{"kind", "phase", "trials", "bin_start_ms"};
  for (std::size_t l = 0; l < L; ++l)
    course_header.push_back(l == 0 ? "spiking_Hz" : sig.names[l] + "_delta");
  io::CsvWriter courses(cx.folder.path("time_courses.csv"), course_header);
  std::vector<Eigen::ArrayXd> late_concat(L);  // the late courses, kinds one after another
  json late_counts = json::object();
  Eigen::RowVectorXd late_omission;  // the spiking learner's, for the dip
  for (Kind k : {Kind::paired, Kind::omission, Kind::uncued}) {
    std::vector<std::int64_t> of_kind;
    for (std::int64_t t = 0; t < n; ++t)
      if ((trials.empty() ? Kind::paired : kind_of(trials[t])) == k) of_kind.push_back(t);
    if (of_kind.empty()) continue;
    std::vector<std::int64_t> early(
        of_kind.begin(), of_kind.begin() + std::min<std::size_t>(of_kind.size(), c.smooth));
    std::vector<std::int64_t> late;
    for (std::int64_t t : of_kind)
      if (t >= learned) late.push_back(t);
    late_counts[kind_name(k)] = late.size();
    for (const auto& [phase, rows] : {std::pair{"early", early}, std::pair{"late", late}}) {
      if (rows.empty()) continue;
      std::vector<Eigen::RowVectorXd> mean(L, Eigen::RowVectorXd::Zero(grid.n_bins));
      for (std::size_t l = 0; l < L; ++l) {
        for (std::int64_t t : rows)
          mean[l] += sig.binned[l].row(t);
        mean[l] /= static_cast<double>(rows.size());
        if (std::string(phase) == "late") {
          Eigen::ArrayXd& cat = late_concat[l];
          cat.conservativeResize(cat.size() + grid.n_bins);
          cat.tail(grid.n_bins) = mean[l].transpose().array();
          if (l == 0 && k == Kind::omission) late_omission = mean[l];
        }
      }
      for (int j = 0; j < grid.n_bins; ++j) {
        row = {kind_name(k), phase, static_cast<std::int64_t>(rows.size()), grid.start_ms(j)};
        for (std::size_t l = 0; l < L; ++l)
          row.emplace_back(mean[l](j));
        courses.row(row);
      }
    }
  }
  courses.close();

  // Agreement of each agent with the spiking signal.
  const auto learned_rows = [&](const Eigen::MatrixXd& m) -> Eigen::ArrayXd {
    const Eigen::MatrixXd part = m.bottomRows(n - learned);
    return Eigen::Map<const Eigen::ArrayXd>(part.data(), part.size());
  };
  const auto phase_values = [&](const Eigen::MatrixXd& m, const std::vector<int>& bins, Kind only,
                                bool cued) {
    std::vector<double> v;
    for (std::int64_t t = learned; t < n; ++t) {
      const Kind k = trials.empty() ? Kind::paired : kind_of(trials[t]);
      if (cued ? k == Kind::uncued : k != only) continue;
      for (int j : bins)
        v.push_back(m(t, j));
    }
    return Eigen::ArrayXd(
        Eigen::Map<const Eigen::ArrayXd>(v.data(), static_cast<Eigen::Index>(v.size())));
  };
  // The trial at which a learner's cue response first exceeds its reward
  // response (means over the last `smooth` paired trials); -1: never.
  const auto crossing = [&](std::size_t l) -> std::int64_t {
    const int i = crossing_trial(cs_of[l], us_of[l], c.smooth);
    return i < 0 ? -1 : paired[static_cast<std::size_t>(i)];
  };
  json per_agent = json::object();
  for (std::size_t l = 1; l < L; ++l) {
    const Eigen::MatrixXd& s = sig.binned[0];
    const Eigen::MatrixXd& d = sig.binned[l];
    per_agent[sig.names[l]] = {
        {"r_mean_time_course", number_or_null(pearson(late_concat[0], late_concat[l]))},
        {"r_single_trials", number_or_null(pearson(learned_rows(s), learned_rows(d)))},
        {"r_cs_window", number_or_null(pearson(phase_values(s, cs_bins, Kind::paired, true),
                                               phase_values(d, cs_bins, Kind::paired, true)))},
        {"r_us_window", number_or_null(pearson(phase_values(s, us_bins, Kind::paired, false),
                                               phase_values(d, us_bins, Kind::paired, false)))},
        {"r_omission_window",
         number_or_null(pearson(phase_values(s, om_bins, Kind::omission, false),
                                phase_values(d, om_bins, Kind::omission, false)))},
        {"cs_exceeds_us_from_trial", crossing(l)}};
  }

  // The spiking learner's own figures, as multiples of its baseline.
  const auto late_mean = [&](const std::vector<double>& v) {
    std::vector<double> late;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (paired[i] >= learned) late.push_back(v[i]);
    return mean_of(late);
  };
  const auto early_mean = [&](const std::vector<double>& v) {
    return mean_of(
        std::vector<double>(v.begin(), v.begin() + std::min<std::size_t>(v.size(), c.smooth)));
  };
  json own = {{"baseline_Hz", number_or_null(baseline)},
              {"cs_response_early_Hz", number_or_null(early_mean(cs_of[0]))},
              {"cs_response_late_Hz", number_or_null(late_mean(cs_of[0]))},
              {"us_response_early_Hz", number_or_null(early_mean(us_of[0]))},
              {"us_response_late_Hz", number_or_null(late_mean(us_of[0]))},
              {"uncued_us_response_late_Hz", number_or_null(mean_of(uncued_us))},
              {"cs_exceeds_us_from_trial", crossing(0)}};
  if (late_omission.size() > 0 && !om_bins.empty()) {
    int jmin = om_bins.front();
    for (int j : om_bins)
      if (late_omission(j) < late_omission(jmin)) jmin = j;
    double sum = 0;
    for (int j : om_bins)
      sum += late_omission(j);
    own["omission_window_Hz"] = number_or_null(sum / om_bins.size());
    own["omission_minimum_Hz"] = number_or_null(late_omission(jmin));
    own["omission_minimum_bin_centre_from_us_ms"] = grid.start_ms(jmin) + 0.5 * grid.bin_ms - us_ms;
  }
  summary["comparison"] = {{"trials", n},
                           {"learned_from_trial", learned},
                           {"late_trials_by_kind", late_counts},
                           {"bin_ms", grid.bin_ms},
                           {"bins", grid.n_bins},
                           {"first_bin_start_ms", grid.start_ms(0)},
                           {"us_from_cs_ms", us_ms},
                           {"learners", sig.names},
                           {"spiking_signal", own},
                           {"agents", per_agent}};
  return summary;
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
  if (task_json && !c.task.type.empty() && c.task.type != "conditioning") {
    reader.error("task", "the comparison of dopamine signals runs on the conditioning task");
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
      std::set<std::string> names{"spiking"};
      const double dt_s = c.task.params.value("dt_s", 0.1);
      for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string at = reader.at("agents") + "/" + std::to_string(i);
        networks::ObjectReader ar((*a)[i], at, reader.diagnostics());
        AgentSpec spec = read_agent(ar, dt_s);
        if (!spec.name.empty() && !names.insert(spec.name).second)
          ar.error("name", "a second learner named \"" + spec.name + "\"; names must be unique");
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
  return {resolved, [c](const ExperimentContext& cx) { return run_compare(c, cx); }};
}

const bool registered = Experiments::instance().add(
    {"compare",
     "A spiking learner and reference agents (TD(lambda), distributional TD) on the identical "
     "conditioning trials; the dopamine cells' rate against each agent's prediction error, "
     "aligned on the cue (docs/compare.md)",
     nullptr, configure});

}  // namespace

}  // namespace bgsim::tasks::compare
