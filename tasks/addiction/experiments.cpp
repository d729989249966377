// The addiction experiments as ready experiments of `bgsim run`
// (tasks/experiments/addiction_*.json):
//
//   addiction_redish           Redish (2004) non-compensable drug dopamine, with the
//                              compensable control (same dose as an ordinary reward)
//   addiction_average_reward   Dezfouli et al. (2009) average-reward variant, with the
//                              Redish agent on the same task for comparison
//   addiction_relapse          model-free vs latent-state learner through acquisition,
//                              extinction and re-exposure (Redish et al. 2007)
//
// The first two write steps.csv (one row per step of every model and run) and
// runs.csv (one row per run); the relapse experiment writes steps.csv and
// latencies.csv. Each returns its published effect as summary numbers: who ends
// up preferring the drug and from which visit on; steps to criterion at first
// exposure and at re-exposure.

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/io/csv.hpp"
#include "tasks/addiction/redish_addiction.hpp"
#include "tasks/addiction/relapse.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks::addiction {

namespace {

std::string model_name(AddictionModel m) {
  switch (m) {
    case AddictionModel::redish:
      return "redish";
    case AddictionModel::average_reward:
      return "average_reward";
    case AddictionModel::compensable:
      return "compensable";
  }
  return "";
}

void in_range(const std::string& key, double x, double lo, double hi, const std::string& unit) {
  if (!(x >= lo && x <= hi))
    throw std::invalid_argument(key + " = " + io::csv_number(x) + ": must lie in [" +
                                io::csv_number(lo) + ", " + io::csv_number(hi) + "]" +
                                (unit.empty() ? "" : " [" + unit + "]"));
}

void at_least_one(const std::string& key, int n) {
  if (n < 1) throw std::invalid_argument(key + " = " + std::to_string(n) + ": must be >= 1");
}

// ----------------------------------------------- addiction_redish, addiction_average_reward

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The one-phase choice task and the learner's settings, read under the driver's
// field names; `episodes` and `steps_per_episode` are the single phase's.
struct ChoiceDesign {
  RedishExperimentConfig config;
  int episodes = 40;            // episodes in the session [episodes]
  int steps_per_episode = 200;  // steps per episode [steps]

  void read(ExperimentParams& p) {
    p.number("natural_mean", config.task.natural_mean);
    p.number("natural_sd", config.task.natural_sd);
    p.number("drug_mean", config.task.drug_mean);
    p.number("drug_sd", config.task.drug_sd);
    p.whole("episodes", episodes);
    p.whole("steps_per_episode", steps_per_episode);
    p.number("learning_rate", config.learning_rate);
    p.number("gamma", config.gamma);
    p.number("epsilon", config.epsilon);
    p.number("epsilon_decay", config.epsilon_decay);
    p.number("epsilon_min", config.epsilon_min);
    p.number("drug_dopamine", config.drug_dopamine);
    p.whole("repetitions", config.repetitions);
    config.task.phases = {{"acquisition", episodes, steps_per_episode, true, true}};
  }

