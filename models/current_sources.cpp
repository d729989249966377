#include "models/current_sources.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/philox_batch.hpp"
#include "core/random.hpp"
#include "core/registry.hpp"
#include "core/ziggurat.hpp"

namespace bgsim::models {

namespace {
template <class D>
void validate(const typename D::Params& p) {
  std::vector<ParamError> errors;
  D::param_table().check(p, errors);
  if (!errors.empty()) throw ParamErrors(D::model_name, std::move(errors));
}
}  // namespace

const ParamTable<DcCurrent::Params>& DcCurrent::param_table() {
  using P = Params;
  static const ParamTable<P> table = [] {
    std::vector<ParamTable<P>::Entry> e{
        {{"amplitude", "pA", Constraint::finite, "current, in the unit of the receptor channel"},
         &P::amplitude}};
    window_params<P>(e);
    return ParamTable<P>(e, check_window<P>);
  }();
  return table;
}

DcCurrent::DcCurrent(std::string name, std::uint32_t target, std::uint32_t channel, Params p)
    : InputDevice(std::move(name), target, channel), params_(p), amplitude_(p.amplitude) {
  validate<DcCurrent>(params_);
}

void DcCurrent::prepare(const PrepareContext& ctx) {
  window_ = ActiveWindow::from_ms(ctx.resolution, params_.start_ms, params_.stop_ms);
}

void DcCurrent::contribute(Step step, std::size_t begin, std::size_t end, double* input,
                           std::uint32_t) {
  if (!window_.active(step)) return;
  for (std::size_t i = begin; i < end; ++i)
    input[i] += amplitude_;
}

void DcCurrent::handle(const Event& e) {
  if (e.code == set_amplitude) amplitude_ = e.value;
}

void DcCurrent::save(CheckpointWriter& w) const {
  InputDevice::save(w);
  w.value(amplitude_);
}

void DcCurrent::load(CheckpointReader& r) {
  InputDevice::load(r);
  amplitude_ = r.value<double>();
}

const ParamTable<NoiseCurrent::Params>& NoiseCurrent::param_table() {
  using P = Params;
  static const ParamTable<P> table = [] {
    std::vector<ParamTable<P>::Entry> e{
        {{"mean", "pA", Constraint::finite, "mean current, in the unit of the channel"}, &P::mean},
        {{"std", "pA", Constraint::nonnegative, "standard deviation of the per-step current"},
         &P::std},
        {{"normal",
          "",
          Constraint::choice,
          "how the normal deviate of each neuron and step is drawn from its stream: box_muller "
          "(log, sqrt and cos) or ziggurat (Marsaglia & Tsang 2000; about an eighth of the cost, "
          "a different realisation)",
          {"box_muller", "ziggurat"}},
         &P::normal}};
    window_params<P>(e);
    return ParamTable<P>(e, check_window<P>);
  }();
  return table;
}

NoiseCurrent::NoiseCurrent(std::string name, std::uint32_t target, std::uint32_t channel, Params p)
    : InputDevice(std::move(name), target, channel),
      params_(p),
      ziggurat_(params_.normal == "ziggurat") {
  validate<NoiseCurrent>(params_);
}

void NoiseCurrent::prepare(const PrepareContext& ctx) {
  window_ = ActiveWindow::from_ms(ctx.resolution, params_.start_ms, params_.stop_ms);
  seed_ = ctx.seed;
}

void NoiseCurrent::contribute(Step step, std::size_t begin, std::size_t end, double* input,
                              std::uint32_t gid_offset) {
  if (!window_.active(step)) return;
  // The device id goes into the high word of the stream id so that two noise
  // devices on one neuron draw different numbers.
  const std::uint64_t dev = std::uint64_t{id()} << 32;
  // Neuron g takes the first normal deviate of stream (g, step): Box–Muller
  // of the two uniforms of the stream's first block.
  PhiloxWords words;
  for (std::size_t base = begin; base < end; base += philox_batch_size) {
    const std::size_t n = std::min(philox_batch_size, end - base);
    philox_first_blocks(seed_ ^ dev, Purpose::current_noise, gid_offset + base, step, n, words);
    if (ziggurat_) {
      const Ziggurat& zig = Ziggurat::get();
      for (std::size_t i = 0; i < n; ++i) {
        const double z = zig.normal(words.w0[i], words.w1[i], words.w2[i], words.w3[i], [&] {
          RandomStream rest(seed_ ^ dev, Purpose::current_noise, gid_offset + base + i, step);
          for (int k = 0; k < 4; ++k)
            rest();  // past the first block
          return rest;
        });
        input[base + i] += params_.mean + params_.std * z;
      }
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const double z = RandomStream::normal_from(u01(words.w0[i], words.w1[i]),
                                                 u01(words.w2[i], words.w3[i]), true);
      input[base + i] += params_.mean + params_.std * z;
    }
  }
}

const ParamTable<PoissonInput::Params>& PoissonInput::param_table() {
  using P = Params;
  static const ParamTable<P> table = [] {
    std::vector<ParamTable<P>::Entry> e{
        {{"rate_Hz", "Hz", Constraint::nonnegative, "total rate of input spikes per neuron"},
         &P::rate_Hz},
        {{"weight", "pA", Constraint::finite, "weight of one input spike, in the channel's unit"},
         &P::weight}};
    window_params<P>(e);
    return ParamTable<P>(e, check_window<P>);
  }();
  return table;
}

PoissonInput::PoissonInput(std::string name, std::uint32_t target, std::uint32_t channel, Params p)
    : InputDevice(std::move(name), target, channel), params_(p), rate_Hz_(p.rate_Hz) {
  validate<PoissonInput>(params_);
}

void PoissonInput::prepare(const PrepareContext& ctx) {
  window_ = ActiveWindow::from_ms(ctx.resolution, params_.start_ms, params_.stop_ms);
  dt_ms_ = ctx.resolution.dt_ms();
  seed_ = ctx.seed;
  change_rate(rate_Hz_);
}

void PoissonInput::contribute(Step step, std::size_t begin, std::size_t end, double* input,
                              std::uint32_t gid_offset) {
  if (!window_.active(step) || rate_Hz_ <= 0.0) return;
  const std::uint64_t dev = std::uint64_t{id()} << 32;
  // One deviate per neuron and step, by inversion of the uniform that the
  // first two words of stream (g, step) make.
  PhiloxWords words;
  for (std::size_t base = begin; base < end; base += philox_batch_size) {
    const std::size_t n = std::min(philox_batch_size, end - base);
    philox_first_blocks(seed_ ^ dev, Purpose::poisson_input, gid_offset + base, step, n, words);
    double* in = input + base;
    for (std::size_t i = 0; i < n; ++i)
      in[i] += table_.draw(u01(words.w0[i], words.w1[i])) * params_.weight;
  }
}

void PoissonInput::change_rate(double rate_Hz) {
  const double mean = rate_Hz * dt_ms_ * 1e-3;
  if (!(rate_Hz >= 0.0) || !(mean <= PoissonTable::max_mean))
    throw std::invalid_argument(name() + ": rate_Hz must be >= 0 and give at most 1e6 input " +
                                "spikes per step, got " + std::to_string(rate_Hz) + " Hz");
  rate_Hz_ = rate_Hz;
  table_ = PoissonTable(mean);
}

void PoissonInput::handle(const Event& e) {
  if (e.code == set_rate) change_rate(e.value);
}

void PoissonInput::save(CheckpointWriter& w) const {
  InputDevice::save(w);
  w.value(rate_Hz_);
}

void PoissonInput::load(CheckpointReader& r) {
  InputDevice::load(r);
  change_rate(r.value<double>());
}

namespace {
template <class D>
bool register_device(std::string doc, std::string receptor) {
  DeviceModel m;
  m.name = std::string(D::model_name);
  m.doc = std::move(doc);
  m.params = D::param_table().infos();
  m.default_receptor = std::move(receptor);
  m.create = [](const std::string& name, std::uint32_t target, std::uint32_t channel,
                const ParamMap& params) {
    auto p = D::param_table().apply(D::model_name, typename D::Params{}, params);
    return std::unique_ptr<InputDevice>(new D(name, target, channel, p));
  };
  DeviceModels::instance().add(std::move(m));
  return true;
}

const bool registered =
    register_device<DcCurrent>("Constant current during [start_ms, stop_ms).", "current") &&
    register_device<NoiseCurrent>(
        "Gaussian current, drawn per neuron and step and held over the step.", "current") &&
    register_device<PoissonInput>(
        "Poisson drive: k ~ Poisson(rate·dt) spikes of `weight` per neuron and step.",
        "excitatory");
}  // namespace

}  // namespace bgsim::models
