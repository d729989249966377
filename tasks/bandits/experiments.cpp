// The bandit experiments as ready experiments of `bgsim run`
// (tasks/experiments/{bandit,probabilistic}_*.json):
//
//   bandit_two_armed              one Q-learning subject's session on the two-armed
//                                 bandit of the t-RNN baselines (trials.csv)
//   bandit_parameter_recovery     N simulated subjects, (α, β) fitted by maximum
//                                 likelihood (recovery.csv)
//   probabilistic_selection_opal  OpAL on the probabilistic selection task at several
//                                 dopamine levels ρ (trials.csv, levels.csv, weights.csv)
//
// Each reads every field of its driver's config from "params" (defaults from the
// driver), writes tidy CSV tables (one row per trial or subject) and returns the
// published summary numbers. The description's seed keys every stream: task and
// subject seeds are derived from it (bandits::derive_seed), never drawn.

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/io/csv.hpp"
#include "tasks/bandits/probabilistic_selection_opal.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/experiment.hpp"
#include "tasks/fit/q_learning_fit.hpp"

namespace bgsim::tasks::bandits {

namespace {

const std::vector<std::string> kProcesses = {"fixed", "switching", "drifting"};

ParameterProcess process_from(const std::string& name) {
  if (name == "switching") return ParameterProcess::switching;
  if (name == "drifting") return ParameterProcess::drifting;
  return ParameterProcess::fixed;
}

std::string fmt(double x) {
  return io::csv_number(x);
}

// A list parameter of fixed length: the message names the key and the length wanted.
void require_length(const std::vector<double>& v, std::size_t n, const std::string& key) {
  if (v.size() != n)
    throw std::invalid_argument(key + " has " + std::to_string(v.size()) + " values: give " +
                                std::to_string(n));
}

// The session design shared by the two bandit experiments: the complementary
// two-armed task and the subject's parameter process. `process` and the two
// drift steps are JSON-level names for BanditSubject's enum and array.
struct BanditDesign {
  TwoArmedBanditConfig session;
  std::string process = "fixed";
  double drift_sd_alpha = 0.05;  // drifting: step of logit α per trial [dimensionless]
  double drift_sd_beta = 0.05;   // drifting: step of log β per trial [dimensionless]

  void read(ExperimentParams& p) {
    p.whole("num_trials", session.num_trials);
    p.whole("trials_per_block", session.task.trials_per_block);
    p.numbers("block_options", session.task.block_options);
    p.text("process", process, kProcesses);
    p.number("switch_probability", session.subject.switch_probability);
    p.whole("min_trials_between_switches", session.subject.min_trials_between_switches);
    p.whole("max_switches", session.subject.max_switches);
    p.number("drift_sd_alpha", drift_sd_alpha);
    p.number("drift_sd_beta", drift_sd_beta);
    p.flag("reset_each_block", session.subject.reset_each_block);
    session.subject.process = process_from(process);
    session.subject.drift_sd = {drift_sd_alpha, drift_sd_beta};
  }

