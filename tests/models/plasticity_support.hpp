#pragma once
// Shared by the plasticity tests: a population that spikes at given steps and
// takes input (so it can be the target of a projection), a one-synapse
// simulation builder, and the per-step reference implementation of the rules.
//
// The reference advances every quantity of one synapse each step of dt, in the
// synapse's own time frame (pre spikes at their stamps, post spikes at their
// stamps plus the dendritic delay, dopamine jumps at theirs):
//   at step n: the traces K+ and K− count spikes strictly before n; a post
//   spike at n adds A+ K+ to c (or facilitates w), a pre spike at n subtracts
//   A− K− (or depresses w); then spikes at n join the traces and dopamine jumps
//   at n join the level;
//   over [n, n+1): w += κ c (d − b) dt (explicit Euler, clipped; φ(d) − φ(b)
//   for a rule reading a receptor's occupancy), then c, d,
//   K+ and K− decay by their exact one-step factors.
// It is first order in dt: the event-driven closed form must agree with it
// within O(dt) and the gap must shrink in proportion to dt.

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/plastic_projection.hpp"
#include "core/receptor_occupancy.hpp"
#include "core/registry.hpp"
#include "core/simulator.hpp"
#include "models/stdp.hpp"
#include "models/stdp_dopamine.hpp"

namespace bgsim::test_support {

// Neurons that spike at given stamps (one list per neuron) whatever their
// input, and log the input they receive: the puppets of plasticity tests.
class Puppet final : public Population {
 public:
  Puppet(std::string name, std::vector<std::vector<Step>> stamps)
      : Population(std::move(name), stamps.size()), stamps_(std::move(stamps)) {
    for (auto& s : stamps_)
      std::sort(s.begin(), s.end());
    next_.assign(stamps_.size(), 0);
  }
  std::string_view model() const override { return "test_puppet"; }
  std::span<const Receptor> receptors() const override { return receptors_; }
  std::vector<StateVarInfo> state_vars() const override { return {}; }
  std::vector<ParamInfo> param_infos() const override { return {}; }
  ParamMap params() const override { return {}; }
  void prepare(const PrepareContext&) override {}
  void update(const UpdateContext& ctx, std::size_t begin, std::size_t end) override {
    for (std::size_t i = begin; i < end; ++i) {
      if (ctx.input[0][i] != 0.0) received.push_back({ctx.step, i, ctx.input[0][i]});
      while (next_[i] < stamps_[i].size() && stamps_[i][next_[i]] == ctx.step + 1) {
        ctx.emit(i);
        ++next_[i];
      }
    }
  }
  struct Received {
    Step step;  // the update that read it
    std::size_t neuron;
    double input;
  };
  std::vector<Received> received;  // single-threaded tests only
  double* state(std::string_view) override { return nullptr; }
  void save(CheckpointWriter& w) const override { w.vector(next_); }
  void load(CheckpointReader& r) override { r.vector(next_); }

 private:
  static constexpr std::array<Receptor, 1> receptors_{{{"excitatory", ReceptorKind::spike, "1"}}};
  std::vector<std::vector<Step>> stamps_;
  std::vector<std::uint64_t> next_;
};

// One synapse pre -> post with the given delay, its spikes given as stamps,
// dopamine from spikes of a third puppet (and pulses scheduled by the caller).
struct OneSynapse {
  std::unique_ptr<Simulator> sim;
  std::uint32_t volume = 0;
  Projection* projection = nullptr;

  double weight() const { return projection->connections().weight.at(0); }
  double eligibility() const { return projection->eligibilities().at(0); }
};

template <class Rule, class Real = double>
OneSynapse one_synapse(const typename Rule::Params& params, double w0, Step delay,
                       std::vector<Step> pre, std::vector<Step> post,
                       std::vector<Step> dopamine_spikes, DopamineVolume::Params volume_params = {},
                       double dt_ms = 0.1, int threads = 1) {
  OneSynapse s;
  s.sim =
      std::make_unique<Simulator>(SimulatorConfig{.dt_ms = dt_ms, .seed = 5, .threads = threads});
  Simulator& sim = *s.sim;
  const auto a =
      sim.add_population(std::make_unique<Puppet>("pre", std::vector<std::vector<Step>>{pre}));
  const auto b =
      sim.add_population(std::make_unique<Puppet>("post", std::vector<std::vector<Step>>{post}));
  const auto da = sim.add_population(
      std::make_unique<Puppet>("snc", std::vector<std::vector<Step>>{dopamine_spikes}));
  s.volume = sim.add_volume(std::make_unique<DopamineVolume>("da", volume_params, da));
  ConnectionList list;
  list.add(0, 0, w0, delay);
  auto proj = std::make_unique<EventDrivenProjection<Rule, Real>>(
      "pre->post", a, b, 0, 1, std::move(list), params,
      Rule::uses_dopamine ? std::int64_t{s.volume} : std::int64_t{-1});
  s.projection = proj.get();
  sim.add_projection(std::move(proj));
  return s;
}

// Per-step reference of one synapse. Times are steps in the synapse's frame.
struct ReferenceTrains {
  std::vector<Step> pre, post;                    // as the synapse sees them
  std::vector<std::pair<Step, double>> dopamine;  // jumps of the level: (step, amount)
};

struct ReferenceResult {
  double w = 0.0, c = 0.0;
};

template <class Rule>
ReferenceResult reference(const typename Rule::Params& p, double w0, const ReferenceTrains& trains,
                          const DopamineVolume::Params& volume, double dt_ms, Step steps) {
  double w = w0, c = 0.0, kplus = 0.0, kminus = 0.0, d = volume.baseline;
  const auto count = [](const std::vector<Step>& v, Step n) {
    return std::count(v.begin(), v.end(), n);
  };
  const double fplus = std::exp(-dt_ms / p.tau_plus_ms);
  const double fminus = std::exp(-dt_ms / p.tau_minus_ms);
  const double fd = std::exp(-dt_ms / volume.tau_ms);
  double fc = 1.0, gain = 0.0, b = 0.0;
  if constexpr (Rule::uses_dopamine) {
    fc = std::exp(-dt_ms / p.tau_c_ms);
    gain = p.dopamine_gain;
    b = p.b;
  }
  for (Step n = 0; n < steps; ++n) {
    for (auto k = count(trains.post, n); k > 0; --k) {
      Rule::facilitate(p, w, c, kplus);
      w = std::clamp(w, p.w_min, p.w_max);
    }
    for (auto k = count(trains.pre, n); k > 0; --k) {
      Rule::depress(p, w, c, kminus);
      w = std::clamp(w, p.w_min, p.w_max);
    }
    kplus += static_cast<double>(count(trains.pre, n));
    kminus += static_cast<double>(count(trains.post, n));
    for (const auto& [at, amount] : trains.dopamine)
      if (at == n) d += amount;
    if constexpr (Rule::uses_dopamine) {
      const double K = receptor_half(p);
      const double m = K > 0.0 ? occupancy(d, K) - occupancy(b, K) : d - b;
      w = std::clamp(w + gain * c * m * dt_ms, p.w_min, p.w_max);
    }
    c *= fc;
    d = volume.baseline + (d - volume.baseline) * fd;
    kplus *= fplus;
    kminus *= fminus;
  }
  return {w, c};
}

}  // namespace bgsim::test_support
