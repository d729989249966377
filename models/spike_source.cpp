#include "models/spike_source.hpp"

#include <algorithm>

#include "core/communicator.hpp"
#include "core/registry.hpp"

namespace bgsim::models {

const ParamTable<SpikeSource::Params>& SpikeSource::param_table() {
  using P = Params;
  static const ParamTable<P> table({
      {{"spike_times_ms", "ms", Constraint::nested_list,
        "spike times: one list per neuron, or one list for all"},
       &P::spike_times_ms},
  });
  return table;
}

SpikeSource::SpikeSource(std::string name, std::size_t size, Params params)
    : Population(std::move(name), size), params_(std::move(params)), next_(size, 0) {
  std::vector<ParamError> errors;
  param_table().check(params_, errors);
  const std::size_t lists = params_.spike_times_ms.size();
  if (lists > 1 && lists != size)
    errors.push_back({"spike_times_ms", "needs one list per neuron (" + std::to_string(size) +
                                            ") or a single list, got " + std::to_string(lists)});
  if (!errors.empty()) throw ParamErrors(model_name, std::move(errors));
}

void SpikeSource::prepare(const PrepareContext& ctx) {
  stamps_.clear();
  for (const auto& times : params_.spike_times_ms) {
    std::vector<Step> steps;
    for (double t : times) {
      const Step k = ctx.resolution.round_to_steps(t);
      if (k < 1)
        throw std::invalid_argument(name() + ": spike time " + std::to_string(t) +
                                    " ms is before the first possible stamp dt = " +
                                    std::to_string(ctx.resolution.dt_ms()) + " ms");
      steps.push_back(k);
    }
    std::sort(steps.begin(), steps.end());
    stamps_.push_back(std::move(steps));
  }
  if (stamps_.empty()) stamps_.emplace_back();
}

void SpikeSource::update(const UpdateContext& ctx, std::size_t begin, std::size_t end) {
  const Step stamp = ctx.step + 1;
  for (std::size_t i = begin; i < end; ++i) {
    const auto& s = stamps_of(i);
    std::uint64_t& k = next_[i];
    while (k < s.size() && s[k] < stamp)
      ++k;  // times already passed (a later start)
    while (k < s.size() && s[k] == stamp) {
      ctx.emit(i);
      ++k;
    }
  }
}

void SpikeSource::save(CheckpointWriter& w) const {
  w.section(name());
  w.vector(next_);
}

void SpikeSource::load(CheckpointReader& r) {
  r.section(name());
  r.vector(next_, static_cast<std::int64_t>(size()));
}

// Each neuron's place in its train, from the rank that owns it.
void SpikeSource::save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const {
  auto whole = next_;
  const int ranks = static_cast<int>(parts.size());
  for (int q = 0; q < ranks; ++q) {
    auto part = next_;
    parts[q].section(name());
    parts[q].vector(part, static_cast<std::int64_t>(size()));
    const RankBlock b = RankBlock::of(size(), q, ranks);
    std::copy(part.begin() + static_cast<std::ptrdiff_t>(b.first),
              part.begin() + static_cast<std::ptrdiff_t>(b.last),
              whole.begin() + static_cast<std::ptrdiff_t>(b.first));
  }
  w.section(name());
  w.vector(whole);
}

namespace {
const bool registered = register_population<SpikeSource>(
    "Neurons that spike at given times (spike_times_ms: a list per neuron, or one list for "
    "all). A time t is stamped at step round(t/dt), which must be >= 1.");
}  // namespace

}  // namespace bgsim::models
