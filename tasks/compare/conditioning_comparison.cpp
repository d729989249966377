// The comparison on the conditioning task (docs/compare.md): the spiking
// learner through the closed loop, the agents on the same trials, their
// signals in bins aligned on the cue, responses per trial and agreement.

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/io/csv.hpp"
#include "core/io/npy.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/compare/agent_runs.hpp"
#include "tasks/compare/compare_spec.hpp"
#include "tasks/loop/learner_run.hpp"

namespace bgsim::tasks::compare {

namespace {

using nlohmann::json;

enum class Kind { paired, omission, uncued };
const char* kind_name(Kind k) {
  return k == Kind::paired ? "paired" : k == Kind::omission ? "omission" : "uncued";
}
Kind kind_of(const ConditioningTrial& t) {
  if (t.cue_channel < 0) return Kind::uncued;
  return t.omission ? Kind::omission : Kind::paired;
}

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

}  // namespace

json compare_conditioning(const CompareSpec& c, const ExperimentContext& cx) {
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
    if (a.td.kind == pavlovian::TdAgentSpec::Kind::td_lambda) {
      traces.push_back(run_td_lambda(task, a.td.representation, a.td.td, static_cast<int>(n)));
    } else {
      agents::DistributionalTdParams d = a.td.distributional;
      d.seed = bandits::derive_seed(cx.seed, kAgentStream + i);
      traces.push_back(run_distributional(task, a.td.representation, d, static_cast<int>(n)));
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

}  // namespace bgsim::tasks::compare