  void validate() const {
    at_least_one("episodes", episodes);
    at_least_one("steps_per_episode", steps_per_episode);
    at_least_one("repetitions", config.repetitions);
    in_range("learning_rate", config.learning_rate, 0.0, 1.0, "");
    in_range("gamma", config.gamma, 0.0, 1.0, "");
    in_range("epsilon", config.epsilon, 0.0, 1.0, "");
    if (!(config.epsilon_decay > 0.0 && config.epsilon_decay <= 1.0))
      throw std::invalid_argument("epsilon_decay = " + io::csv_number(config.epsilon_decay) +
                                  ": must lie in (0, 1]");
    in_range("epsilon_min", config.epsilon_min, 0.0, config.epsilon, "at most epsilon");
    if (!(config.drug_dopamine > 0.0 && std::isfinite(config.drug_dopamine)))
      throw std::invalid_argument("drug_dopamine = " + io::csv_number(config.drug_dopamine) +
                                  ": must be finite and > 0 [reward units]");
    tasks::validate(config.task);
  }
};

// Runs each model on the same seed (so the same task draws) and writes the
// traces; the summary has one object per model.
nlohmann::json run_models(const RedishExperimentConfig& base,
                          const std::vector<AddictionModel>& models, const ExperimentContext& cx) {
  io::CsvWriter steps(
      cx.folder.path("steps.csv"),
      {"model", "run", "visit", "episode", "step", "action", "reward", "drug", "value", "delta",
       "q_natural", "q_drug", "epsilon", "average_reward", "tolerance"});
  io::CsvWriter runs(cx.folder.path("runs.csv"),
                     {"model", "run", "q_natural", "q_drug", "greedy_action",
                      "drug_fraction_last_episode", "drug_steps", "overtake_visit"});
  nlohmann::json summary = nlohmann::json::object();
  for (AddictionModel model : models) {
    RedishExperimentConfig c = base;
    c.model = model;
    c.keep_steps = true;
    const RedishExperimentResult r = run_redish_experiment(c, cx.seed);
    const std::string name = model_name(model);
    // Overtaking visit of a run: the first visit of the first stretch in which
    // Q(drug) > Q(natural) holds for a whole episode's worth of visits (or to the
    // end of the run); 0 if there is none. Early ties and one-step blips after a
    // rare exploratory choice do not count, a lasting preference does.
    const int hold = base.task.phases.front().steps_per_episode;
    std::vector<int> overtake(r.runs.size(), 0), streak_start(r.runs.size(), 0);
    std::vector<int> visit(r.runs.size(), 0);
    std::vector<double> final_tolerance(r.runs.size(), 0.0), final_rate(r.runs.size(), 0.0);
    for (const AddictionStep& s : r.steps) {
      const int v = ++visit[s.run];
      if (s.q_drug <= s.q_natural) {
        streak_start[s.run] = 0;
      } else {
        if (streak_start[s.run] == 0) streak_start[s.run] = v;
        if (overtake[s.run] == 0 && v - streak_start[s.run] + 1 >= hold)
          overtake[s.run] = streak_start[s.run];
      }
      final_tolerance[s.run] = s.tolerance;
      final_rate[s.run] = s.average_reward;
      steps.row({name, s.run, v, s.episode, s.step, s.action, s.reward, s.drug ? 1 : 0, s.value,
                 s.delta, s.q_natural, s.q_drug, s.epsilon, s.average_reward, s.tolerance});
    }
    for (std::size_t i = 0; i < r.runs.size(); ++i)
      if (overtake[i] == 0 && streak_start[i] > 0) overtake[i] = streak_start[i];
    std::vector<double> overtaken;
    double q_natural = 0.0, q_drug = 0.0, drug_fraction = 0.0;
    double min_over_floor = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < r.runs.size(); ++i) {
      const AddictionRun& run = r.runs[i];
      if (overtake[i] > 0) overtaken.push_back(overtake[i]);
      runs.row({name, i, run.q_natural, run.q_drug, run.greedy_action,
                run.drug_fraction_last_episode, run.drug_steps, overtake[i]});
      q_natural += run.q_natural / static_cast<double>(r.runs.size());
      q_drug += run.q_drug / static_cast<double>(r.runs.size());
      drug_fraction += run.drug_fraction_last_episode / static_cast<double>(r.runs.size());
      min_over_floor = std::min(min_over_floor, run.min_increment_over_floor);
    }
    nlohmann::json m{
        {"runs", r.runs.size()},
        {"runs_preferring_drug", r.runs_preferring_drug},
        {"runs_overtaken", overtaken.size()},
        {"median_overtake_visit",
         overtaken.empty() ? nlohmann::json(nullptr) : nlohmann::json(median(overtaken))},
        {"mean_final_q_natural", q_natural},
        {"mean_final_q_drug", q_drug},
        // Bounded in the average-reward model, unbounded in Redish's.
        {"mean_final_drug_advantage", q_drug - q_natural},
        {"mean_drug_fraction_last_episode", drug_fraction}};
    // The drug floor: each drug visit raises Q(drug) by at least α·D (Redish) or
    // α·(D − κ − ρ) (average reward); reported as the smallest margin over it.
    if (model != AddictionModel::compensable) m["min_increment_over_floor"] = min_over_floor;
    if (model == AddictionModel::average_reward) {
      double kappa = 0.0, rho = 0.0;
      for (std::size_t i = 0; i < r.runs.size(); ++i) {
        kappa += final_tolerance[i] / static_cast<double>(r.runs.size());
        rho += final_rate[i] / static_cast<double>(r.runs.size());
      }
      m["mean_final_tolerance"] = kappa;
      m["mean_final_average_reward"] = rho;
    }
    summary[name] = m;
  }
  steps.close();
  runs.close();
  return summary;
}

