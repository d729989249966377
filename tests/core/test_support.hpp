#pragma once
// Small models and network builders shared by the kernel tests.

#include <cstdint>
#include <memory>
#include <vector>

#include "core/model_population.hpp"
#include "core/random.hpp"
#include "core/registry.hpp"
#include "core/simulator.hpp"
#include "networks/connection_rules.hpp"

namespace bgsim::test_support {

// A neuron that spikes in every update in which its excitatory input is
// positive, and keeps the log of what it received: (step, neuron, input).
struct Relay {
  static constexpr std::string_view name = "test_relay";
  struct Params {};
  static const ParamTable<Params>& param_table() {
    static const ParamTable<Params> t({});
    return t;
  }
  struct State {
    std::vector<double> received;  // input of the last update
  };
  template <class S, class F>
  static void fields(S& s, F&& f) {
    f("received", "1", s.received);
  }
  static void init(const Params&, State& s, std::size_t n) { s.received.assign(n, 0.0); }
  struct Derived {};
  static Derived prepare(const Params&, const Resolution&) { return {}; }
  static constexpr std::array<Receptor, 1> receptors{{{"excitatory", ReceptorKind::spike, "1"}}};
  static void update(const Params&, const Derived&, State& s, const UpdateContext& ctx,
                     std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      s.received[i] = ctx.input[0][i];
      if (ctx.input[0][i] > 0.0) ctx.emit(i);
    }
  }
};

inline std::unique_ptr<Population> relay(const std::string& name, std::size_t n) {
  return std::make_unique<ModelPopulation<Relay>>(name, n, Relay::Params{});
}

inline std::unique_ptr<Population> spike_source(const std::string& name,
                                                std::vector<std::vector<double>> times) {
  const std::size_t n = times.size();
  return make_population("spike_source", name, n, {{"spike_times_ms", std::move(times)}});
}

// Connects by a rule with one weight and a delay drawn uniformly from
// [min_delay, max_delay] steps (from the connection's own stream).
inline std::unique_ptr<Projection> connect(Simulator& sim, const std::string& name,
                                           std::uint32_t source, std::uint32_t target,
                                           const networks::ConnectionRule& rule, double weight,
                                           Step min_delay, Step max_delay,
                                           const std::string& receptor = "excitatory") {
  const auto& src = sim.population(source);
  const auto& tgt = sim.population(target);
  const auto id = static_cast<std::uint32_t>(sim.num_projections());
  const auto pairs =
      networks::connect(rule, src.size(), tgt.size(), source == target, sim.seed(), id);
  ConnectionList list;
  RandomStream rng(sim.seed(), Purpose::parameters, id, 0);
  for (const auto& [s, t] : pairs) {
    const Step d = min_delay +
                   static_cast<Step>(rng() % static_cast<std::uint32_t>(max_delay - min_delay + 1));
    list.add(s, t, weight, d);
  }
  const int channel = tgt.receptor_index(receptor);
  return std::make_unique<StaticProjection>(
      name, source, target, static_cast<std::uint32_t>(channel), src.size(), std::move(list));
}

// A small recurrent Izhikevich network with noisy and Poisson drive and
// heterogeneous delays: every mechanism that could break determinism.
inline void build_izhikevich_network(Simulator& sim, std::size_t n_exc = 160,
                                     std::size_t n_inh = 40) {
  const auto exc =
      sim.add_population(make_population("izhikevich", "exc", n_exc, {}, "regular_spiking"));
  const auto inh =
      sim.add_population(make_population("izhikevich", "inh", n_inh, {}, "fast_spiking"));
  const auto noise = [&](std::uint32_t pop, double std) {
    return DeviceModels::instance()
        .find("noise_current")
        ->create("noise_" + sim.population(pop).name(), pop, 2, {{"std", std}});
  };
  sim.add_device(noise(exc, 5.0 / std::sqrt(sim.resolution().dt_ms())));
  sim.add_device(noise(inh, 2.0 / std::sqrt(sim.resolution().dt_ms())));
  sim.add_device(DeviceModels::instance()
                     .find("poisson_input")
                     ->create("drive", exc, 0, {{"rate_Hz", 200.0}, {"weight", 2.0}}));
  networks::ConnectionRule out{.rule = "fixed_outdegree", .outdegree = 20};
  out.allow_autapses = false;
  const Step one_ms = sim.resolution().duration_steps(1.0);
  sim.add_projection(connect(sim, "exc->exc", exc, exc, out, 3.0, one_ms, 20 * one_ms));
  sim.add_projection(connect(sim, "exc->inh", exc, inh, {.rule = "fixed_outdegree", .outdegree = 5},
                             3.0, one_ms, 20 * one_ms));
  sim.add_projection(connect(sim, "inh->exc", inh, exc,
                             {.rule = "fixed_outdegree", .outdegree = 25}, -4.0, one_ms, one_ms,
                             "inhibitory"));
}

}  // namespace bgsim::test_support
