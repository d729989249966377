#pragma once
// group_stimulus — random groups of neurons stimulated one at a time, in
// random order, with dopamine after chosen groups: the classical (Pavlovian)
// conditioning experiment of Izhikevich (2007).
//
// Groups. `groups` groups of `group_size` neurons, each drawn from all the
// target populations together (numbered population after population, in the
// order given: exc then inh is 0 … 999 for the 800 + 200 network). A group
// holds distinct neurons; groups are drawn independently of each other and
// may therefore overlap, as in the paper (100 groups of 50 cover the 1000
// neurons five times over; each neuron is in five groups on average).
//
// Schedule. The first stimulus comes one interval after start_ms. A stimulus
// at step n picks its group uniformly among all groups, and the next stimulus
// follows at n + I, I a whole number of steps drawn uniformly from
// [round(interval_min_ms/dt), round(interval_max_ms/dt)) (always interval_min
// when the two are equal). None starts at or after stop_ms.
//
// Stimulus. From its onset step, for pulse_ms, `amplitude` is added to the
// input channel (default "current") of every neuron of the group. At dt = 1 ms
// the default pulse is one step, as in the published code: I += 40 on the
// izhikevich current channel (mV/ms) moves v by about 20 mV in that step and
// makes the neuron fire one or two steps later.
//
// Reward. A stimulus of a group listed in `rewarded_groups` is followed by a
// dopamine pulse of reward_amount at n + D, D a whole number of steps drawn
// uniformly from [round(reward_delay_min_ms/dt), round(reward_delay_max_ms/dt)):
// 0–1 s in the paper, so that other stimuli often come between a rewarded
// stimulus and its reward. The pulse is an ordinary event of the volume.
//
// Response. The spikes of the target populations stamped in
// [n + response_start, n + response_stop) (steps of the rounded ms values;
// never before n + 1: a spike stamped n was emitted before the current came
// on) are counted per stimulus: those of the group's own neurons
// (group_spikes) and those of every other target neuron (response: what the
// network adds to the stimulus).
//
// Determinism. What a stimulus at step n draws (its group, its reward delay,
// the next interval) comes from the stream (seed, task, key, n); group g is
// drawn from (seed, task, key + 1, g) and the first interval from
// (seed, task, key + 2, 0), where key = 2^30 + 4·(device id of the first part).
// The schedule is a chain of events in the checkpointed queue and the log is
// checkpointed, so stimuli and groups are the same for every thread count and
// every split of a run.
//
// Parts. The schedule, the rewards, the response counts and the log live in
// GroupStimulus, an observer of the simulation that also receives its own
// onset events; each target population gets a GroupStimulusInput that adds
// the current to its neurons of the active group. attach_group_stimulus()
// puts all of them into a simulator. The log and the groups are left for
// the results folder as two tables, <name>_stimuli.csv and <name>_groups.csv.
//
// | parameter           | unit | default | meaning                                          |
// |---------------------|------|---------|--------------------------------------------------|
// | groups              | 1    | 100     | number of groups                                 |
// | group_size          | 1    | 50      | distinct neurons per group                       |
// | amplitude           | pA   | 40      | added to each neuron's channel (mV/ms for izhikevich) |
// | pulse_ms            | ms   | 1       | how long the current is on, from the onset       |
// | interval_min_ms     | ms   | 100     | shortest time from one onset to the next         |
// | interval_max_ms     | ms   | 300     | longest (exclusive)                              |
// | rewarded_groups     | 1    | [0]     | groups followed by dopamine (0 is the paper's S1)|
// | reward_delay_min_ms | ms   | 0       | shortest delay from onset to reward              |
// | reward_delay_max_ms | ms   | 1000    | longest (exclusive)                              |
// | reward_amount       | 1    | 0.5     | added to the dopamine level per reward           |
// | response_start_ms   | ms   | 0       | response window, from the onset                  |
// | response_stop_ms    | ms   | 20      | its end (exclusive)                              |
// | start_ms            | ms   | 0       | the first stimulus comes one interval after this |
// | stop_ms             | ms   | inf     | no stimulus starts at or after this              |
//
// References: Izhikevich EM (2007) Solving the distal reward problem through
// linkage of STDP and dopamine signaling. Cereb Cortex 17:2443–2452 (classical
// conditioning: 100 random groups of 50, one every 100–300 ms, dopamine up to
// 1 s after S1). Knight JC, Komissarov A, Nowotny T (2021) PyGeNN: a Python
// library for GPU-enhanced neural networks. Front Neuroinform 15:659005 (their
// reproduction: groups drawn without repetition within a group, a 1 ms current
// of 40 on top of the thalamic input, intervals U[100, 300) ms, reward delays
// U[0, 1000) ms).

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/device.hpp"
#include "core/observer.hpp"
#include "core/parameters.hpp"

namespace bgsim {
class Simulator;
}

