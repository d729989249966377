#include "tasks/loop/loop_spec.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/io/csv.hpp"
#include "core/parameters.hpp"
#include "core/printable.hpp"
#include "networks/loader.hpp"
#include "tasks/bandits/opal_controller.hpp"
#include "tasks/bandits/q_learning_controller.hpp"
#include "tasks/bandits/two_armed_bandit.hpp"
#include "tasks/environments/conditioning.hpp"
#include "tasks/experiment.hpp"
#include "tasks/pavlovian/td_controllers.hpp"

namespace bgsim::tasks::loop {

namespace {

using networks::ObjectReader;
using nlohmann::json;

// What the network offers the loop, by name: populations (with their model),
// devices (with theirs) and volumes.
struct NetworkNames {
  std::map<std::string, std::string> populations, devices;
  std::set<std::string> volumes;

  explicit NetworkNames(const networks::NetworkSpec& spec) {
    for (const auto& p : spec.populations)
      populations[p.name] = p.model;
    for (const auto& s : spec.stimuli)
      devices[s.name] = s.model;
    for (const auto& v : spec.neuromodulators)
      volumes.insert(v.name);
  }
};

template <class Map>
std::vector<std::string> keys(const Map& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m)
    out.push_back(k);
  return out;
}

std::vector<std::string> names(const std::set<std::string>& s) {
  return {s.begin(), s.end()};
}

std::string fmt(double x) {
  return io::csv_number(x);
}

std::string hint(const std::string& name, const std::vector<std::string>& candidates) {
  const std::string h = nearest_name(name, candidates);
  return h.empty() ? "" : "; did you mean " + quote(h) + "?";
}

// An input the loop may set: a poisson_source population, or a poisson_input
// or dc_current device.
void check_input_target(ObjectReader& r, const std::string& key, const std::string& name,
                        const NetworkNames& net) {
  if (auto p = net.populations.find(name); p != net.populations.end()) {
    if (settable_parameter(p->second, true).empty())
      r.error(key, "population " + quote(name) + " is a " + p->second +
                       ": the loop sets the rate of a poisson_source population, or a "
                       "poisson_input or dc_current stimulus");
    return;
  }
  if (auto d = net.devices.find(name); d != net.devices.end()) {
    if (settable_parameter(d->second, false).empty())
      r.error(key, "stimulus " + quote(name) + " is a " + d->second +
                       ": the loop sets a poisson_input's rate or a dc_current's amplitude");
    return;
  }
  std::vector<std::string> all = keys(net.populations);
  const auto devs = keys(net.devices);
  all.insert(all.end(), devs.begin(), devs.end());
  r.error(key, "the network has no population or stimulus " + quote(name) + hint(name, all));
}

std::vector<int> read_ints(ObjectReader& r, const std::string& key) {
  std::vector<int> out;
  const json* v = r.take(key);
  if (!v) return out;
  if (!v->is_array() || v->empty()) {
    r.error(key, "expected a non-empty list of whole numbers");
    return out;
  }
  for (const auto& x : *v) {
    if (!x.is_number_integer() || x.get<std::int64_t>() < 0 || x.get<std::int64_t>() > 1 << 20) {
      r.error(key, "expected whole numbers >= 0, got " + x.dump());
      return {};
    }
    out.push_back(x.get<int>());
  }
  return out;
}

double finite_at_least(ObjectReader& r, const std::string& key, double fallback, double low,
                       const std::string& unit) {
  const auto x = r.number(key);
  if (!x) return fallback;
  if (!std::isfinite(*x) || *x < low) {
    r.error(key, "must be finite and >= " + fmt(low) + " [" + unit + "], got " + fmt(*x));
    return fallback;
  }
  return *x;
}

LoopTiming read_timing(ObjectReader& r) {
  LoopTiming t;
  t.step_ms = finite_at_least(r, "step_ms", t.step_ms, 0.0, "ms");
  if (t.step_ms <= 0.0) r.error("step_ms", "must be > 0 [ms]");
  t.outcome_ms = finite_at_least(r, "outcome_ms", t.outcome_ms, 0.0, "ms");
  t.iti_ms = finite_at_least(r, "iti_ms", t.iti_ms, 0.0, "ms");
  t.reward_delay_ms = finite_at_least(r, "reward_delay_ms", t.reward_delay_ms, 0.0, "ms");
  r.finish({"step_ms", "outcome_ms", "iti_ms", "reward_delay_ms"});
  if (t.reward_delay_ms > t.outcome_ms)
    r.error("reward_delay_ms",
            "the reward must arrive within the outcome period: " + fmt(t.reward_delay_ms) +
                " ms > outcome_ms " + fmt(t.outcome_ms) + " ms");
  return t;
}

InputSpec read_input(ObjectReader& r, const NetworkNames& net, bool feature, int num_states) {
  InputSpec in;
  in.target = r.string("target", true).value_or("");
  if (!in.target.empty()) check_input_target(r, "target", in.target, net);
  in.value = finite_at_least(r, "value", in.value, 0.0, "Hz or pA");
  if (!r.has("value") && r.valid())
    r.error("", "missing \"value\": the rate [Hz] or amplitude [pA] while on");
  in.onset_ms = finite_at_least(r, "onset_ms", in.onset_ms, 0.0, "ms");
  if (feature) {
    if (auto x = r.number("per_unit")) {
      if (std::isfinite(*x))
        in.per_unit = *x;
      else
        r.error("per_unit", "must be finite [Hz or pA per unit of the feature]");
    }
    // The value must stay a rate or amplitude >= 0 over every state.
    const double lowest = std::min(in.value, in.value + in.per_unit * std::max(0, num_states - 1));
    if (lowest < 0.0)
      r.error("per_unit", "value + per_unit · state falls to " + fmt(lowest) +
                              " at a state of the task: it must stay >= 0");
  }
  if (r.has("duration_ms")) {
    in.duration_ms = finite_at_least(r, "duration_ms", in.duration_ms, 0.0, "ms");
    if (in.duration_ms <= 0.0)
      r.error("duration_ms", "must be > 0 [ms] (leave it out: while shown)");
  }
  std::vector<std::string> keys = {"target", "value", "onset_ms", "duration_ms"};
  if (feature) keys.push_back("per_unit");
  r.finish(keys);
  return in;
}

std::vector<EncodingRule> read_encoding(const json& value, const std::string& at,
                                        networks::Diagnostics& diag, const TaskFactory& task,
                                        const NetworkNames& net) {
  std::vector<EncodingRule> rules;
  if (!value.is_array() || value.empty()) {
    diag.error(at,
               "expected a non-empty list of rules {\"stimuli\" or \"states\": [...], "
               "\"inputs\": [...]}: the network would see nothing of the task");
    return rules;
  }
  std::set<int> stimuli, states;
  for (std::size_t i = 0; i < value.size(); ++i) {
    ObjectReader r(value[i], at + "/" + std::to_string(i), diag);
    if (!r.valid()) continue;
    EncodingRule rule;
    const bool by_stimulus = r.has("stimuli"), by_state = r.has("states");
    const bool by_feature = r.has("feature");
    if (int(by_stimulus) + int(by_state) + int(by_feature) != 1) {
      r.error("",
              "give exactly one of \"stimuli\" (stimulus channels), \"states\" and "
              "\"feature\": \"state\" (the state as a number sets a rate)");
      r.take("stimuli");
      r.take("states");
      r.take("feature");
    } else if (by_feature) {
      rule.key = EncodingRule::Key::feature;
      const std::string f = r.string("feature").value_or("");
      if (f != "state") r.error("feature", quote(f) + ": the feature a task offers is \"state\"");
      if (task.num_states < 1)
        r.error("feature", "the " + task.type + " task has no states to read as a number");
      for (int v = 0; v < task.num_states; ++v)
        states.insert(v);
    } else {
      rule.key = by_stimulus ? EncodingRule::Key::stimulus : EncodingRule::Key::state;
      const std::string key = by_stimulus ? "stimuli" : "states";
      const int limit = by_stimulus ? task.num_stimuli : task.num_states;
      rule.values = read_ints(r, key);
      for (int v : rule.values) {
        if (v >= limit)
          r.error(key, "the " + task.type + " task has " + std::to_string(limit) +
                           (by_stimulus ? " stimulus channels" : " states") + ", so " +
                           std::to_string(v) + " never occurs");
        (by_stimulus ? stimuli : states).insert(v);
      }
    }
    const json* inputs = r.require("inputs", "a list of {\"target\", \"value\", ...}");
    if (inputs && (!inputs->is_array() || inputs->empty())) {
      r.error("inputs", "expected a non-empty list of inputs");
    } else if (inputs) {
      for (std::size_t k = 0; k < inputs->size(); ++k) {
        ObjectReader ir((*inputs)[k], r.at("inputs") + "/" + std::to_string(k), diag);
        rule.inputs.push_back(
            read_input(ir, net, rule.key == EncodingRule::Key::feature, task.num_states));
      }
    }
    r.finish({"stimuli", "states", "feature", "inputs"});
    rules.push_back(std::move(rule));
  }
  // Every observation the task makes must reach the network.
  auto uncovered = [&](const std::set<int>& seen, int n, const std::string& what) {
    std::string missing;
    for (int v = 0; v < n; ++v)
      if (!seen.contains(v)) missing += (missing.empty() ? "" : ", ") + std::to_string(v);
    if (!missing.empty())
      diag.error(at, "the " + task.type + " task shows " + what + " " + missing +
                         ", which no encoding rule covers");
  };
  if (!stimuli.empty() || states.empty()) uncovered(stimuli, task.num_stimuli, "stimulus");
  if (!states.empty() || stimuli.empty()) uncovered(states, task.num_states, "state");
  return rules;
}

DecodingSpec read_decoding(ObjectReader& r, const TaskFactory& task, const NetworkNames& net,
                           const LoopTiming& timing) {
  DecodingSpec d;
  const std::string rule = r.string("rule").value_or("most_spikes");
  if (rule == "first_to")
    d.rule = DecodingSpec::Rule::first_to;
  else if (rule != "most_spikes")
    r.error("rule", quote(rule) + " is not a decoding rule: most_spikes or first_to" +
                        hint(rule, {"most_spikes", "first_to"}));
  if (const json* pops = r.require("populations", "one action population per action")) {
    if (!pops->is_array()) {
      r.error("populations", "expected a list of population names");
    } else {
      for (std::size_t i = 0; i < pops->size(); ++i) {
        const std::string at = r.at("populations") + "/" + std::to_string(i);
        if (!(*pops)[i].is_string()) {
          r.diagnostics().error(at, "expected a population name");
          continue;
        }
        const std::string name = (*pops)[i].get<std::string>();
        if (!net.populations.contains(name))
          r.diagnostics().error(at, "the network has no population " + quote(name) +
                                        hint(name, keys(net.populations)));
        if (std::count(d.populations.begin(), d.populations.end(), name))
          r.diagnostics().error(at, "population " + quote(name) + " is named twice");
        d.populations.push_back(name);
      }
      if (static_cast<int>(pops->size()) != task.num_actions)
        r.error("populations", "the " + task.type + " task has " +
                                   std::to_string(task.num_actions) +
                                   " actions: give one population each, in action order (got " +
                                   std::to_string(pops->size()) + ")");
    }
  }
  if (const json* w = r.take("window_ms")) {
    if (!w->is_array() || w->size() != 2 || !(*w)[0].is_number() || !(*w)[1].is_number()) {
      r.error("window_ms", "expected [start, end] in ms from the step's start");
    } else {
      d.window_start_ms = (*w)[0].get<double>();
      d.window_end_ms = (*w)[1].get<double>();
      if (!(d.window_start_ms >= 0.0 && d.window_start_ms < d.window_end_ms &&
            d.window_end_ms <= timing.step_ms))
        r.error("window_ms",
                "the decision window [" + fmt(d.window_start_ms) + ", " + fmt(d.window_end_ms) +
                    ") ms must lie within the decision "
                    "period [0, step_ms = " +
                    fmt(timing.step_ms) +
                    "] ms and not be empty: a longer one would overlap the next step's");
    }
  }
  if (auto th = r.count("threshold")) {
    if (*th < 1 || *th > 1000000)
      r.error("threshold", "must be a whole number in [1, 1000000] [spikes]");
    else
      d.threshold = static_cast<int>(*th);
  }
  r.finish({"rule", "populations", "window_ms", "threshold"});
  return d;
}

ActionCopySpec read_action_copy(ObjectReader& r, const TaskFactory& task, const NetworkNames& net) {
  ActionCopySpec c;
  if (const json* t = r.require("targets", "one population or stimulus per action")) {
    if (!t->is_array()) {
      r.error("targets", "expected a list of population or stimulus names, one per action");
    } else {
      const json none = json::object();  // reports at /targets/<i>
      ObjectReader list(none, r.at("targets"), r.diagnostics());
      for (std::size_t i = 0; i < t->size(); ++i) {
        const std::string key = std::to_string(i);
        if (!(*t)[i].is_string()) {
          list.error(key, "expected a population or stimulus name");
          continue;
        }
        c.targets.push_back((*t)[i].get<std::string>());
        check_input_target(list, key, c.targets.back(), net);
      }
      if (static_cast<int>(t->size()) != task.num_actions)
        r.error("targets", "the " + task.type + " task has " + std::to_string(task.num_actions) +
                               " actions: give one target each, in action order (got " +
                               std::to_string(t->size()) + ")");
    }
  }
  c.value = finite_at_least(r, "value", c.value, 0.0, "Hz or pA");
  if (!r.has("value") && r.valid())
    r.error("", "missing \"value\": the rate [Hz] or amplitude [pA] of the taken action's target");
  c.onset_ms = finite_at_least(r, "onset_ms", c.onset_ms, 0.0, "ms");
  c.duration_ms = finite_at_least(r, "duration_ms", c.duration_ms, 0.0, "ms");
  if (c.duration_ms <= 0.0 && r.valid())
    r.error("duration_ms", "the copy needs a duration > 0 [ms]");
  r.finish({"targets", "value", "onset_ms", "duration_ms"});
  return c;
}

RewardSpec read_reward(ObjectReader& r, const NetworkNames& net) {
  RewardSpec out;
  int kinds = 0;
  if (auto v = r.string("volume")) {
    ++kinds;
    out.kind = RewardSpec::Kind::volume;
    out.target = *v;
    out.sign = RewardSpec::Sign::both;
    if (!net.volumes.contains(*v))
      r.error("volume",
              "the network has no neuromodulator " + quote(*v) + hint(*v, names(net.volumes)));
  }
  if (auto v = r.string("population")) {
    ++kinds;
    out.kind = RewardSpec::Kind::population;
    out.target = *v;
    check_input_target(r, "population", *v, net);
  }
  if (auto v = r.string("device")) {
    ++kinds;
    out.kind = RewardSpec::Kind::device;
    out.target = *v;
    check_input_target(r, "device", *v, net);
  }
  if (kinds != 1 && r.valid())
    r.error("",
            "give exactly one target: \"volume\" (a dopamine pulse), \"population\" (a "
            "poisson_source burst) or \"device\" (a dc_current or poisson_input)");
  const auto gain = r.number("gain");
  if (gain && std::isfinite(*gain))
    out.gain = *gain;
  else if (gain)
    r.error("gain", "must be finite");
  if (out.kind != RewardSpec::Kind::volume) {
    out.duration_ms = finite_at_least(r, "duration_ms", 0.0, 0.0, "ms");
    if (out.duration_ms <= 0.0 && r.valid())
      r.error("duration_ms", "a burst needs a duration > 0 [ms]");
    if (out.gain < 0.0)
      r.error("gain",
              "a rate or amplitude per reward unit must be >= 0; send negative "
              "outcomes with \"sign\": \"negative\"");
  }
  if (auto s = r.string("sign")) {
    if (*s == "positive")
      out.sign = RewardSpec::Sign::positive;
    else if (*s == "negative")
      out.sign = RewardSpec::Sign::negative;
    else if (*s == "both" && out.kind == RewardSpec::Kind::volume)
      out.sign = RewardSpec::Sign::both;
    else
      r.error("sign", quote(*s) + ": positive, negative" +
                          (out.kind == RewardSpec::Kind::volume ? ", or both"
                                                                : " (both only for a volume)"));
  }
  r.finish({"volume", "population", "device", "gain", "duration_ms", "sign"});
  return out;
}

void read_spiking(ObjectReader& r, const TaskFactory& task, const std::filesystem::path& directory,
                  LearnerSpec& out) {
  networks::Diagnostics& diag = r.diagnostics();
  // The network: a file (relative to the experiment file) or inline.
  const json* net = r.take("network");
  std::optional<networks::NetworkSpec> spec;
  if (net && net->is_string()) {
    out.network_file = net->get<std::string>();
    const std::filesystem::path path = directory / out.network_file;
    networks::Diagnostics nd;
    networks::LoadedDescription loaded = networks::load_description(path, nd);
    if (nd.ok()) spec = networks::read_network(loaded.document, nd, loaded.origin);
    if (!nd.ok()) {
      for (const auto& d : nd.items())
        diag.error(r.at("network"), "in " + path.string() + ": " + d.str());
      spec.reset();
    }
  } else if (net && net->is_object()) {
    networks::Diagnostics nd;
    spec = networks::read_network(*net, nd);
    for (const auto& d : nd.items())
      diag.error(r.at("network") + d.pointer, d.message);
    if (!nd.ok()) spec.reset();
  } else if (net) {
    r.error("network", "expected a network file name or an inline description");
  }
  const networks::NetworkSpec empty_spec;
  const NetworkNames names_of(spec ? *spec : empty_spec);
  // Parts that name the network's populations, stimuli and volumes are read
  // into `named`; without a network (its own problems already reported) the
  // complaints that a name does not exist in it are left out, the rest kept.
  networks::Diagnostics named;

  const json empty = json::object();
  const json* timing = r.take("timing");
  ObjectReader tr(timing ? *timing : empty, r.at("timing"), diag);
  out.loop.timing = read_timing(tr);
  // A decision period shorter than every synaptic delay: nothing the step's
  // input causes could reach any population within it.
  if (spec && !spec->projections.empty()) {
    double shortest = HUGE_VAL;
    for (const auto& p : spec->projections)
      shortest = std::min(shortest, p.synapse.delay_ms.min());
    if (out.loop.timing.step_ms < shortest)
      tr.error("step_ms", "the decision period (" + fmt(out.loop.timing.step_ms) +
                              " ms) is shorter than the network's shortest delay (" +
                              fmt(shortest) + " ms): no input of a step could act within it");
  }

  if (const json* enc = r.require("encoding", "how observations become input"))
    out.loop.encoding = read_encoding(*enc, r.at("encoding"), named, task, names_of);
  if (auto forced = r.count("forced_action")) {
    if (static_cast<std::int64_t>(*forced) >= task.num_actions)
      r.error("forced_action",
              "the " + task.type + " task has actions 0 … " + std::to_string(task.num_actions - 1));
    else
      out.loop.forced_action = static_cast<int>(*forced);
  }
  if (const json* dec = r.take("decoding")) {
    ObjectReader dr(*dec, r.at("decoding"), named);
    out.loop.decoding = read_decoding(dr, task, names_of, out.loop.timing);
  } else if (task.num_actions > 1 && out.loop.forced_action < 0) {
    r.error("", "the " + task.type + " task has " + std::to_string(task.num_actions) +
                    " actions: \"decoding\" must say how they are read from spikes (or "
                    "\"forced_action\" which one is taken)");
  }
  if (const json* copy = r.take("action_copy")) {
    ObjectReader cr(*copy, r.at("action_copy"), named);
    if (cr.valid()) out.loop.action_copy = read_action_copy(cr, task, names_of);
  }
  if (const json* rew = r.require("reward", "how an outcome becomes dopamine")) {
    if (!rew->is_array() || rew->empty()) {
      r.error("reward", "expected a non-empty list of reward targets");
    } else {
      for (std::size_t i = 0; i < rew->size(); ++i) {
        ObjectReader rr((*rew)[i], r.at("reward") + "/" + std::to_string(i), named);
        out.loop.reward.push_back(read_reward(rr, names_of));
      }
    }
  }
  if (const json* nc = r.take("noncontingent")) {
    ObjectReader nr(*nc, r.at("noncontingent"), diag);
    out.loop.noncontingent.enabled = nr.boolean("enabled").value_or(true);
    out.loop.noncontingent.probability =
        finite_at_least(nr, "probability", out.loop.noncontingent.probability, 0.0, "probability");
    if (out.loop.noncontingent.probability > 1.0) nr.error("probability", "must be in [0, 1]");
    if (auto m = nr.number("magnitude")) out.loop.noncontingent.magnitude = *m;
    nr.finish({"enabled", "probability", "magnitude"});
  }
  if (const json* mon = r.take("monitor")) {
    ObjectReader mr(*mon, r.at("monitor"), named);
    if (auto p = mr.string("population")) {
      out.loop.monitor.population = *p;
      if (!names_of.populations.contains(*p))
        mr.error("population", "the network has no population " + quote(*p) +
                                   hint(*p, keys(names_of.populations)));
    }
    if (auto v = mr.string("volume")) {
      out.loop.monitor.volume = *v;
      if (!names_of.volumes.contains(*v))
        mr.error("volume", "the network has no neuromodulator " + quote(*v) +
                               hint(*v, names(names_of.volumes)));
    }
    mr.finish({"population", "volume"});
  }
  for (const auto& d : named.items())
    if (spec || d.message.rfind("the network has no", 0) != 0) diag.error(d.pointer, d.message);
  out.network = std::move(spec);
}

// An agent's "params" object (absent: every default), read by `read` (which
// calls finish() and its checks); returns the resolved parameters.
template <class Read>
json read_agent_params(ObjectReader& r, Read&& read) {
  const json empty = json::object();
  const json* params = r.take("params");
  ObjectReader pr(params ? *params : empty, r.at("params"), r.diagnostics());
  ExperimentParams p(pr);
  read(p);
  return p.resolved();
}

// OpAL on the probabilistic selection task (Collins & Frank 2014).
void read_opal(ObjectReader& r, const TaskFactory& task, LearnerSpec& out) {
  if (task.type != "probabilistic_selection")
    r.error("agent",
            "opal chooses among the stimuli a trial offers: it plays the "
            "probabilistic_selection task");
  agents::OpalParams o;
  o.num_states = std::max(1, task.num_states);
  o.num_actions = task.num_actions;
  out.resolved["params"] = read_agent_params(r, [&](ExperimentParams& p) {
    p.number("alpha_critic", o.alpha_critic);
    p.number("alpha_go", o.alpha_go);
    p.number("alpha_nogo", o.alpha_nogo);
    p.number("beta", o.beta);
    p.number("rho", o.rho);
    p.number("v0", o.v0);
    p.number("g0", o.g0);
    p.number("n0", o.n0);
    p.finish();
    p.check([&] { agents::validate(o); });
  });
  out.opal = o;
}

// TD(λ) or distributional TD on the conditioning task, its representation
// sized to the task's stimulus channels and steps per trial.
void read_td(ObjectReader& r, const std::string& agent, const TaskFactory& task, LearnerSpec& out) {
  if (task.type != "conditioning") {
    r.error("agent", agent +
                         " learns the values of a conditioning task's stimuli: it plays the "
                         "conditioning task (q_learning plays any task)");
    r.take("params");
    return;
  }
  pavlovian::TdAgentSpec a;
  const json* params = r.take("params");
  const auto dt = task.params.find("dt_s");
  out.resolved["params"] = pavlovian::read_td_agent(
      a, agent, r, params, dt != task.params.end() && dt->is_number() ? dt->get<double>() : 0.1);
  if (!r.diagnostics().ok() || !task.make) return;
  const std::unique_ptr<Task> probe = task.make(0);
  const auto& conditioning = dynamic_cast<const ConditioningTask&>(*probe);
  a.representation.n_channels = conditioning.n_channels();
  a.representation.n_steps = conditioning.steps_per_trial();
  out.td_agent = a;
}

void read_agent(ObjectReader& r, const TaskFactory& task, LearnerSpec& out) {
  const std::string agent = r.string("agent", true).value_or("");
  out.resolved["agent"] = agent;
  if (agent == "opal") {
    read_opal(r, task, out);
    return;
  }
  if (pavlovian::is_td_agent(agent)) {
    read_td(r, agent, task, out);
    return;
  }
  if (agent != "q_learning") {
    if (!agent.empty())
      r.error("agent", quote(agent) +
                           " cannot play a task in the loop; q_learning, opal, td_lambda and "
                           "distributional_td can" +
                           hint(agent, {"q_learning", "opal", "td_lambda", "distributional_td"}));
    r.take("params");
    return;
  }
  agents::QLearningParams q;
  q.num_states = std::max(1, task.num_states);
  q.num_actions = task.num_actions;
  out.resolved["params"] = read_agent_params(r, [&](ExperimentParams& p) {
    std::string rule = "q_learning";
    p.number("alpha", q.alpha);
    p.number("beta", q.beta);
    p.number("gamma", q.gamma);
    p.number("q0", q.q0);
    p.text("rule", rule, {"q_learning", "sarsa"});
    p.finish();
    q.rule = rule == "sarsa" ? agents::TdRule::sarsa : agents::TdRule::q_learning;
    p.check([&] {
      if (!(q.alpha >= 0.0 && q.alpha <= 1.0))
        throw std::invalid_argument("alpha must be in [0, 1]");
      if (!(q.gamma >= 0.0 && q.gamma <= 1.0))
        throw std::invalid_argument("gamma must be in [0, 1]");
      if (!(q.beta >= 0.0 && std::isfinite(q.beta)))
        throw std::invalid_argument("beta must be finite and >= 0 [1/reward units]");
    });
  });
  out.q_learning = q;
}

}  // namespace

