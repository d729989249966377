// The comparison on a choice task — the bandit or the probabilistic selection
// task (docs/compare.md, "On the bandit"): the spiking learner and each
// closed-loop agent meet the identical trials (the bandit draws every arm on
// every trial whatever is chosen; the selection task one draw per trial);
// per trial, their choices and their dopamine at the outcome — the dopamine
// cells' rate in the outcome period minus their rate in the decision period,
// against the agent's δ. On the selection task each learner's summary also
// holds its choose-A and avoid-B.

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/io/csv.hpp"
#include "tasks/compare/compare_spec.hpp"
#include "tasks/loop/learner_run.hpp"

namespace bgsim::tasks::compare {

namespace {

using nlohmann::json;

// One learner's trials: one row each (the bandit has one step per trial).
struct Played {
  std::vector<int> action, best, state;
  std::vector<double> reward, signal;
};

json or_null(double x) {
  return std::isfinite(x) ? json(x) : json(nullptr);
}

Eigen::ArrayXd tail_of(const std::vector<double>& v, std::size_t from) {
  Eigen::ArrayXd out(static_cast<Eigen::Index>(v.size() - std::min(from, v.size())));
  for (Eigen::Index i = 0; i < out.size(); ++i)
    out[i] = v[from + static_cast<std::size_t>(i)];
  return out;
}

}  // namespace

json compare_choices(const CompareSpec& c, const ExperimentContext& cx) {
  const std::string pop = c.spiking.loop.monitor.population;
  std::size_t before = 0, after = 0;
  std::vector<Played> played(1 + c.agents.size());
  const auto record = [&played](std::size_t l, double signal, const loop::StepRecord& s) {
    Played& p = played[l];
    p.action.push_back(s.action);
    p.best.push_back(s.best_action);
    p.state.push_back(s.state);
    p.reward.push_back(s.reward);
    p.signal.push_back(signal);
  };
  loop::LearnerRunOptions spiking;
  spiking.fit_q_learning = true;
  spiking.columns = [&](const std::vector<std::string>& names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == pop + "_rate_before_Hz") before = i;
      if (names[i] == pop + "_rate_after_Hz") after = i;
    }
  };
  spiking.observe = [&](const loop::StepRecord& s) {
    record(0, s.measures.at(after) - s.measures.at(before), s);
  };
  json summary = {{"spiking", loop::run_learner(c.task, c.spiking, c.trials, cx, spiking)}};
  std::int64_t n = summary["spiking"]["trials"].get<std::int64_t>();
  for (std::size_t i = 0; i < c.agents.size(); ++i) {
    loop::LearnerRunOptions agent;
    agent.steps_file = "steps_" + c.agents[i].name + ".csv";
    agent.fit_q_learning = true;
    agent.observe = [&, i](const loop::StepRecord& s) { record(i + 1, s.delta, s); };
    summary[c.agents[i].name] = loop::run_learner(c.task, c.agents[i].learner, n, cx, agent);
    n = std::min(n, summary[c.agents[i].name]["trials"].get<std::int64_t>());
  }
  for (const Played& p : played)
    if (static_cast<std::int64_t>(p.action.size()) < n)
      throw std::logic_error("a learner reported fewer trials than it completed");

  // The trial table: the task's best arm, then per learner its choice, its
  // reward and its signal.
  std::vector<std::string> header{"trial", "state", "best_action"};
  std::vector<std::string> names{"spiking"};
  for (const AgentSpec& a : c.agents)
    names.push_back(a.name);
  for (std::size_t l = 0; l < names.size(); ++l)
    for (const char* col : {"_action", "_reward", l == 0 ? "_dopamine_Hz" : "_delta"})
      header.push_back(names[l] + col);
  io::CsvWriter table(cx.folder.path("choices.csv"), header);
  std::vector<io::CsvCell> row;
  for (std::int64_t t = 0; t < n; ++t) {
    if (played[0].best[t] != played.back().best[t] || played[0].state[t] != played.back().state[t])
      throw std::logic_error("the learners met different trials at trial " + std::to_string(t));
    row = {t, played[0].state[t], played[0].best[t]};
    for (const Played& p : played)
      row.insert(row.end(), {p.action[t], p.reward[t], p.signal[t]});
    table.row(row);
  }
  table.close();

  const std::int64_t learned = c.learned_from >= 0 ? std::min(c.learned_from, n - 1) : n / 2;
  json per_agent = json::object();
  for (std::size_t l = 1; l < played.size(); ++l) {
    std::int64_t same = 0;
    for (std::int64_t t = 0; t < n; ++t)
      same += played[0].action[t] == played[l].action[t];
    // The spiking dopamine and δ move together when both learners expect
    // the same arm's outcome: r over the trials after learning.
    const auto from = static_cast<std::size_t>(learned);
    per_agent[names[l]] = {
        {"same_choice_fraction", n ? static_cast<double>(same) / static_cast<double>(n) : 0.0},
        {"r_dopamine_vs_delta",
         or_null(pearson(tail_of(played[0].signal, from), tail_of(played[l].signal, from)))}};
  }
  // Each learner's signal against its own reward: how much of it is the outcome.
  json own = json::object();
  for (std::size_t l = 0; l < played.size(); ++l)
    own[names[l]] = or_null(pearson(tail_of(played[l].signal, static_cast<std::size_t>(learned)),
                                    tail_of(played[l].reward, static_cast<std::size_t>(learned))));
  summary["comparison"] = {{"trials", n},
                           {"learned_from_trial", learned},
                           {"learners", names},
                           {"r_signal_vs_own_reward", own},
                           {"agents", per_agent}};
  return summary;
}

}  // namespace bgsim::tasks::compare