namespace bgsim::models {

class GroupStimulus final : public SpikeObserver, public EventHandler {
 public:
  struct Params {
    double groups = 100.0;                     // number of groups [1]
    double group_size = 50.0;                  // distinct neurons per group [1]
    double amplitude = 40.0;                   // added to the channel [channel unit; mV/ms]
    double pulse_ms = 1.0;                     // duration of the current [ms]
    double interval_min_ms = 100.0;            // onset to next onset, shortest [ms]
    double interval_max_ms = 300.0;            // longest, exclusive [ms]
    std::vector<double> rewarded_groups{0.0};  // groups followed by dopamine [indices]
    double reward_delay_min_ms = 0.0;          // onset to reward, shortest [ms]
    double reward_delay_max_ms = 1000.0;       // longest, exclusive [ms]
    double reward_amount = 0.5;                // added to the dopamine level [1]
    double response_start_ms = 0.0;            // response window from the onset, start [ms]
    double response_stop_ms = 20.0;            // its end, exclusive [ms]
    double start_ms = 0.0;                     // first stimulus one interval after this [ms]
    double stop_ms = HUGE_VAL;                 // no onset at or after this [ms]
  };
  static constexpr std::string_view model_name = "group_stimulus";
  static const ParamTable<Params>& param_table();
  // Problems that need the number of neurons the groups are drawn from.
  static std::vector<ParamError> check_targets(const Params& p, std::uint64_t neurons);

  struct Target {
    std::uint32_t population = 0;  // simulator index
    std::string name;              // population name, for the groups table
    std::uint64_t size = 0;
  };
  // One row of the log.
  struct Stimulus {
    Step onset = 0;
    Step reward = -1;  // step of its dopamine pulse; -1: not rewarded
    std::uint32_t group = 0;
    std::uint32_t group_spikes = 0;  // spikes of the group's neurons in the window
    std::uint32_t response = 0;      // spikes of every other target neuron in the window
    std::uint32_t pad = 0;
  };
  static_assert(sizeof(Stimulus) == 32,
                "written raw into checkpoints: no padding (checkpoint.hpp)");

  // `volume`: the dopamine volume rewards go to (-1: none; then no group may
  // be rewarded). `key` keys the streams (see above).
  GroupStimulus(std::string name, const Params& params, std::vector<Target> targets,
                std::int64_t volume, std::uint64_t key);

  const Params& params() const { return params_; }
  const std::vector<Target>& targets() const { return targets_; }
  // The global ids of every group's neurons, ascending (after prepare).
  const std::vector<std::vector<std::uint32_t>>& groups() const { return groups_; }
  const std::vector<Stimulus>& log() const { return log_; }
  bool rewarded(std::uint32_t group) const;

  // The id under which this receives its onset events (Simulator::add_handler).
  void set_handler(std::uint32_t id) { handler_ = id; }
  // Neurons (global ids, ascending) receiving the current at `step`, or null.
  const std::vector<std::uint32_t>* active(Step step) const {
    if (active_onset_ < 0 || step < active_onset_ || step >= active_onset_ + pulse_) return nullptr;
    return &groups_[active_group_];
  }

  void prepare(const ObserverContext& ctx) override;
  void handle(const Event& e) override;
  void observe(std::span<const std::vector<SpikeEvent>> spikes, Step from, Step to) override;
  std::vector<std::pair<std::string, double>> summary() const override;
  std::vector<ResultTable> tables() const override;
  void save(CheckpointWriter& w) const override;
  void load(CheckpointReader& r) override;

 private:
  Step draw_steps(double u, Step lo, Step hi) const;

  Params params_;
  std::vector<Target> targets_;
  std::int64_t volume_;
  std::uint64_t key_;
  std::vector<bool> rewarded_;  // per group
  ObserverContext ctx_;
  std::uint32_t handler_ = 0;
  Step pulse_ = 1, interval_min_ = 0, interval_max_ = 0, delay_min_ = 0, delay_max_ = 0;
  Step response_start_ = 0, response_stop_ = 0, start_ = 0, stop_ = -1;
  std::vector<std::vector<std::uint32_t>> groups_;
  // Evolving state (checkpointed): the stimulus on now, the log, and the
  // first stimulus whose response window is still open.
  Step active_onset_ = -1;
  std::uint32_t active_group_ = 0;
  std::vector<Stimulus> log_;
  std::uint64_t open_ = 0;
};

// The part on one population: adds the amplitude to its neurons of the active
// group. Built alone (by DeviceModel::create) it has no schedule and
// stimulates nothing; attach_group_stimulus() connects it.
class GroupStimulusInput final : public InputDevice {
 public:
  GroupStimulusInput(std::string name, std::uint32_t target, std::uint32_t channel,
                     GroupStimulus::Params params, const GroupStimulus* schedule = nullptr);
  std::string_view model() const override { return GroupStimulus::model_name; }
  ParamMap params() const override { return GroupStimulus::param_table().to_map(params_); }
  void prepare(const PrepareContext&) override {}
  void contribute(Step step, std::size_t begin, std::size_t end, double* input,
                  std::uint32_t gid_offset) override;

 private:
  GroupStimulus::Params params_;
  const GroupStimulus* schedule_;
};

// Puts a group stimulus into `sim`: the schedule (an observer and event
// handler) and one input part per target (population index, channel), named
// "<name>:<population>". Targets must already be in the simulator.
GroupStimulus& attach_group_stimulus(
    Simulator& sim, const std::string& name, const GroupStimulus::Params& params,
    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& targets, std::int64_t volume);

}  // namespace bgsim::models
