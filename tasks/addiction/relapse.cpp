#include "tasks/addiction/relapse.hpp"

#include <deque>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>

#include "models/agents/addiction.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/loop/session.hpp"

namespace bgsim::tasks::addiction {
namespace {

agents::QLearningParams learner_params(const RelapseConfig& c) {
  agents::QLearningParams q;
  q.num_states = 1;
  q.num_actions = 2;
  q.alpha = c.learning_rate;
  q.gamma = c.gamma;
  q.rule = agents::TdRule::q_learning;
  q.choice = agents::ChoiceRule::epsilon_greedy;
  q.epsilon = c.epsilon;
  q.epsilon_decay = 1.0;
  return q;
}

// Running share of drug choices over the last `window` steps of a phase.
class LatencyMeter {
 public:
  LatencyMeter(int window, double criterion) : window_(window), criterion_(criterion) {}
  void start_phase(int length) {
    recent_.clear();
    drugs_ = 0;
    steps_ = 0;
    latency_ = length;
    reached_ = false;
  }
  void record(bool drug_choice) {
    ++steps_;
    recent_.push_back(drug_choice);
    drugs_ += drug_choice ? 1 : 0;
    if (static_cast<int>(recent_.size()) > window_) {
      drugs_ -= recent_.front() ? 1 : 0;
      recent_.pop_front();
    }
    if (!reached_ && static_cast<int>(recent_.size()) == window_ &&
        drugs_ >= criterion_ * window_ - 1e-12) {
      reached_ = true;
      latency_ = steps_;
    }
  }
  int latency() const { return latency_; }

 private:
  int window_;
  double criterion_;
  std::deque<bool> recent_;
  int drugs_ = 0, steps_ = 0, latency_ = 0;
  bool reached_ = false;
};

// Either learner as a Controller, so the session runner drives it: before
// each choice it observes the drug cue (the task's stimulus 0, on for the
// episodes of drug-paired phases) when it can; a continuing task, so δ
// bootstraps across episode ends. Measures: latent_state (−1 without one),
// q_natural, q_drug (after the update), drug.
template <class Agent>
class RelapseController final : public Controller {
 public:
  explicit RelapseController(Agent& agent) : agent_(agent) {}

  int act(const TaskStep& now) override {
    // An episode's first step says whether the cue is on for the whole episode.
    bool starts = false, cued = false;
    for (const TaskEvent& e : now.events) {
      starts |= e.kind == EventKind::trial_start;
      cued |= e.kind == EventKind::stimulus_on && e.channel == 0;
    }
    if (starts) cue_[0] = cued ? 1.0 : 0.0;
    if constexpr (requires { agent_.observe(std::span<const double>(cue_)); }) {
      agent_.observe(cue_);
    }
    return agent_.act(0);
  }
  double learn(const TaskStep&, int action, const TaskStep& to) override {
    const agents::StepSignal s = agent_.learn(
        {.state = 0, .action = action, .reward = to.reward, .next_state = 0, .terminal = false},
        to.drug);
    if constexpr (requires { agent_.active_state(); }) {
      const int z = agent_.active_state();
      measures_ = {static_cast<double>(z), agent_.q(z, 0, AddictionTask::kNaturalAction),
                   agent_.q(z, 0, AddictionTask::kDrugAction), to.drug ? 1.0 : 0.0};
    } else {
      measures_ = {-1.0, agent_.q(0, AddictionTask::kNaturalAction),
                   agent_.q(0, AddictionTask::kDrugAction), to.drug ? 1.0 : 0.0};
    }
    return s.delta;
  }
  std::vector<std::string> measure_names() const override {
    return {"latent_state", "q_natural", "q_drug", "drug"};
  }
  std::vector<double> measures() const override { return measures_; }

