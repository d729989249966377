// The distributional-TD experiments (experiments.md §2) as ready experiments of
// `bgsim run`: tasks/experiments/distributional_{cue_reward,variable_magnitude,
// delay_task}.json and td_lambda_cue_reward.json. Each reads every field of
// its driver's config from "params" (defaults: the driver's, i.e. drl_sim's
// example), streams the per-trial traces into the results folder
// (results.hpp), and returns per predictor the numbers the published effect is
// judged by: what it learnt, what it should converge to, and the error.
//
// Seeds: the description's seed gives the task's trial sequence and the
// predictor draw each their own stream (stream_seed), so one number fixes the
// whole run and the two draws are unrelated.

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "tasks/distributional/cue_reward.hpp"
#include "tasks/distributional/delay_task.hpp"
#include "tasks/distributional/readers.hpp"
#include "tasks/distributional/results.hpp"
#include "tasks/distributional/variable_magnitude.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks::distributional {

namespace {

using nlohmann::json;
constexpr std::uint64_t kTaskStream = 0;
constexpr std::uint64_t kAgentStream = 1;

// A predictor has had time to converge once its slower per-step rate, after
// the trace normalisation, spans this many time constants over the run (the
// criterion of the driver tests).
constexpr double kConvergedTimeConstants = 20.0;

// What goes to disk and what the summary averages.
struct Output {
  TraceSelection traces;
  int summary_trials = 20;  // the summary averages over this many last trials (of a type)
};

void read_output(ExperimentParams& p, int& record_from_trial, Output& out) {
  p.whole("record_from_trial", record_from_trial);
  p.whole("trace_every", out.traces.every);
  p.whole("summary_trials", out.summary_trials);
  out.traces.first = record_from_trial;
}

// Validation before anything runs: the constructors of the task, the code and
// the agent refuse what they cannot run, with the field and its unit.
void validate_common(const ConditioningParams& task, RepresentationParams r, int n_trials,
                     const Output& out) {
  if (n_trials < 1)
    throw std::invalid_argument("n_trials = " + std::to_string(n_trials) +
                                " is not allowed: run at least one trial");
  const ConditioningTask t(task);
  r.n_channels = t.n_channels();
  r.n_steps = t.steps_per_trial();
  const StimulusRepresentation code(r);
  out.traces.validate();
  if (out.summary_trials < 1 || out.summary_trials > n_trials)
    throw std::invalid_argument("summary_trials = " + std::to_string(out.summary_trials) +
                                " is not allowed: average over 1 … n_trials (" +
                                std::to_string(n_trials) + ") last trials");
}

// The summaries read δ on the transition into the cue and out of the reward
// step, so both need a neighbour inside the trial.
void validate_steps(const ConditioningParams& task, double cue_time_s, double reward_time_s) {
  const int steps = ConditioningTask(task).steps_per_trial();
  const int cue = time_index(task.dt_s, cue_time_s);
  const int reward = time_index(task.dt_s, reward_time_s);
  if (cue < 1 || cue >= reward || reward > steps - 2) {
    std::ostringstream msg;
    msg << "cue_time_s = " << cue_time_s << " s and reward_time_s = " << reward_time_s
        << " s fall in steps " << cue << " and " << reward << " of a trial of " << steps
        << " steps (dt " << task.dt_s << " s); the summary needs 1 ≤ cue step < reward step ≤ "
        << steps - 2 << ": the cue after the first step, the reward before the last";
    throw std::invalid_argument(msg.str());
  }
}

void validate_agent(agents::DistributionalTdParams a, double dt_s) {
  a.dt_s = dt_s;
  agents::draw_predictor_bank(a);
}

// Running ---------------------------------------------------------------------

// Runs the distributional agent, streaming the traces of the selected trials
// to disk and the summary steps to `probes`; nothing else is kept per trial.
DistributionalRun run_and_write(const ExperimentContext& cx, const ConditioningParams& task,
                                const RepresentationParams& representation,
                                const agents::DistributionalTdParams& agent, int n_trials,
                                TraceSelection traces, std::vector<StepRecord*> probes) {
  std::vector<std::string> names;
  for (const TrialType& type : task.trial_types)
    names.push_back(type.name);
  const int steps = ConditioningTask(task).steps_per_trial();
  traces.n_trials = n_trials;
  TraceWriter writer(cx.folder, traces, task.dt_s, steps, agent.n_predictors, names);
  DistributionalRun run = run_distributional(
      task, representation, agent, n_trials, n_trials,
      [&](int n, const ConditioningTrial& record, const agents::TrialSignals& signals) {
        writer.observe(n, record, signals);
        for (StepRecord* probe : probes)
          probe->observe(n, signals);
      });
  writer.close();
  write_predictors(cx.folder, run.predictors);
  return run;
}

// Σ_f e_f at step `at` of a trial whose only cue comes on at `cue`: the
// normaliser max(1, Σe) of the update at that step (the trace sums the
// features, decaying by λ^{dt} per step). For the CSC it is Σ_j λ^{dt·j}.
double trace_sum(RepresentationParams r, int steps, int cue, int at, double lambda_step) {
  r.n_channels = 1;
  r.n_steps = steps;
  const StimulusRepresentation code(r);
  const Eigen::SparseMatrix<double> x = code.trial_features({{0, cue, steps}}, steps);
  double e = 0.0;
  for (int k = 0; k <= at; ++k)
    e = lambda_step * e + x.col(k).sum();
  return e;
}

// n_trials × the slower per-step rate at the reward step, per predictor.
Eigen::VectorXd learning_time_constants(const DistributionalRun& run, const RepresentationParams& r,
                                        int cue, int reward, int n_trials) {
  const PredictorTable& p = run.predictors;
  Eigen::VectorXd out(p.tau.size());
  for (Eigen::Index i = 0; i < out.size(); ++i) {
    const double slow = std::pow(std::min(p.alpha_plus(i), p.alpha_minus(i)), run.dt_s);
    const double norm = std::max(
        1.0, trace_sum(r, run.steps_per_trial, cue, reward, std::pow(p.lambda(i), run.dt_s)));
    out(i) = n_trials * slow / norm;
  }
  return out;
}

json predictor_constants(const PredictorTable& p, Eigen::Index i) {
  return {{"predictor", i},
          {"tau", p.tau(i)},
          {"tau_effective", p.tau_effective(i)},
          {"alpha_plus", p.alpha_plus(i)},
          {"alpha_minus", p.alpha_minus(i)},
          {"gamma", p.gamma(i)},
          {"lambda", p.lambda(i)}};
}

json common_summary(double dt_s, int steps, int n_trials, const Output& out,
                    std::uint64_t task_seed) {
  TraceSelection traces = out.traces;
  traces.n_trials = n_trials;
  return {{"dt_s", dt_s},
          {"steps_per_trial", steps},
          {"n_trials", n_trials},
          {"trials_written", traces.count()},
          {"summary_trials", out.summary_trials},
          {"task_seed", task_seed}};
}

// Cue → reward -------------------------------------------------------------------

void read_cue_reward_task(ExperimentParams& p, CueRewardConfig& c) {
  p.whole("n_trials", c.n_trials);
  p.number("dt_s", c.dt_s);
  p.number("trial_s", c.trial_s);
  p.number("cue_time_s", c.cue_time_s);
  p.number("reward_time_s", c.reward_time_s);
  p.number("reward", c.reward);
  p.number("timing_uncertainty", c.timing_uncertainty);
  p.number("omission_probability", c.omission_probability);
  p.number("unexpected_probability", c.unexpected_probability);
  p.number("iti_min_s", c.iti_min_s);
  p.number("iti_max_s", c.iti_max_s);
}

// Trials whose reward step held exactly the scheduled reward: no probe, no
// uncued reward there, no jitter. The reward response is averaged over these.
bool plain_trial(const ConditioningTrial& t, int reward_step) {
  return !t.omission && t.unexpected_step != reward_step && !t.rewards.empty() &&
         t.rewards.front().step == reward_step;
}

ConfiguredExperiment configure_cue_reward(networks::ObjectReader& reader) {
  CueRewardConfig c;
  Output out;
  ExperimentParams p(reader);
  read_cue_reward_task(p, c);
  read_distributional_agent(p, c.agent);
  read_representation(p, c.representation);
  read_output(p, c.record_from_trial, out);
  p.finish();
  p.check([&] {
    validate_common(cue_reward_task(c), c.representation, c.n_trials, out);
    validate_steps(cue_reward_task(c), c.cue_time_s, c.reward_time_s);
    validate_agent(c.agent, c.dt_s);
  });
  return {p.resolved(), [c, out](const ExperimentContext& cx) mutable {
            c.task_seed = stream_seed(cx.seed, kTaskStream);
            c.agent.seed = stream_seed(cx.seed, kAgentStream);
            const int cue = time_index(c.dt_s, c.cue_time_s);
            const int reward = time_index(c.dt_s, c.reward_time_s);
            const int n = c.n_trials, P = c.agent.n_predictors;
            StepRecord v_cue(StepRecord::Of::value, cue, n, P);
            StepRecord v_reward(StepRecord::Of::value, reward, n, P);
            StepRecord d_cue(StepRecord::Of::delta, cue - 1, n, P);
            StepRecord d_reward(StepRecord::Of::delta, reward, n, P);
            const DistributionalRun run =
                run_and_write(cx, cue_reward_task(c), c.representation, c.agent, n, out.traces,
                              {&v_cue, &v_reward, &d_cue, &d_reward});
            const int S = out.summary_trials;
            const auto plain = [&](int t) { return plain_trial(run.trials[t], reward); };
            const Eigen::VectorXd at_cue = v_cue.mean_of_last(S);
            const Eigen::VectorXd at_reward = v_reward.mean_of_last(S);
            const Eigen::VectorXd cue_response = d_cue.mean_of_last(S);
            bool any_plain = false;
            for (int trial = 0; trial < n && !any_plain; ++trial)
              any_plain = plain(trial);
            // Every trial a probe: no reward response to report (NaN → null).
            const Eigen::VectorXd reward_response =
                any_plain ? d_reward.mean_of_last(S, plain)
                          : Eigen::VectorXd::Constant(P, std::nan(""));
            const PredictorTable& t = run.predictors;
            json predictors = json::array();
            double worst = 0.0;
            for (Eigen::Index i = 0; i < P; ++i) {
              // The reward step learns the τ̃-expectile of what comes there (the
              // reward, or 0 on a probe); the steps before it are deterministic,
              // so V(k) = γ^{dt} V(k+1) back to the cue.
              const double target =
                  expectile({0.0, c.reward}, {c.omission_probability, 1.0 - c.omission_probability},
                            t.tau_effective(i));
              const double g = std::pow(t.gamma(i), c.dt_s);
              const double cue_target = target * std::pow(g, reward - cue);
              json row = predictor_constants(t, i);
              row["value_at_reward"] = at_reward(i);
              row["value_at_reward_expected"] = target;
              row["value_at_cue"] = at_cue(i);
              row["value_at_cue_expected"] = cue_target;
              row["value_at_cue_error_percent"] = error_percent(at_cue(i), cue_target);
              row["cue_response"] = cue_response(i);
              row["cue_response_expected"] = cue_target * g;
              row["reward_response_first_trial"] = d_reward.matrix()(0, i);
              row["reward_response"] = any_plain ? json(reward_response(i)) : json(nullptr);
              worst = std::max(worst, error_percent(at_cue(i), cue_target));
              predictors.push_back(row);
            }
            json s = common_summary(c.dt_s, run.steps_per_trial, n, out, c.task_seed);
            s["agent_seed"] = c.agent.seed;
            s["cue_step"] = cue;
            s["reward_step"] = reward;
            s["value_at_cue_max_error_percent"] = worst;
            s["rank_correlation_gamma_value_at_cue"] = rank_correlation(t.gamma, at_cue);
            s["reward_response_first_trial_mean"] = d_reward.matrix().row(0).mean();
            s["reward_response_mean"] = any_plain ? json(reward_response.mean()) : json(nullptr);
            s["cue_response_mean"] = cue_response.mean();
            s["predictors"] = predictors;
            return s;
          }};
}

// TD(λ) on the same task: one predictor, constants per step.
ConfiguredExperiment configure_td_lambda(networks::ObjectReader& reader) {
  CueRewardConfig c;
  Output out;
  ExperimentParams p(reader);
  read_cue_reward_task(p, c);
  p.number("alpha", c.td.alpha);
  p.number("gamma", c.td.gamma);
  p.number("lambda", c.td.lambda);
  p.number("initial_weight", c.td.initial_weight);
  read_representation(p, c.representation);
  read_output(p, c.record_from_trial, out);
  p.finish();
  p.check([&] {
    validate_common(cue_reward_task(c), c.representation, c.n_trials, out);
    validate_steps(cue_reward_task(c), c.cue_time_s, c.reward_time_s);
    const agents::TdLambda check(c.td);
  });
  return {p.resolved(), [c, out](const ExperimentContext& cx) mutable {
            c.task_seed = stream_seed(cx.seed, kTaskStream);
            const TdRun run = run_cue_reward_td_lambda(c);
            const int n = c.n_trials, T = run.steps_per_trial;
            TraceSelection traces = out.traces;
            traces.n_trials = n;
            TraceWriter writer(cx.folder, traces, c.dt_s, T, 1, {"cue_reward"});
            for (int trial = 0; trial < n; ++trial)
              writer.observe(trial, run.trials[trial], run.value.row(trial).transpose(),
                             run.delta.row(trial).transpose());
            writer.close();
            io::CsvWriter agent(cx.folder.path("agent.csv"), {"alpha_per_step", "gamma_per_step",
                                                              "lambda_per_step", "initial_weight"});
            agent.row({c.td.alpha, c.td.gamma, c.td.lambda, c.td.initial_weight});
            agent.close();

            const int cue = time_index(c.dt_s, c.cue_time_s);
            const int reward = time_index(c.dt_s, c.reward_time_s);
            const int S = out.summary_trials;
            double at_cue = 0.0, cue_response = 0.0, reward_response = 0.0;
            int plain = 0;
            for (int trial = n - S; trial < n; ++trial) {
              at_cue += run.value(trial, cue) / S;
              cue_response += run.delta(trial, cue - 1) / S;
            }
            for (int trial = n - 1; trial >= 0 && plain < S; --trial)
              if (plain_trial(run.trials[trial], reward)) {
                reward_response += run.delta(trial, reward);
                ++plain;
              }
            if (plain > 0) reward_response /= plain;
            // Linear TD(λ) learns the mean: V(k_r) → (1 − p_omit)·r, and γ per
            // step back to the cue.
            const double target = (1.0 - c.omission_probability) * c.reward;
            const double cue_target = target * std::pow(c.td.gamma, reward - cue);
            json s = common_summary(c.dt_s, T, n, out, c.task_seed);
            s["cue_step"] = cue;
            s["reward_step"] = reward;
            s["value_at_cue"] = at_cue;
            s["value_at_cue_expected"] = cue_target;
            s["value_at_cue_error_percent"] = error_percent(at_cue, cue_target);
            s["cue_response"] = cue_response;
            s["cue_response_expected"] = cue_target * c.td.gamma;
            s["reward_response_first_trial"] = run.delta(0, reward);
            s["reward_response"] = plain > 0 ? json(reward_response) : json(nullptr);
            return s;
          }};
}

// Variable magnitude --------------------------------------------------------------

ConfiguredExperiment configure_variable_magnitude(networks::ObjectReader& reader) {
  VariableMagnitudeConfig c;
  Output out;
  out.summary_trials = c.n_trials / 2;
  ExperimentParams p(reader);
  p.whole("n_trials", c.n_trials);
  p.number("dt_s", c.dt_s);
  p.number("trial_s", c.trial_s);
  p.number("cue_time_s", c.cue_time_s);
  p.number("reward_time_s", c.reward_time_s);
  p.numbers("magnitudes", c.magnitudes);
  p.numbers("probabilities", c.probabilities);
  p.number("timing_uncertainty", c.timing_uncertainty);
  read_distributional_agent(p, c.agent);
  read_representation(p, c.representation);
  read_output(p, c.record_from_trial, out);
  p.finish();
  p.check([&] {
    validate_common(variable_magnitude_task(c), c.representation, c.n_trials, out);
    validate_steps(variable_magnitude_task(c), c.cue_time_s, c.reward_time_s);
    validate_agent(c.agent, c.dt_s);
  });
  return {p.resolved(), [c, out](const ExperimentContext& cx) mutable {
            c.task_seed = stream_seed(cx.seed, kTaskStream);
            c.agent.seed = stream_seed(cx.seed, kAgentStream);
            const int cue = time_index(c.dt_s, c.cue_time_s);
            const int reward = time_index(c.dt_s, c.reward_time_s);
            const int n = c.n_trials, P = c.agent.n_predictors;
            StepRecord v_cue(StepRecord::Of::value, cue, n, P);
            StepRecord v_reward(StepRecord::Of::value, reward, n, P);
            const DistributionalRun run =
                run_and_write(cx, variable_magnitude_task(c), c.representation, c.agent, n,
                              out.traces, {&v_cue, &v_reward});
            // The reversal point: the reward at which δ_i(k_r) = r − V_i(k_r)
            // changes sign, i.e. V_i at the reward step, averaged over the
            // last trials because each reward moves it.
            const Eigen::VectorXd reversal = v_reward.mean_of_last(out.summary_trials);
            const Eigen::VectorXd at_cue = v_cue.mean_of_last(out.summary_trials);
            const Eigen::VectorXd tc =
                learning_time_constants(run, c.representation, cue, reward, n);
            const PredictorTable& t = run.predictors;
            json predictors = json::array();
            Eigen::VectorXd targets(P);
            double worst = 0.0;
            int converged = 0;
            for (Eigen::Index i = 0; i < P; ++i) {
              targets(i) = expectile(c.magnitudes, c.probabilities, t.tau_effective(i));
              const double g = std::pow(t.gamma(i), c.dt_s);
              json row = predictor_constants(t, i);
              row["reversal_point"] = reversal(i);
              row["expectile"] = targets(i);
              row["error_percent"] = error_percent(reversal(i), targets(i));
              row["learning_time_constants"] = tc(i);
              row["converged"] = tc(i) >= kConvergedTimeConstants;
              row["value_at_cue"] = at_cue(i);
              row["value_at_cue_expected"] = targets(i) * std::pow(g, reward - cue);
              if (tc(i) >= kConvergedTimeConstants) {
                ++converged;
                worst = std::max(worst, error_percent(reversal(i), targets(i)));
              }
              predictors.push_back(row);
            }
            json s = common_summary(c.dt_s, run.steps_per_trial, n, out, c.task_seed);
            s["agent_seed"] = c.agent.seed;
            s["cue_step"] = cue;
            s["reward_step"] = reward;
            s["converged_predictors"] = converged;
            s["converged_max_error_percent"] = converged > 0 ? json(worst) : json(nullptr);
            s["rank_correlation_tau_reversal"] = rank_correlation(t.tau, reversal);
            s["reversal_point_range"] = {reversal.minCoeff(), reversal.maxCoeff()};
            s["expectile_range"] = {targets.minCoeff(), targets.maxCoeff()};
            s["reward_mean"] = expectile(c.magnitudes, c.probabilities, 0.5);
            s["predictors"] = predictors;
            return s;
          }};
}

// Delay task ----------------------------------------------------------------------

ConfiguredExperiment configure_delay_task(networks::ObjectReader& reader) {
  DelayTaskConfig c;
  Output out;
  out.summary_trials = 5;  // per trial type
  ExperimentParams p(reader);
  p.whole("n_trials", c.n_trials);
  p.number("dt_s", c.dt_s);
  p.number("trial_s", c.trial_s);
  p.number("cue_time_s", c.cue_time_s);
  p.number("reward", c.reward);
  p.numbers("fixed_reward_times_s", c.fixed_reward_times_s);
  p.numbers("coin_flip_times_s", c.coin_flip_times_s);
  p.number("coin_flip_probability", c.coin_flip_probability);
  p.number("periodic_first_s", c.periodic_first_s);
  p.number("periodic_interval_s", c.periodic_interval_s);
  p.number("periodic_last_before_s", c.periodic_last_before_s);
  p.number("periodic_probability", c.periodic_probability);
  p.number("timing_uncertainty", c.timing_uncertainty);
  read_distributional_agent(p, c.agent);
  read_representation(p, c.representation);
  read_output(p, c.record_from_trial, out);
  p.finish();
  p.check([&] {
    validate_common(delay_task(c), c.representation, c.n_trials, out);
    validate_agent(c.agent, c.dt_s);
  });
  return {
      p.resolved(), [c, out](const ExperimentContext& cx) mutable {
        c.task_seed = stream_seed(cx.seed, kTaskStream);
        c.agent.seed = stream_seed(cx.seed, kAgentStream);
        const ConditioningParams task = delay_task(c);
        const int cue = time_index(c.dt_s, c.cue_time_s);
        const int n = c.n_trials, P = c.agent.n_predictors;
        StepRecord v_cue(StepRecord::Of::value, cue, n, P);
        const DistributionalRun run =
            run_and_write(cx, task, c.representation, c.agent, n, out.traces, {&v_cue});
        const int n_types = static_cast<int>(task.trial_types.size());
        const int n_fixed = static_cast<int>(c.fixed_reward_times_s.size());
        // Per type, V at the cue averaged over its last trials (none if the
        // type never came).
        std::vector<Eigen::VectorXd> at_cue(n_types);
        json types = json::array();
        for (int type = 0; type < n_types; ++type) {
          int count = 0;
          for (const ConditioningTrial& t : run.trials)
            count += t.type == type;
          json entry = {{"name", task.trial_types[type].name}, {"trials", count}};
          json steps = json::array();
          for (const RewardSpec& r : task.trial_types[type].rewards)
            steps.push_back(time_index(c.dt_s, r.time_s));
          entry["reward_steps"] = steps;
          if (count > 0)
            at_cue[type] = v_cue.mean_of_last(
                out.summary_trials, [&](int trial) { return run.trials[trial].type == type; });
          types.push_back(entry);
        }
        const PredictorTable& t = run.predictors;
        json predictors = json::array();
        Eigen::VectorXd read_back = Eigen::VectorXd::Constant(P, std::nan(""));
        double worst = 0.0;
        for (Eigen::Index i = 0; i < P; ++i) {
          const double g = std::pow(t.gamma(i), c.dt_s);
          json row = predictor_constants(t, i);
          json values = json::object(), expected = json::object(), errors = json::object();
          // γ read back: least squares of ln V(cue) against the delay in
          // seconds over the fixed types, slope ln γ.
          double sx = 0, sy = 0, sxx = 0, sxy = 0;
          int points = 0;
          for (int type = 0; type < n_types; ++type) {
            if (at_cue[type].size() == 0) continue;
            const std::string& name = task.trial_types[type].name;
            values[name] = at_cue[type](i);
            if (type >= n_fixed) continue;
            const int k_r = time_index(c.dt_s, c.fixed_reward_times_s[type]);
            const double target = c.reward * std::pow(g, k_r - cue);
            expected[name] = target;
            errors[name] = error_percent(at_cue[type](i), target);
            worst = std::max(worst, error_percent(at_cue[type](i), target));
            if (at_cue[type](i) > 0.0) {
              const double x = (k_r - cue) * c.dt_s, y = std::log(at_cue[type](i));
              sx += x, sy += y, sxx += x * x, sxy += x * y;
              ++points;
            }
          }
          if (points >= 2 && points * sxx - sx * sx > 0.0)
            read_back(i) = std::exp((points * sxy - sx * sy) / (points * sxx - sx * sx));
          row["value_at_cue"] = values;
          row["value_at_cue_expected"] = expected;
          row["value_at_cue_error_percent"] = errors;
          row["gamma_read_back"] = std::isnan(read_back(i)) ? json(nullptr) : json(read_back(i));
          row["slow_rate_per_step"] = std::pow(std::min(t.alpha_plus(i), t.alpha_minus(i)), c.dt_s);
          predictors.push_back(row);
        }
        json s = common_summary(c.dt_s, run.steps_per_trial, n, out, c.task_seed);
        s["agent_seed"] = c.agent.seed;
        s["cue_step"] = cue;
        s["trial_types"] = types;
        s["fixed_types"] = n_fixed;
        s["value_at_cue_max_error_percent"] = worst;
        if (!read_back.array().isNaN().any())
          s["rank_correlation_gamma_read_back"] = rank_correlation(t.gamma, read_back);
        s["predictors"] = predictors;
        return s;
      }};
}

const bool registered_cue_reward = Experiments::instance().add(
    {"distributional_cue_reward",
     "cue at 2 s, reward 1 at 6 s, 20 distributional TD(λ) predictors: δ moves from the reward "
     "to the cue and V(cue) fans out by discount γ (drl_sim, Tiwari 2024; Dabney et al. 2020)",
     configure_cue_reward});

const bool registered_variable_magnitude = Experiments::instance().add(
    {"distributional_variable_magnitude",
     "reward size drawn from 7 magnitudes: each predictor's reversal point converges to the "
     "τ̃-expectile of the reward distribution and they order by τ (Dabney et al. 2020, Fig. 1–2)",
     configure_variable_magnitude});

const bool registered_delay_task = Experiments::instance().add(
    {"distributional_delay_task",
     "six cued trial types with rewards at different delays: V(cue) decays with the delay at "
     "each predictor's own γ, so γ can be read back (drl_sim's delay task, Tiwari 2024)",
     configure_delay_task});

const bool registered_td_lambda = Experiments::instance().add(
    {"td_lambda_cue_reward",
     "classic linear TD(λ) on the cue–reward task: the prediction error moves from the reward "
     "to the cue (Schultz, Dayan & Montague 1997)",
     configure_td_lambda});

}  // namespace

}  // namespace bgsim::tasks::distributional