ConfiguredExperiment configure_redish(networks::ObjectReader& reader) {
  ChoiceDesign d;
  bool control = true;
  ExperimentParams p(reader);
  d.read(p);
  p.flag("compensable_control", control);
  p.finish();
  p.check([&] { d.validate(); });
  return {p.resolved(), [d, control](const ExperimentContext& cx) {
            std::vector<AddictionModel> models = {AddictionModel::redish};
            if (control) models.push_back(AddictionModel::compensable);
            return run_models(d.config, models, cx);
          }};
}

ConfiguredExperiment configure_average_reward(networks::ObjectReader& reader) {
  ChoiceDesign d;
  bool comparison = true;
  ExperimentParams p(reader);
  d.read(p);
  p.number("reward_rate_step", d.config.reward_rate_step);
  p.number("tolerance_rate", d.config.tolerance_rate);
  p.number("tolerance_limit", d.config.tolerance_limit);
  p.flag("redish_comparison", comparison);
  p.finish();
  p.check([&] {
    d.validate();
    if (!(d.config.reward_rate_step > 0.0 && d.config.reward_rate_step <= 1.0))
      throw std::invalid_argument(
          "reward_rate_step = " + io::csv_number(d.config.reward_rate_step) +
          ": must lie in (0, 1]");
    in_range("tolerance_rate", d.config.tolerance_rate, 0.0, 1.0, "");
    if (!(d.config.tolerance_limit >= 0.0 && std::isfinite(d.config.tolerance_limit)))
      throw std::invalid_argument("tolerance_limit = " + io::csv_number(d.config.tolerance_limit) +
                                  ": must be finite and >= 0 [reward units]");
  });
  return {p.resolved(), [d, comparison](const ExperimentContext& cx) {
            std::vector<AddictionModel> models = {AddictionModel::average_reward};
            if (comparison) models.push_back(AddictionModel::redish);
            return run_models(d.config, models, cx);
          }};
}

// ------------------------------------------------------------------- addiction_relapse