 private:
  Agent& agent_;
  double cue_[1] = {0.0};
  std::vector<double> measures_ = std::vector<double>(4, 0.0);
};

template <class Agent>
RelapseRun run_one(Agent& agent, const RelapseConfig& config, std::uint64_t task_seed,
                   RelapseLearner who, int run, std::vector<RelapseStep>* steps) {
  AddictionTask task(config.task, task_seed);
  LatencyMeter meter(config.window, config.criterion);
  RelapseRun result;
  const int last_phase = static_cast<int>(config.task.phases.size()) - 1;
  int phase = -1, step_in_phase = 0;
  RelapseController<Agent> learner(agent);
  const auto record = [&](const loop::StepRecord& step) {
    // The phase of the episode just played: a new one starts the meter over.
    if (step.step == 0 && task.phase_index() != phase) {
      if (phase == 0) result.acquisition_latency = meter.latency();
      phase = task.phase_index();
      step_in_phase = 0;
      const auto& ph = task.phase();
      meter.start_phase(ph.episodes * ph.steps_per_episode);
    }
    meter.record(step.action == AddictionTask::kDrugAction);
    ++step_in_phase;
    if (steps != nullptr) {
      RelapseStep row;
      row.learner = who;
      row.run = run;
      row.phase = phase;
      row.step = step_in_phase;
      row.action = step.action;
      row.drug = step.measures[3] != 0.0;
      row.reward = step.reward;
      row.delta = step.delta;
      if (step.measures[0] >= 0.0) row.latent_state = static_cast<int>(step.measures[0]);
      row.q_natural = step.measures[1];
      row.q_drug = step.measures[2];
      steps->push_back(row);
    }
  };
  // The task ends the session itself, after its phases.
  loop::run_session(task, learner, std::numeric_limits<std::int64_t>::max(), record);
  if (phase == 0) result.acquisition_latency = meter.latency();
  if (phase == last_phase) result.reacquisition_latency = meter.latency();
  if constexpr (requires { agent.num_latent_states(); }) {
    result.latent_states = agent.num_latent_states();
  }
  return result;
}

double mean_of(const std::vector<RelapseRun>& runs, int RelapseRun::*field) {
  double sum = 0.0;
  for (const auto& r : runs)
    sum += r.*field;
  return runs.empty() ? 0.0 : sum / static_cast<double>(runs.size());
}

}  // namespace

double RelapseResult::mean_acquisition(RelapseLearner who) const {
  return mean_of(who == RelapseLearner::model_free ? model_free : latent,
                 &RelapseRun::acquisition_latency);
}

double RelapseResult::mean_reacquisition(RelapseLearner who) const {
  return mean_of(who == RelapseLearner::model_free ? model_free : latent,
                 &RelapseRun::reacquisition_latency);
}

RelapseResult run_relapse(const RelapseConfig& config, std::uint64_t seed) {
  if (config.repetitions < 1 || config.window < 1 ||
      !(config.criterion > 0.0 && config.criterion <= 1.0)) {
    throw std::invalid_argument(
        "RelapseConfig: repetitions = " + std::to_string(config.repetitions) + ", window = " +
        std::to_string(config.window) + ", criterion = " + std::to_string(config.criterion) +
        ": need repetitions >= 1, window >= 1, criterion in (0, 1]");
  }
  if (config.task.phases.size() < 2) {
    throw std::invalid_argument("RelapseConfig.task.phases has " +
                                std::to_string(config.task.phases.size()) +
                                " phases: need at least acquisition and re-exposure");
  }
  RelapseResult result;
  std::vector<RelapseStep>* steps = config.keep_steps ? &result.steps : nullptr;
  const agents::QLearningParams q = learner_params(config);
  for (int run = 0; run < config.repetitions; ++run) {
    const auto id = static_cast<std::uint64_t>(run);
    // Both learners face the same task sequence (same task seed) in a run.
    const std::uint64_t task_seed = bandits::derive_seed(seed, 3 * id);

    agents::RedishAgent model_free({q, config.drug_dopamine},
                                   bandits::derive_seed(seed, 3 * id + 1));
    result.model_free.push_back(
        run_one(model_free, config, task_seed, RelapseLearner::model_free, run, steps));

    agents::LatentStateParams lp = config.latent;
    lp.q = q;
    lp.drug_dopamine = config.drug_dopamine;
    agents::LatentStateAgent latent(lp, 1, bandits::derive_seed(seed, 3 * id + 2));
    result.latent.push_back(run_one(latent, config, task_seed, RelapseLearner::latent, run, steps));
  }
  return result;
}

}  // namespace bgsim::tasks::addiction