LearnerSpec read_learner(ObjectReader& learner, const TaskFactory& task,
                         const std::filesystem::path& directory) {
  LearnerSpec out;
  if (!learner.valid()) return out;
  const bool spiking = learner.has("network");
  if (spiking == learner.has("agent")) {
    learner.error("", "give exactly one of \"network\" (a spiking learner) and \"agent\"");
    return out;
  }
  if (spiking) {
    read_spiking(learner, task, directory, out);
    learner.finish({"network", "timing", "encoding", "decoding", "forced_action", "action_copy",
                    "reward", "noncontingent", "monitor"});
  } else {
    read_agent(learner, task, out);
    learner.finish({"agent", "params"});
  }
  return out;
}

std::unique_ptr<Controller> make_agent(const LearnerSpec& learner, std::uint64_t seed) {
  const std::uint64_t stream = bandits::derive_seed(seed, 1);
  if (learner.opal) return std::make_unique<bandits::OpalController>(*learner.opal, stream);
  if (learner.q_learning)
    return std::make_unique<bandits::QLearningController>(*learner.q_learning, stream);
  if (learner.td_agent) {
    if (learner.td_agent->kind == pavlovian::TdAgentSpec::Kind::td_lambda)
      return std::make_unique<pavlovian::TdLambdaController>(*learner.td_agent);
    return std::make_unique<pavlovian::DistributionalTdController>(*learner.td_agent, stream);
  }
  throw std::logic_error("make_agent: the learner names no agent");
}

}  // namespace bgsim::tasks::loop