  void validate_design() const {
    if (session.num_trials < 1)
      throw std::invalid_argument("num_trials = " + std::to_string(session.num_trials) +
                                  ": must be >= 1 [trials]");
    tasks::validate(session.task);
    const auto& s = session.subject;
    if (!(s.switch_probability >= 0.0 && s.switch_probability <= 1.0))
      throw std::invalid_argument("switch_probability = " + fmt(s.switch_probability) +
                                  ": must be a probability in [0, 1]");
    if (s.min_trials_between_switches < 0 || s.max_switches < 0)
      throw std::invalid_argument("min_trials_between_switches and max_switches must be >= 0");
    if (!(drift_sd_alpha >= 0.0 && std::isfinite(drift_sd_alpha) && drift_sd_beta >= 0.0 &&
          std::isfinite(drift_sd_beta)))
      throw std::invalid_argument("drift_sd_alpha and drift_sd_beta must be finite and >= 0");
  }
};

// ---------------------------------------------------------------- bandit_two_armed

io::CsvWriter trial_csv(const ExperimentContext& cx) {
  return io::CsvWriter(cx.folder.path("trials.csv"),
                       {"trial", "block", "choice", "reward", "p_choice", "q_0", "q_1", "delta",
                        "alpha", "beta", "p_reward_0", "p_reward_1"});
}

ConfiguredExperiment configure_two_armed(networks::ObjectReader& reader) {
  BanditDesign d;
  d.session.subject.alpha = 0.3;
  d.session.subject.beta = 5.0;
  bool fit = true;
  ExperimentParams p(reader);
  p.number("alpha", d.session.subject.alpha);
  p.number("beta", d.session.subject.beta);
  d.read(p);
  p.flag("fit", fit);
  p.finish();
  p.check([&] {
    d.validate_design();
    const auto& s = d.session.subject;
    if (!(s.alpha >= 0.0 && s.alpha <= 1.0))
      throw std::invalid_argument("alpha = " + fmt(s.alpha) + ": must be in [0, 1]");
    if (!(s.beta >= 0.0 && std::isfinite(s.beta)))
      throw std::invalid_argument("beta = " + fmt(s.beta) +
                                  ": must be finite and >= 0 [1/reward units]");
    if (s.process == ParameterProcess::drifting && !(s.alpha > 0.0 && s.alpha < 1.0 && s.beta > 0))
      throw std::invalid_argument(
          "a drifting subject walks on logit alpha and log beta: alpha must be in (0, 1) and "
          "beta > 0");
  });
  return {p.resolved(), [d, fit](const ExperimentContext& cx) {
            const BanditTrace t =
                run_two_armed_bandit(d.session, derive_seed(cx.seed, 0), derive_seed(cx.seed, 1));
            io::CsvWriter csv = trial_csv(cx);
            double reward = 0.0;
            int better = 0, decidable = 0;
            for (std::size_t i = 0; i < t.size(); ++i) {
              const double m0 = t.mean[2 * i], m1 = t.mean[2 * i + 1];
              csv.row({i, t.block[i], t.action[i], t.reward[i], t.p_choice[i], t.q_at(i, 0),
                       t.q_at(i, 1), t.delta[i], t.alpha[i], t.beta[i], m0, m1});
              reward += t.reward[i];
              // Blocks with equal arms (p = 0.5) have no better arm to choose.
              if (m0 != m1) {
                ++decidable;
                better += (t.action[i] == 0) == (m0 > m1) ? 1 : 0;
              }
            }
            csv.close();
            nlohmann::json s{
                {"trials", t.size()},
                {"reward_rate", reward / static_cast<double>(t.size())},
                {"better_arm_fraction", decidable ? static_cast<double>(better) / decidable : 0.0},
                {"true_alpha", d.session.subject.alpha},
                {"true_beta", d.session.subject.beta}};
            if (fit) {
              const auto f = fit::fit_q_learning(t.choices());
              s["fitted_alpha"] = f.alpha;
              s["fitted_beta"] = f.beta;
              s["negative_log_likelihood"] = f.negative_log_likelihood;
            }
            return s;
          }};
}

// ---------------------------------------------------------- bandit_parameter_recovery

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

ConfiguredExperiment configure_recovery(networks::ObjectReader& reader) {
  BanditDesign d;
  RecoveryConfig c;
  // The reference data set is 2000 subjects; 200 keep the default run within a
  // second or two and already give correlations above 0.9.
  c.num_subjects = 200;
  std::vector<double> alpha_range = {c.alpha_range[0], c.alpha_range[1]};
  std::vector<double> beta_range = {c.beta_range[0], c.beta_range[1]};
  ExperimentParams p(reader);
  p.whole("num_subjects", c.num_subjects);
  p.numbers("alpha_range", alpha_range);
  p.numbers("beta_range", beta_range);
  d.read(p);
  p.whole("polished_starts", c.fit_options.polished_starts);
  p.finish();
  p.check([&] {
    d.validate_design();
    if (c.num_subjects < 1)
      throw std::invalid_argument("num_subjects = " + std::to_string(c.num_subjects) +
                                  ": must be >= 1");
    require_length(alpha_range, 2, "alpha_range");
    require_length(beta_range, 2, "beta_range");
    if (!(alpha_range[0] >= 0.0 && alpha_range[0] <= alpha_range[1] && alpha_range[1] <= 1.0))
      throw std::invalid_argument("alpha_range must lie within [0, 1], low <= high");
    if (!(beta_range[0] >= 0.0 && beta_range[0] <= beta_range[1] && beta_range[1] <= 10.0))
      throw std::invalid_argument(
          "beta_range must lie within [0, 10], low <= high (the fit's bounds)");
    if (c.fit_options.polished_starts < 1)
      throw std::invalid_argument("polished_starts must be >= 1");
  });
  c.bandit = d.session;
  if (alpha_range.size() == 2) c.alpha_range = {alpha_range[0], alpha_range[1]};
  if (beta_range.size() == 2) c.beta_range = {beta_range[0], beta_range[1]};
  return {
      p.resolved(), [c](const ExperimentContext& cx) {
        const RecoveryResult r = run_parameter_recovery(c, cx.seed);
        io::CsvWriter csv(cx.folder.path("recovery.csv"),
                          {"subject", "true_alpha", "true_beta", "fitted_alpha", "fitted_beta",
                           "negative_log_likelihood"});
        std::vector<double> err_alpha, err_beta;
        for (std::size_t i = 0; i < r.true_alpha.size(); ++i) {
          csv.row({i, r.true_alpha[i], r.true_beta[i], r.fitted_alpha[i], r.fitted_beta[i],
                   r.negative_log_likelihood[i]});
          // Relative errors are undefined at a true value of 0 (the prior's edge).
          if (r.true_alpha[i] > 0.0)
            err_alpha.push_back(std::abs(r.fitted_alpha[i] - r.true_alpha[i]) / r.true_alpha[i]);
          if (r.true_beta[i] > 0.0)
            err_beta.push_back(std::abs(r.fitted_beta[i] - r.true_beta[i]) / r.true_beta[i]);
        }
        csv.close();
        return nlohmann::json{{"subjects", r.true_alpha.size()},
                              {"trials_simulated", r.trials_simulated},
                              {"alpha_correlation", r.alpha_correlation},
                              {"beta_correlation", r.beta_correlation},
                              {"alpha_median_relative_error", median(err_alpha)},
                              {"beta_median_relative_error", median(err_beta)}};
      }};
}

// ------------------------------------------------------- probabilistic_selection_opal

std::string letter(int stimulus) {
  return std::string(1, static_cast<char>('A' + stimulus));
}

ConfiguredExperiment configure_selection(networks::ObjectReader& reader) {
  SelectionOpalConfig c;
  std::vector<double> reward_probability(c.task.reward_probability.begin(),
                                         c.task.reward_probability.end());
  ExperimentParams p(reader);
  p.numbers("rho_levels", c.rho_levels);
  p.whole("subjects", c.subjects);
  p.number("alpha_critic", c.opal.alpha_critic);
  p.number("alpha_go", c.opal.alpha_go);
  p.number("alpha_nogo", c.opal.alpha_nogo);
  p.number("beta", c.opal.beta);
  p.number("v0", c.opal.v0);
  p.number("g0", c.opal.g0);
  p.number("n0", c.opal.n0);
  p.numbers("reward_probability", reward_probability);
  p.whole("trials_per_block", c.task.trials_per_block);
  p.whole("max_training_blocks", c.task.max_training_blocks);
  p.flag("use_criterion", c.task.use_criterion);
  p.whole("test_repeats", c.task.test_repeats);
  p.number("reward_win", c.task.reward_win);
  p.number("reward_loss", c.task.reward_loss);
  p.flag("keep_trials", c.keep_trials);
  p.finish();
  if (reward_probability.size() == c.task.reward_probability.size())
    std::copy(reward_probability.begin(), reward_probability.end(),
              c.task.reward_probability.begin());
  p.check([&] {
    require_length(reward_probability, 6, "reward_probability (A-F)");
    tasks::validate(c.task);
    if (c.subjects < 1)
      throw std::invalid_argument("subjects = " + std::to_string(c.subjects) + ": must be >= 1");
    if (c.rho_levels.empty())
      throw std::invalid_argument("rho_levels is empty: give at least one dopamine level");
    for (double rho : c.rho_levels) {
      agents::OpalParams op = c.opal;
      op.num_states = ProbabilisticSelectionTask::kNumPairs;
      op.num_actions = ProbabilisticSelectionTask::kNumStimuli;
      op.rho = rho;
      agents::validate(op);
    }
  });
  return {p.resolved(), [c](const ExperimentContext& cx) {
            const SelectionOpalResult r = run_selection_opal(c, cx.seed);
            if (c.keep_trials) {
              io::CsvWriter csv(cx.folder.path("trials.csv"),
                                {"rho", "subject", "trial", "phase", "pair", "first", "second",
                                 "choice", "reward", "value", "delta", "act_first", "act_second"});
              int trial = 0, level = -1, subject = -1;
              for (const SelectionTrial& t : r.trials) {
                if (t.level != level || t.subject != subject) trial = 0;
                level = t.level;
                subject = t.subject;
                const auto [first, second] = ProbabilisticSelectionTask::pair(t.pair);
                csv.row({c.rho_levels[t.level], t.subject, trial++, t.test ? "test" : "training",
                         letter(first) + letter(second), letter(first), letter(second),
                         letter(t.choice), t.reward, t.value, t.delta, t.act_first, t.act_second});
              }
              csv.close();
            }
            io::CsvWriter levels(cx.folder.path("levels.csv"),
                                 {"rho", "choose_a", "avoid_b", "choose_a_probability",
                                  "avoid_b_probability", "training_accuracy"});
            io::CsvWriter weights(cx.folder.path("weights.csv"), {"rho", "stimulus", "go", "nogo"});
            nlohmann::json out = nlohmann::json::array();
            for (const SelectionLevelSummary& l : r.levels) {
              levels.row({l.rho, l.choose_a, l.avoid_b, l.choose_a_probability,
                          l.avoid_b_probability, l.training_accuracy});
              for (int s = 0; s < ProbabilisticSelectionTask::kNumStimuli; ++s)
                weights.row({l.rho, letter(s), l.go[s], l.nogo[s]});
              out.push_back({{"rho", l.rho},
                             {"choose_a", l.choose_a},
                             {"avoid_b", l.avoid_b},
                             {"choose_a_minus_avoid_b", l.choose_a - l.avoid_b},
                             {"choose_a_probability", l.choose_a_probability},
                             {"avoid_b_probability", l.avoid_b_probability},
                             {"training_accuracy", l.training_accuracy}});
            }
            levels.close();
            weights.close();
            return nlohmann::json{{"subjects_per_level", c.subjects}, {"levels", out}};
          }};
}

const bool registered_two_armed = Experiments::instance().add(
    {"bandit_two_armed",
     "one Q-learning subject on the two-armed bandit (1000 trials, blocks of 100, p(arm 0) in "
     "{0.1, 0.5, 0.9}, arm 1 = 1 - p): choices, rewards, Q values and delta per trial (t-RNN "
     "baselines, Ger et al.)",
     configure_two_armed});

const bool registered_recovery = Experiments::instance().add(
    {"bandit_parameter_recovery",
     "maximum-likelihood recovery of (alpha, beta) from simulated two-armed bandit subjects, "
     "alpha ~ U(0, 1), beta ~ U(0, 10): true vs fitted per subject (t-RNN baselines, q_fit.py)",
     configure_recovery});

const bool registered_selection = Experiments::instance().add(
    {"probabilistic_selection_opal",
     "OpAL on the probabilistic selection task at dopamine levels rho: choose-A minus avoid-B "
     "changes sign with rho (Frank et al. 2004; Collins & Frank 2014)",
     configure_selection});

}  // namespace

}  // namespace bgsim::tasks::bandits