ConfiguredExperiment configure_relapse(networks::ObjectReader& reader) {
  RelapseConfig c;
  int acquisition = c.task.phases[0].episodes;
  int extinction = c.task.phases[1].episodes;
  int reexposure = c.task.phases[2].episodes;
  int steps_per_episode = c.task.phases[0].steps_per_episode;
  ExperimentParams p(reader);
  p.number("natural_mean", c.task.natural_mean);
  p.number("natural_sd", c.task.natural_sd);
  p.number("drug_mean", c.task.drug_mean);
  p.whole("acquisition_episodes", acquisition);
  p.whole("extinction_episodes", extinction);
  p.whole("reexposure_episodes", reexposure);
  p.whole("steps_per_episode", steps_per_episode);
  p.number("learning_rate", c.learning_rate);
  p.number("gamma", c.gamma);
  p.number("epsilon", c.epsilon);
  p.number("drug_dopamine", c.drug_dopamine);
  p.number("drug_salience", c.latent.drug_salience);
  p.number("outcome_rate", c.latent.outcome_rate);
  p.number("surprise_rate", c.latent.surprise_rate);
  p.number("split_threshold", c.latent.split_threshold);
  p.number("feature_tolerance", c.latent.feature_tolerance);
  p.number("outcome_tolerance", c.latent.outcome_tolerance);
  p.whole("max_states", c.latent.max_states);
  p.whole("repetitions", c.repetitions);
  p.whole("window", c.window);
  p.number("criterion", c.criterion);
  p.finish();
  c.task.phases[0].episodes = acquisition;
  c.task.phases[1].episodes = extinction;
  c.task.phases[2].episodes = reexposure;
  for (auto& ph : c.task.phases)
    ph.steps_per_episode = steps_per_episode;
  p.check([&] {
    at_least_one("acquisition_episodes", acquisition);
    at_least_one("extinction_episodes", extinction);
    at_least_one("reexposure_episodes", reexposure);
    at_least_one("steps_per_episode", steps_per_episode);
    at_least_one("repetitions", c.repetitions);
    at_least_one("window", c.window);
    in_range("learning_rate", c.learning_rate, 0.0, 1.0, "");
    in_range("gamma", c.gamma, 0.0, 1.0, "");
    in_range("epsilon", c.epsilon, 0.0, 1.0, "");
    if (!(c.criterion > 0.0 && c.criterion <= 1.0))
      throw std::invalid_argument("criterion = " + io::csv_number(c.criterion) +
                                  ": must lie in (0, 1] [fraction of drug choices]");
    if (!(c.drug_dopamine >= 0.0 && std::isfinite(c.drug_dopamine)))
      throw std::invalid_argument("drug_dopamine = " + io::csv_number(c.drug_dopamine) +
                                  ": must be finite and >= 0 [reward units]");
    tasks::validate(c.task);
    agents::LatentStateParams lp = c.latent;
    lp.drug_dopamine = c.drug_dopamine;
    agents::validate(lp);
  });
  return {p.resolved(), [c](const ExperimentContext& cx) {
            const RelapseResult r = run_relapse(c, cx.seed);
            const auto learner = [](RelapseLearner who) {
              return who == RelapseLearner::latent ? "latent" : "model_free";
            };
            io::CsvWriter steps(cx.folder.path("steps.csv"),
                                {"learner", "run", "phase", "step", "action", "drug", "reward",
                                 "delta", "q_natural", "q_drug", "latent_state"});
            for (const RelapseStep& s : r.steps)
              steps.row({learner(s.learner), s.run, c.task.phases[s.phase].name, s.step, s.action,
                         s.drug ? 1 : 0, s.reward, s.delta, s.q_natural, s.q_drug, s.latent_state});
            steps.close();
            io::CsvWriter lat(cx.folder.path("latencies.csv"),
                              {"learner", "run", "acquisition_latency", "reacquisition_latency",
                               "latent_states"});
            nlohmann::json summary = nlohmann::json::object();
            for (RelapseLearner who : {RelapseLearner::model_free, RelapseLearner::latent}) {
              const auto& runs = who == RelapseLearner::latent ? r.latent : r.model_free;
              int most_states = 0;
              for (std::size_t i = 0; i < runs.size(); ++i) {
                lat.row({learner(who), i, runs[i].acquisition_latency,
                         runs[i].reacquisition_latency, runs[i].latent_states});
                most_states = std::max(most_states, runs[i].latent_states);
              }
              const double first = r.mean_acquisition(who), again = r.mean_reacquisition(who);
              summary[learner(who)] = {{"runs", runs.size()},
                                       {"mean_acquisition_latency", first},
                                       {"mean_reacquisition_latency", again},
                                       {"reacquisition_over_acquisition", again / first},
                                       {"most_latent_states", most_states}};
            }
            lat.close();
            summary["window"] = c.window;
            summary["criterion"] = c.criterion;
            return summary;
          }};
}

const bool registered_redish = Experiments::instance().add(
    {"addiction_redish",
     "Redish (2004): a non-compensable drug dopamine surge (delta >= D on every drug visit) "
     "makes the drug's value grow without bound and overtake a larger natural reward; the "
     "compensable control (the same dose as an ordinary reward) does not",
     configure_redish});

const bool registered_average_reward = Experiments::instance().add(
    {"addiction_average_reward",
     "Dezfouli et al. (2009): average-reward TD with drug tolerance; the drug still overtakes "
     "the natural reward, but its value stays bounded (the Redish agent alongside grows without "
     "bound)",
     configure_average_reward});

const bool registered_relapse = Experiments::instance().add(
    {"addiction_relapse",
     "relapse after extinction (Redish et al. 2007): a model-free learner relearns the drug as "
     "slowly as at first exposure; a latent-state learner relapses at once when the cue returns",
     configure_relapse});

}  // namespace

}  // namespace bgsim::tasks::addiction
