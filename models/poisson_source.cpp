#include "models/poisson_source.hpp"

#include <algorithm>

#include "core/philox_batch.hpp"
#include "core/random.hpp"
#include "core/registry.hpp"

namespace bgsim::models {

const ParamTable<PoissonSource::Params>& PoissonSource::param_table() {
  using P = Params;
  static const ParamTable<P> table(
      {
          {{"rate_Hz", "Hz", Constraint::nonnegative, "firing rate from the start"}, &P::rate_Hz},
          {{"rate_times_ms", "ms", Constraint::list, "times at which the rate changes"},
           &P::rate_times_ms},
          {{"rate_values_Hz", "Hz", Constraint::list, "rates from those times on"},
           &P::rate_values_Hz},
      },
      [](const P& p, std::vector<ParamError>& errors) {
        if (p.rate_times_ms.size() != p.rate_values_Hz.size())
          errors.push_back({"rate_values_Hz", "must have as many entries as rate_times_ms (" +
                                                  std::to_string(p.rate_times_ms.size()) + ")"});
        for (std::size_t j = 0; j < p.rate_times_ms.size(); ++j) {
          if (p.rate_times_ms[j] < 0.0 || (j && p.rate_times_ms[j] <= p.rate_times_ms[j - 1])) {
            errors.push_back({"rate_times_ms", "must be >= 0 and strictly increasing"});
            break;
          }
        }
        for (double r : p.rate_values_Hz)
          if (r < 0.0) {
            errors.push_back({"rate_values_Hz", "rates must be >= 0 [Hz]"});
            break;
          }
      });
  return table;
}

PoissonSource::PoissonSource(std::string name, std::size_t size, Params params)
    : Population(std::move(name), size), params_(std::move(params)), rate_Hz_(params_.rate_Hz) {
  std::vector<ParamError> errors;
  param_table().check(params_, errors);
  if (!errors.empty()) throw ParamErrors(model_name, std::move(errors));
}

void PoissonSource::prepare(const PrepareContext& ctx) {
  dt_ms_ = ctx.resolution.dt_ms();
  set_mean(rate_Hz_ * dt_ms_ * 1e-3);
  for (std::size_t j = 0; j < params_.rate_times_ms.size(); ++j)
    ctx.events->schedule({.step = ctx.resolution.round_to_steps(params_.rate_times_ms[j]),
                          .handler = ctx.handler_id,
                          .code = set_rate,
                          .value = params_.rate_values_Hz[j]});
}

void PoissonSource::update(const UpdateContext& ctx, std::size_t begin, std::size_t end) {
  if (mean_per_step_ <= 0.0) return;
  const std::uint64_t step = static_cast<std::uint64_t>(ctx.step);
  // Neuron g emits Poisson(rate · dt) spikes: the inversion of the uniform
  // made of the first two words of stream (g, step) (core/poisson_table.hpp).
  PhiloxWords words;
  for (std::size_t base = begin; base < end; base += philox_batch_size) {
    const std::size_t n = std::min(philox_batch_size, end - base);
    philox_first_blocks(ctx.seed, Purpose::source_spikes, ctx.gid_offset + base, step, n, words);
    for (std::size_t i = 0; i < n; ++i)
      for (std::uint32_t k = table_.draw(u01(words.w0[i], words.w1[i])); k > 0; --k)
        ctx.emit(base + i);
  }
}

void PoissonSource::handle(const Event& e) {
  if (e.code != set_rate) return;
  if (!(e.value >= 0.0) || !std::isfinite(e.value))
    throw std::invalid_argument(name() + ": rate must be finite and >= 0 [Hz]");
  rate_Hz_ = e.value;
  set_mean(rate_Hz_ * dt_ms_ * 1e-3);
}

// The rate is changed by events, which every rank handles alike: rank 0's.
void PoissonSource::save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const {
  double rate = 0.0;
  for (std::size_t q = 0; q < parts.size(); ++q) {
    parts[q].section(name());
    const double r = parts[q].value<double>();
    if (q == 0) rate = r;
  }
  w.section(name());
  w.value(rate);
}

void PoissonSource::save(CheckpointWriter& w) const {
  w.section(name());
  w.value(rate_Hz_);
}

void PoissonSource::load(CheckpointReader& r) {
  r.section(name());
  rate_Hz_ = r.value<double>();
  set_mean(rate_Hz_ * dt_ms_ * 1e-3);
}

namespace {
const bool registered = register_population<PoissonSource>(
    "Independent Poisson spike generators: each neuron emits Poisson(rate·dt) spikes per step, "
    "drawn from counter-based streams keyed by (seed, neuron, step). The rate may follow a "
    "step function in time (rate_times_ms, rate_values_Hz) or be set by events.");
}  // namespace

}  // namespace bgsim::models
