#include "models/uniform_current.hpp"

#include <algorithm>

#include "core/philox_batch.hpp"
#include "core/random.hpp"
#include "core/registry.hpp"

namespace bgsim::models {

const ParamTable<UniformCurrent::Params>& UniformCurrent::param_table() {
  using P = Params;
  static const ParamTable<P> table = [] {
    std::vector<ParamTable<P>::Entry> e{
        {{"low", "pA", Constraint::finite, "lower end of the current, in the channel's unit"},
         &P::low},
        {{"high", "pA", Constraint::finite, "upper end (exclusive), in the channel's unit"},
         &P::high}};
    window_params<P>(e);
    return ParamTable<P>(e, [](const P& p, std::vector<ParamError>& errors) {
      if (p.high < p.low) errors.push_back({"high", "must not be below low"});
      check_window(p, errors);
    });
  }();
  return table;
}

UniformCurrent::UniformCurrent(std::string name, std::uint32_t target, std::uint32_t channel,
                               Params p)
    : InputDevice(std::move(name), target, channel), params_(p) {
  std::vector<ParamError> errors;
  param_table().check(params_, errors);
  if (!errors.empty()) throw ParamErrors(model_name, std::move(errors));
}

void UniformCurrent::prepare(const PrepareContext& ctx) {
  window_ = ActiveWindow::from_ms(ctx.resolution, params_.start_ms, params_.stop_ms);
  seed_ = ctx.seed;
}

void UniformCurrent::contribute(Step step, std::size_t begin, std::size_t end, double* input,
                                std::uint32_t gid_offset) {
  if (!window_.active(step)) return;
  const std::uint64_t dev = std::uint64_t{id()} << 32;  // two devices draw different numbers
  const double width = params_.high - params_.low;
  // One Philox block (four 32-bit words) serves four neurons: neuron g takes
  // word g mod 4 of block g / 4 (the first block of stream g / 4), as a
  // uniform (w + 1/2)·2^-32 in (0, 1), so any thread computing neuron g draws
  // the same number. The blocks are computed in batches (core/philox_batch.hpp).
  constexpr double scale = 1.0 / 4294967296.0;
  PhiloxWords words;
  std::uint32_t flat[4 * philox_batch_size];
  const std::uint64_t g_begin = gid_offset + begin, g_end = gid_offset + end;
  for (std::uint64_t b0 = g_begin / 4; b0 * 4 < g_end; b0 += philox_batch_size) {
    const std::uint64_t b1 = std::min<std::uint64_t>(b0 + philox_batch_size, (g_end + 3) / 4);
    philox_first_blocks(seed_ ^ dev, Purpose::current_noise, b0, step, b1 - b0, words);
    for (std::size_t j = 0; j < b1 - b0; ++j) {  // word m of block j: neuron 4 (b0 + j) + m
      flat[4 * j] = words.w0[j];
      flat[4 * j + 1] = words.w1[j];
      flat[4 * j + 2] = words.w2[j];
      flat[4 * j + 3] = words.w3[j];
    }
    const std::uint64_t lo = std::max(g_begin, b0 * 4), hi = std::min(g_end, b1 * 4);
    const std::uint32_t* w = flat + (lo - b0 * 4);  // neuron lo's word
    double* in = input + (lo - gid_offset);
    for (std::size_t i = 0; i < hi - lo; ++i)
      in[i] += params_.low + width * ((static_cast<double>(w[i]) + 0.5) * scale);
  }
}

namespace {
const bool registered = [] {
  DeviceModel m;
  m.name = std::string(UniformCurrent::model_name);
  m.doc =
      "Current drawn uniformly from [low, high) per neuron and step and held over the step "
      "(Izhikevich's random thalamic input: low -6.5, high 6.5 mV/ms at dt = 1 ms).";
  m.params = UniformCurrent::param_table().infos();
  m.default_receptor = "current";
  m.create = [](const std::string& name, std::uint32_t target, std::uint32_t channel,
                const ParamMap& params) -> std::unique_ptr<InputDevice> {
    const auto p = UniformCurrent::param_table().apply(UniformCurrent::model_name,
                                                       UniformCurrent::Params{}, params);
    return std::make_unique<UniformCurrent>(name, target, channel, p);
  };
  DeviceModels::instance().add(std::move(m));
  return true;
}();
}  // namespace

}  // namespace bgsim::models
