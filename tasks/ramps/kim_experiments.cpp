// Kim et al. (2020) teleport, pause and speed probes as ready experiments of
// `bgsim run` (tasks/experiments/ramps_kim_{distance,location,speed}.json).
// Each trains one Dual agent, freezes it and runs one probe episode per
// condition. Files and figures: docs/agents/dual_process.md, "Running it".

#include "core/io/csv.hpp"
#include "tasks/experiment.hpp"
#include "tasks/ramps/experiment_io.hpp"
#include "tasks/ramps/kim.hpp"

namespace bgsim::tasks::ramps {

namespace {

// The training shared by the three probes, as flat parameters (the probes
// add their own); "training_episodes" rather than "episodes", since the
// probes are episodes too.
void read_training(ExperimentParams& p, KimTraining& t) {
  p.whole("num_states", t.num_states);
  p.number("reward", t.reward);
  p.whole("training_episodes", t.episodes);
  p.number("alpha", t.alpha);
  p.number("alpha_mb", t.alpha_mb);
  p.number("gamma", t.gamma);
  p.number("k", t.k);
  p.number("initial_reward", t.initial_reward);
  p.whole("max_steps", t.max_steps);
}

// traces.csv (one probe episode per condition), probes.csv (the event and
// slope of each) and values.csv (what the frozen agent had learned).
void write_probes(const ExperimentContext& cx, const std::string& condition, const KimResult& r) {
  io::CsvWriter traces = trace_csv(cx, "traces.csv", {condition});
  io::CsvWriter probes(cx.folder.path("probes.csv"),
                       {condition, "event_step", "event_rpe", "approach_slope"});
  for (const KimProbe& probe : r.probes) {
    write_trace(traces, {probe.condition}, probe.trace.episode, probe.trace);
    probes.row({probe.condition, probe.event_step, probe.event_rpe, probe.slope});
  }
  traces.close();
  probes.close();
  io::CsvWriter values(cx.folder.path("values.csv"), {"state", "v_td", "v_mb"});
  for (std::size_t s = 0; s < r.v_td.size(); ++s)
    values.row({s, r.v_td[s], r.v_mb[s]});
  values.close();
}

ConfiguredExperiment configure_distance(networks::ObjectReader& reader) {
  KimDistanceConfig c;
  ExperimentParams p(reader);
  read_training(p, c.training);
  p.whole("destination", c.destination);
  nlohmann::json distances = read_whole_numbers(p, "distances", c.distances);
  p.whole("pause_steps", c.pause_steps);
  p.whole("pause_max_steps", c.pause_max_steps);
  p.finish();
  p.check([&] { validate(c); });
  nlohmann::json resolved = p.resolved();
  resolved["distances"] = distances;
  return {resolved, [c](const ExperimentContext& cx) {
            const KimResult r = run_kim_distance(c);
            write_probes(cx, "distance", r);
            nlohmann::json teleport = nlohmann::json::object();
            nlohmann::json summary = {{"destination", c.destination}};
            for (const KimProbe& probe : r.probes) {
              if (probe.condition == 0)
                summary["pause_rpe"] = probe.event_rpe;
              else
                teleport[condition_key(probe.condition)] = probe.event_rpe;
            }
            summary["teleport_rpe_by_distance"] = teleport;
            return summary;
          }};
}

ConfiguredExperiment configure_location(networks::ObjectReader& reader) {
  KimLocationConfig c;
  ExperimentParams p(reader);
  read_training(p, c.training);
  nlohmann::json locations = read_whole_numbers(p, "locations", c.locations);
  p.whole("distance", c.distance);
  p.finish();
  p.check([&] { validate(c); });
  nlohmann::json resolved = p.resolved();
  resolved["locations"] = locations;
  return {resolved, [c](const ExperimentContext& cx) {
            const KimResult r = run_kim_location(c);
            write_probes(cx, "location", r);
            nlohmann::json teleport = nlohmann::json::object();
            for (const KimProbe& probe : r.probes)
              if (probe.condition != 0) teleport[condition_key(probe.condition)] = probe.event_rpe;
            return nlohmann::json{{"distance", c.distance}, {"teleport_rpe_by_location", teleport}};
          }};
}

ConfiguredExperiment configure_speed(networks::ObjectReader& reader) {
  KimSpeedConfig c;
  ExperimentParams p(reader);
  read_training(p, c.training);
  nlohmann::json step_sizes = read_whole_numbers(p, "step_sizes", c.step_sizes);
  p.finish();
  p.check([&] { validate(c); });
  nlohmann::json resolved = p.resolved();
  resolved["step_sizes"] = step_sizes;
  return {resolved, [c](const ExperimentContext& cx) {
            const KimResult r = run_kim_speed(c);
            write_probes(cx, "step_size", r);
            nlohmann::json slopes = nlohmann::json::object();
            for (const KimProbe& probe : r.probes)
              slopes[condition_key(probe.condition)] = probe.slope;
            return nlohmann::json{{"approach_slope_by_step_size", slopes}};
          }};
}

const bool registered_distance = Experiments::instance().add(
    {"ramps_kim_distance",
     "teleports to state 23 of a 32-state track from 1, 2 and 10 states back, and a 65-step "
     "pause: the teleport RPE grows with the distance jumped, the pause gives a small dip "
     "(Kim et al. 2020; Priestley et al., Fig. 4)",
     configure_distance});

const bool registered_location = Experiments::instance().add(
    {"ramps_kim_location",
     "teleports of 10 states from states 2, 8 and 14 of a 32-state track: the teleport RPE is "
     "larger nearer the goal (Kim et al. 2020; Priestley et al., Fig. 4)",
     configure_location});

const bool registered_speed = Experiments::instance().add(
    {"ramps_kim_speed",
     "a 41-state track run at 1, 2 and 4 states per step after training at 1: faster movement, "
     "steeper RPE ramp (Kim et al. 2020; Priestley et al., Fig. 4)",
     configure_speed});

}  // namespace

}  // namespace bgsim::tasks::ramps
