#pragma once
// Event-driven plastic synapses: a projection whose synapse state is advanced
// in closed form only when the synapse must act or be read — at a spike of its
// source neuron, and (without committing) when a recorder samples it — never
// per step, and never per synapse per dopamine spike.
//
// The rule (core/plasticity_rule.hpp; models/stdp.hpp, models/stdp_dopamine.hpp,
// models/stdp_corticostriatal.hpp) supplies the per-synapse state and every
// law; the kernel supplies the time between them. Per synapse the state is the
// weight w and the rule's eligibility e, at the time of the last spike of its
// source:
//
//   between events     Rule::between(w, e, I(a, z), e^{−(z − a)/τ_c})  for each
//                      piece [a, z] (dopamine rules, core/dopamine_integral.hpp;
//                      w and e constant otherwise), pieces cut where d − b
//                      changes sign if the rule asks for it
//   post spike (q)     Rule::facilitate(w, e, K+(q))     pre trace just before q
//   pre spike  (τ)     Rule::depress(w, e, K−(τ))        post trace just before τ
//
// with w clipped into [w_min, w_max] after every piece (NEST clips after each
// segment between events, too). K+ is the presynaptic trace, K+ ← K+ e^{−Δ/τ+} + 1
// at each pre spike; K− the postsynaptic one with τ−. A pre and a post spike at
// the same time do not pair (each trace counts only spikes strictly before):
// NEST's rule for simultaneous spikes.
//
// Delay convention: dendritic (as NEST). The whole delay d lies between the
// synapse and the soma of the target: the synapse sees a pre spike stamped t_s
// at t_s (where it is emitted into the delay line to the soma, arriving at
// t_s + d) and a post spike stamped t_p at t_p + d (back-propagating), so the
// pairing interval is Δt = t_p + d − t_s and dopamine acts at the synapse at the
// time of its jump. An axonal convention (Brian2's default) would need the post
// spikes and dopamine up to t_s + d when the pre spike is delivered, i.e. after
// the epoch in which its weight must already be in the target's ring buffer;
// it is not offered (docs/design.md).
//
// Lazy updates are exact because the kernel calls deliver_epoch after every
// epoch [E, H), when the target spikes stamped <= H (so every post spike a
// synapse sees up to H) and every dopamine jump before H are known.
//
// Memory (docs/design.md): per synapse 16 bytes with single-precision storage
// and a rule of one eligibility (target, weight, eligibility, delay; the
// arithmetic is double), 4 more per further number of the rule's state; per source and
// thread 16 bytes (time of the last update, pre trace K+); per target neuron a
// short history of its spikes with K− after each, kept for about one
// flush period. Every second of simulated time (`default_flush_period_ms`), the
// synapses of sources that stayed silent for a whole period are advanced to
// that second, so the kept dopamine knots and post-spike histories stay short
// whatever the firing; this is a fixed function of simulated time, so results
// do not depend on thread count or on how a run is split.
//
// Storage order: per thread, compressed rows by source, each row sorted by
// target (multapses in connection order). The canonical order of the
// projection — by (source, target), multapses in connection order — is thread
// 0's row of source s, then thread 1's, …, for s = 0, 1, …; connections(),
// recorders and checkpoints use it, so they are the same for every thread
// count.

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "core/decay_table.hpp"
#include "core/dopamine_integral.hpp"
#include "core/guards.hpp"
#include "core/neuromodulator.hpp"
#include "core/parameters.hpp"
#include "core/plasticity_rule.hpp"
#include "core/projection.hpp"
#include "core/recorder.hpp"
#include "core/registry.hpp"

namespace bgsim {

// The stored synapse: the weight, the rule's state as `Traces` numbers, the
// target and the delay, in the order that packs them (float, one trace: 16 bytes).
template <class Real, std::size_t Traces>
struct PlasticSynapse {
  Real weight;
  std::array<Real, Traces> eligibility;  // the rule's state (core/plasticity_rule.hpp)
  std::uint32_t target;                  // local index in the target population
  std::uint16_t delay;                   // steps, 1 ... 65535
};

// Real: the type that stores weight and eligibility (float: 16 bytes per
// synapse of one trace; double: 24, for comparisons to 1e-9 and beyond).
template <PlasticityRule Rule, class Real = float>
class EventDrivenProjection final : public Projection {
 public:
  using Params = typename Rule::Params;
  using Eligibility = typename Rule::Eligibility;
  using Layout = EligibilityLayout<Eligibility>;
  static constexpr std::size_t traces = Layout::count;
  using Synapse = PlasticSynapse<Real, traces>;
  // 16 bytes with one trace, 20 with two (docs/design.md).
  static_assert(!std::is_same_v<Real, float> || sizeof(Synapse) == 12 + 4 * traces);

  static constexpr double default_flush_period_ms = 1000.0;

  // `volume`: the simulator index of the dopamine volume (dopamine rules).
  EventDrivenProjection(std::string name, std::uint32_t source, std::uint32_t target,
                        std::uint32_t channel, std::size_t source_size, ConnectionList connections,
                        const Params& params, std::int64_t volume = -1)
      : Projection(std::move(name), source, target, channel),
        params_(params),
        volume_(volume),
        source_size_(source_size) {
    std::vector<ParamError> errors;
    Rule::param_table().check(params_, errors);
    if (!errors.empty()) throw ParamErrors(Rule::name, std::move(errors));
    if constexpr (Rule::uses_dopamine)
      if (volume_ < 0)
        throw std::invalid_argument("projection " + this->name() + " (" + std::string(Rule::name) +
                                    ") needs a dopamine volume (a neuromodulator) to read");
    const std::size_t n = connections.size();
    min_delay_ = n ? std::numeric_limits<Step>::max() : 1;
    max_delay_ = 1;
    for (std::size_t k = 0; k < n; ++k) {
      const Step d = connections.delay[k];
      if (d < 1 || d > std::numeric_limits<std::uint16_t>::max())
        throw std::invalid_argument("projection " + this->name() + ": delay of " +
                                    std::to_string(d) + " steps outside [1, 65535]");
      if (connections.source[k] >= source_size_)
        throw std::invalid_argument("projection " + this->name() + ": source index out of range");
      if (!std::isfinite(connections.weight[k]))
        throw std::invalid_argument("projection " + this->name() + ": weight is not finite");
      min_delay_ = std::min(min_delay_, d);
      max_delay_ = std::max(max_delay_, d);
    }
    // Canonical order: by (source, target), multapses in connection order.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return connections.source[a] != connections.source[b]
                 ? connections.source[a] < connections.source[b]
                 : connections.target[a] < connections.target[b];
    });
    global_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t k = order[i];
      // Initial weights are clipped into the rule's bounds, as any update would.
      global_.source[i] = connections.source[k];
      global_.target[i] = connections.target[k];
      global_.weight[i] = std::clamp(connections.weight[k], params_.w_min, params_.w_max);
      for (auto& trace : global_.trace_values)
        trace[i] = 0.0;
      global_.delay[i] = static_cast<std::uint16_t>(connections.delay[k]);
    }
    global_.sources.assign(source_size_, {0, 0.0});
  }

  const Params& params() const { return params_; }
  std::string_view model() const override { return Rule::name; }
  std::size_t size() const override { return global_.size() ? global_.size() : size_; }
  Step min_delay() const override { return min_delay_; }
  Step max_delay() const override { return max_delay_; }
  std::size_t bytes_per_synapse() const override { return sizeof(Synapse); }
  std::int64_t neuromodulator() const override { return volume_; }
  bool plastic() const override { return true; }
  std::optional<std::pair<double, double>> weight_bounds() const override {
    return std::pair{params_.w_min, params_.w_max};
  }
  void set_flush_period(Step steps) { flush_period_ = std::max<Step>(1, steps); }

  std::size_t bytes() const override {
    std::size_t b = integral_.bytes();
    for (const Part& p : parts_) {
      b += p.offset.capacity() * sizeof(std::uint32_t) + p.synapses.capacity() * sizeof(Synapse) +
           p.sources.capacity() * sizeof(SourceState) + p.recent.capacity() * sizeof(Recent);
      for (const auto& h : p.post)
        b += sizeof(h) + h.capacity() * sizeof(PostSpike);
    }
    return b;
  }

  void bind(const ProjectionBinding& b) override {
    res_ = b.resolution;
    source_gid_offset_ = b.source_gid_offset;
    target_gid_offset_ = b.target_gid_offset;
    plus_ = DecayTable(res_.dt_ms() / params_.tau_plus_ms);
    minus_ = DecayTable(res_.dt_ms() / params_.tau_minus_ms);
    if (flush_period_ == 0)
      flush_period_ = std::max<Step>(1, res_.duration_steps(default_flush_period_ms));
    if constexpr (Rule::uses_dopamine) {
      if (volume_ >= static_cast<std::int64_t>(b.volumes.size()))
        throw std::invalid_argument("projection " + name() + ": no neuromodulator with index " +
                                    std::to_string(volume_));
      volume_ptr_ = b.volumes[static_cast<std::size_t>(volume_)];
      if (!bound_)
        integral_.prepare(*volume_ptr_, params_.tau_c_ms, params_.b, Rule::split_at_sign_changes,
                          receptor_half(params_));
    }
    bound_ = true;
  }

  void attach(SynapseRecorder& r) override {
    if (r.variable() == SynapseRecorder::Variable::eligibility && !Rule::uses_dopamine)
      throw std::invalid_argument("recorder " + r.name() + ": projection " + name() + " (" +
                                  std::string(Rule::name) + ") has no eligibility trace");
    recorders_.push_back(&r);
  }

  void prepare(const Partition& targets, std::uint32_t source_gid_offset) override {
    source_gid_offset_ = source_gid_offset;
    if (!parts_.empty()) gather();
    target_size_ = targets.begin.back();
    for (std::size_t k = 0; k < global_.size(); ++k)
      if (global_.target[k] >= target_size_)
        throw std::invalid_argument("projection " + name() + ": target index out of range");
    if (global_.post.empty()) global_.post.assign(target_size_, {});
    layout(targets);
  }

  // Plastic synapses need the epoch and the target's spikes: deliver_epoch.
  std::uint64_t deliver(std::span<const SpikeEvent>, int, InputBuffer&) override {
    throw std::logic_error("projection " + name() +
                           ": plastic synapses are delivered per epoch (deliver_epoch)");
  }

  void begin_epoch(Step from, Step to) override {
    if constexpr (Rule::uses_dopamine) integral_.take(*volume_ptr_);
    for (SynapseRecorder* r : recorders_)
      r->begin_epoch(from, to);
  }

  std::uint64_t deliver_epoch(const EpochDelivery& d) override {
    Part& part = parts_[d.thread];
    record_post_spikes(part, d.post);
    // Spikes, samples and the periodic flushes in time order: the samples and
    // the flush at step n come after every spike stamped <= n.
    std::vector<std::size_t> next_sample(recorders_.size(), 0);
    const auto catch_up = [&](Step before) {  // every sample at a step < before
      for (std::size_t r = 0; r < recorders_.size(); ++r) {
        const auto steps = recorders_[r]->epoch_steps();
        for (; next_sample[r] < steps.size() && steps[next_sample[r]] < before; ++next_sample[r])
          sample(part, *recorders_[r], r, next_sample[r], steps[next_sample[r]]);
      }
    };
    Step flush = next_flush_after(d.from), flushed = -1;
    const auto flush_until = [&](Step before) {  // every flush at a step < before
      for (; flush <= d.to && flush < before; flush += flush_period_) {
        catch_up(flush + 1);
        flush_silent(part, flush);
        flushed = flush;
      }
    };
    std::uint64_t events = 0;
    const std::uint32_t ch = channel();
    for (const SpikeEvent& s : d.pre) {
      flush_until(s.step);
      catch_up(s.step);
      events += on_pre_spike(part, s.gid - source_gid_offset_, s.step, *d.input, ch);
    }
    flush_until(std::numeric_limits<Step>::max());
    catch_up(std::numeric_limits<Step>::max());
    if (flushed >= 0) trim_post(part, flushed - flush_period_ - max_delay_);
    return events;
  }

  void end_epoch(Step from, Step to) override {
    for (SynapseRecorder* r : recorders_)
      r->end_epoch();
    const Step last_flush = to / flush_period_ * flush_period_;
    if (last_flush > from) {
      if constexpr (Rule::uses_dopamine) integral_.trim(last_flush - flush_period_);
    }
    horizon_ = to;
  }

  // Weights at the current time (the end of the last run), in canonical order.
  ConnectionList connections() const override {
    if (parts_.empty()) {
      ConnectionList out;
      for (std::size_t k = 0; k < global_.size(); ++k)
        out.add(global_.source[k], global_.target[k], global_.weight[k], global_.delay[k]);
      return out;
    }
    ConnectionList out;
    for_each_canonical([&](const Part& p, std::uint32_t s, std::uint32_t k) {
      const double w = peek(p, s, p.synapses[k], horizon_).w;
      out.add(s, p.synapses[k].target, w, p.synapses[k].delay);
    });
    return out;
  }

  std::vector<double> eligibilities() const override {
    std::vector<double> out;
    if constexpr (Rule::uses_dopamine) {
      if (parts_.empty()) {
        for (std::size_t k = 0; k < global_.size(); ++k)
          out.push_back(Rule::eligibility(global_.eligibility(k)));
        return out;
      }
      for_each_canonical([&](const Part& p, std::uint32_t s, std::uint32_t k) {
        out.push_back(Rule::eligibility(peek(p, s, p.synapses[k], horizon_).e));
      });
    }
    return out;
  }

  // The stored state, as each synapse was left by its last event: a NaN or
  // an infinity there stays (clipping keeps NaN), so this finds every
  // blow-up. One pass over the synapses; the canonical walk only on a find.
  std::optional<std::string> non_finite_synapse() const override {
    // NaN or ±infinity: every exponent bit set. Integer tests, ORed without
    // a branch: the scan costs about what reading the synapses costs.
    using Bits = std::conditional_t<sizeof(Real) == 4, std::uint32_t, std::uint64_t>;
    constexpr Bits exponent =
        sizeof(Real) == 4 ? Bits(0x7f800000u) : static_cast<Bits>(0x7ff0000000000000u);
    const auto bad = [&](const Synapse& y) {
      unsigned out = (std::bit_cast<Bits>(y.weight) & exponent) == exponent;
      for (const Real e : y.eligibility)
        out |= (std::bit_cast<Bits>(e) & exponent) == exponent;
      return out;
    };
    unsigned any = 0;
    for (const Part& p : parts_)
      for (const Synapse& y : p.synapses)
        any |= bad(y);
    if (!any) return std::nullopt;
    std::optional<std::string> found;
    for_each_canonical([&](const Part& p, std::uint32_t s, std::uint32_t k) {
      const Synapse& y = p.synapses[k];
      if (found || !bad(y)) return;
      const bool weight = !std::isfinite(static_cast<double>(y.weight));
      double value = static_cast<double>(y.weight);
      std::string variable = "weight";
      if (!weight)
        for (std::size_t i = 0; i < traces; ++i)
          if (!std::isfinite(static_cast<double>(y.eligibility[i]))) {
            value = static_cast<double>(y.eligibility[i]);
            variable = traces == 1 ? "eligibility" : "eligibility " + std::to_string(i);
            break;
          }
      found = "synapse from neuron " + std::to_string(s) + " to neuron " +
              std::to_string(y.target) + ": " + variable + " = " + guard_value_text(value);
    });
    return found;
  }

  void save(CheckpointWriter& w) const override {
    w.section(name());
    Global g = parts_.empty() ? global_ : gathered();
    w.value<std::uint64_t>(g.size());
    w.vector(g.weight);
    for (const auto& trace : g.trace_values)  // one vector per number of the state
      w.vector(trace);
    w.vector(g.sources);
    std::vector<std::uint64_t> counts;
    std::vector<PostSpike> all;
    for (const auto& h : g.post) {
      counts.push_back(h.size());
      all.insert(all.end(), h.begin(), h.end());
    }
    w.vector(counts);
    w.vector(all);
    w.value(horizon_);
    if constexpr (Rule::uses_dopamine) integral_.save(w);
  }

  void load(CheckpointReader& r) override {
    r.section(name());
    if (r.value<std::uint64_t>() != size())
      throw std::runtime_error("checkpoint: projection " + name() + " has another synapse count");
    Global g = parts_.empty() ? global_ : gathered();
    r.vector(g.weight, static_cast<std::int64_t>(g.size()));
    for (auto& trace : g.trace_values)
      r.vector(trace, static_cast<std::int64_t>(g.size()));
    r.vector(g.sources, static_cast<std::int64_t>(source_size_));
    std::vector<std::uint64_t> counts;
    std::vector<PostSpike> all;
    r.vector(counts, static_cast<std::int64_t>(g.post.size()));
    r.vector(all);
    std::size_t at = 0;
    for (std::size_t j = 0; j < g.post.size(); ++j) {
      if (at + counts[j] > all.size()) throw std::runtime_error("checkpoint: corrupt history");
      g.post[j].assign(all.begin() + static_cast<std::ptrdiff_t>(at),
                       all.begin() + static_cast<std::ptrdiff_t>(at + counts[j]));
      at += counts[j];
    }
    horizon_ = r.value<Step>();
    if constexpr (Rule::uses_dopamine) integral_.load(r);
    global_ = std::move(g);
    if (!parts_.empty()) layout(partition_);
  }

  // Over ranks: this rank's synapses per source row, then save(). The
  // canonical order of the whole projection is, per source, rank 0's row,
  // then rank 1's, ... (ranks own ascending blocks of targets and rows are
  // sorted by target), so the counts are all a merge or a load needs.
  void save_part(CheckpointWriter& w) const override {
    w.vector(row_counts());
    save(w);
  }

  void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const override {
    const int ranks = static_cast<int>(parts.size());
    std::vector<RankState> in(parts.size());
    for (int q = 0; q < ranks; ++q)
      in[q] = read_part(parts[q]);
    std::uint64_t total = 0;
    for (const RankState& p : in)
      total += p.weight.size();
    // Rows in canonical order: source by source, rank by rank.
    const auto merged = [&](auto value_of) {
      std::vector<double> out;
      out.reserve(total);
      std::vector<std::size_t> at(in.size(), 0);
      for (std::uint32_t s = 0; s < source_size_; ++s)
        for (std::size_t q = 0; q < in.size(); ++q)
          for (std::uint32_t k = 0; k < in[q].rows[s]; ++k)
            out.push_back(value_of(in[q], at[q]++));
      return out;
    };
    w.section(name());
    w.value<std::uint64_t>(total);
    w.vector(merged([](const RankState& p, std::size_t k) { return p.weight[k]; }));
    for (std::size_t i = 0; i < traces; ++i)
      w.vector(merged([i](const RankState& p, std::size_t k) { return p.trace_values[i][k]; }));
    // Sources advance on every rank alike (every rank sees every spike).
    w.vector(in.front().sources);
    std::vector<std::uint64_t> counts;
    std::vector<PostSpike> all;
    // The last rank's block ends at the population's last neuron.
    const std::size_t targets = in.back().post.size();
    for (std::size_t j = 0; j < targets; ++j) {
      const RankState& owner = in[rank_of_target(j, targets, ranks)];
      counts.push_back(owner.post[j].size());
      all.insert(all.end(), owner.post[j].begin(), owner.post[j].end());
    }
    w.vector(counts);
    w.vector(all);
    w.value(in.front().horizon);
    if constexpr (Rule::uses_dopamine) in.front().integral.save(w);
  }

  // Every rank's rows, to find this rank's synapses in the canonical order.
  void share_layout(Communicator& ranks) override {
    const std::vector<std::uint32_t> mine = row_counts();
    std::vector<std::size_t> sizes;
    ranks.all_gather(std::as_bytes(std::span<const std::uint32_t>(mine)), rank_rows_, sizes);
    rank_ = ranks.rank();
    ranks_ = ranks.size();
  }

  void load_part(CheckpointReader& r) override {
    const int count = ranks_, me = rank_;
    const auto rows = [&](int q, std::uint32_t s) {
      std::uint32_t v;
      std::memcpy(&v,
                  rank_rows_.data() + (static_cast<std::size_t>(q) * source_size_ + s) * sizeof v,
                  sizeof v);
      return v;
    };
    r.section(name());
    const auto total = r.value<std::uint64_t>();
    std::uint64_t expected = 0;
    for (int q = 0; q < count; ++q)
      for (std::uint32_t s = 0; s < source_size_; ++s)
        expected += rows(q, s);
    if (total != expected)
      throw std::runtime_error("checkpoint: projection " + name() + " has another synapse count");
    // canonical[k]: the whole projection's number of this rank's k-th synapse.
    std::vector<std::size_t> canonical;
    canonical.reserve(size());
    std::size_t at = 0;
    for (std::uint32_t s = 0; s < source_size_; ++s)
      for (int q = 0; q < count; ++q) {
        const std::uint32_t n = rows(q, s);
        if (q == me)
          for (std::uint32_t k = 0; k < n; ++k)
            canonical.push_back(at + k);
        at += n;
      }
    Global g = parts_.empty() ? global_ : gathered();
    std::vector<double> whole;
    r.vector(whole, static_cast<std::int64_t>(total));
    for (std::size_t k = 0; k < canonical.size(); ++k)
      g.weight[k] = whole[canonical[k]];
    for (auto& trace : g.trace_values) {
      r.vector(whole, static_cast<std::int64_t>(total));
      for (std::size_t k = 0; k < canonical.size(); ++k)
        trace[k] = whole[canonical[k]];
    }
    r.vector(g.sources, static_cast<std::int64_t>(source_size_));
    read_post(r, g.post, target_size_);
    g.post.resize(target_size_);  // the targets up to this rank's last
    horizon_ = r.value<Step>();
    if constexpr (Rule::uses_dopamine) integral_.load(r);
    global_ = std::move(g);
    if (!parts_.empty()) layout(partition_);
  }

 private:
  struct SourceState {
    Step last;     // time of the last update of the source's synapses [steps]
    double kplus;  // presynaptic trace just after it
  };
  struct PostSpike {
    Step step;      // stamp of a spike of the target neuron
    double kminus;  // postsynaptic trace just after it
  };
  static constexpr Step none = std::numeric_limits<Step>::min();  // no post spike yet
  // {second to last, last} of a target's spikes, step `none` where it has fewer.
  using Recent = std::array<PostSpike, 2>;
  static Recent recent_of(const std::vector<PostSpike>& h) {
    Recent r{PostSpike{none, 0.0}, PostSpike{none, 0.0}};
    if (h.size() >= 1) r[1] = h.back();
    if (h.size() >= 2) r[0] = h[h.size() - 2];
    return r;
  }
  // A target's history, or the part of it a synapse reads (history()).
  using History = std::span<const PostSpike>;
  static constexpr std::uint32_t prefetch_ahead = 8;  // synapses
  static_assert(sizeof(PostSpike) == 16,
                "written raw into checkpoints: no padding (checkpoint.hpp)");
  struct Part {                         // what one thread owns
    std::vector<std::uint32_t> offset;  // source_size + 1
    std::vector<Synapse> synapses;
    std::vector<SourceState> sources;          // a copy per thread, identical in all
    std::vector<std::vector<PostSpike>> post;  // per owned target
    // Per owned target, the last two spikes of `post` (recent_of): a synapse
    // that saw at most the last in its window needs only these, from an
    // array that stays in cache, not the history's own allocation.
    std::vector<Recent> recent;
    std::size_t first_target = 0, end_target = 0;
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> columns;  // per recorder:
                                                                                // (synapse, column)
  };
  // Thread-independent state: before the layout, for re-layouts and checkpoints.
  struct Global {
    std::vector<std::uint32_t> source, target;
    std::vector<double> weight;
    std::array<std::vector<double>, traces> trace_values;  // the rule's state, number by number
    std::vector<std::uint16_t> delay;
    std::vector<SourceState> sources;
    std::vector<std::vector<PostSpike>> post;
    std::size_t size() const { return source.size(); }
    void resize(std::size_t n) {
      source.resize(n);
      target.resize(n);
      weight.resize(n);
      for (auto& trace : trace_values)
        trace.resize(n);
      delay.resize(n);
    }
    Eligibility eligibility(std::size_t k) const {
      std::array<double, Layout::count> a;
      for (std::size_t i = 0; i < a.size(); ++i)
        a[i] = trace_values[i][k];
      return Layout::from_numbers(a);
    }
  };

  // Per source, this rank's synapses in its row.
  std::vector<std::uint32_t> row_counts() const {
    std::vector<std::uint32_t> rows(source_size_, 0);
    if (parts_.empty()) {
      for (const std::uint32_t s : global_.source)
        ++rows[s];
    } else {
      for (const Part& p : parts_)
        for (std::uint32_t s = 0; s < source_size_; ++s)
          rows[s] += p.offset[s + 1] - p.offset[s];
    }
    return rows;
  }
  // Which of `ranks` ranks owns target j of a population of `n` (RankBlock).
  static std::size_t rank_of_target(std::size_t j, std::size_t n, int ranks) {
    for (int q = 0; q < ranks; ++q)
      if (RankBlock::of(n, q, ranks).owns(j)) return static_cast<std::size_t>(q);
    throw std::logic_error("target outside the projection");
  }
  // The targets' histories as save() wrote them. A rank's target_size_ is the
  // end of its own block, so a rank's part holds fewer targets than the
  // whole population, and the one-process checkpoint holds more than a
  // rank keeps: at least `keep` are read, all are returned.
  static void read_post(CheckpointReader& r, std::vector<std::vector<PostSpike>>& post,
                        std::size_t keep) {
    std::vector<std::uint64_t> counts;
    std::vector<PostSpike> all;
    r.vector(counts);
    if (counts.size() < keep)
      throw std::runtime_error("checkpoint: spike histories of " + std::to_string(counts.size()) +
                               " targets where the network has " + std::to_string(keep));
    r.vector(all);
    post.assign(counts.size(), {});
    std::size_t at = 0;
    for (std::size_t j = 0; j < counts.size(); ++j) {
      if (at + counts[j] > all.size()) throw std::runtime_error("checkpoint: corrupt history");
      post[j].assign(all.begin() + static_cast<std::ptrdiff_t>(at),
                     all.begin() + static_cast<std::ptrdiff_t>(at + counts[j]));
      at += counts[j];
    }
  }
  // One rank's part (save_part), read whole.
  struct RankState {
    std::vector<std::uint32_t> rows;
    std::vector<double> weight;
    std::array<std::vector<double>, traces> trace_values;
    std::vector<SourceState> sources;
    std::vector<std::vector<PostSpike>> post;
    Step horizon = 0;
    DopamineIntegral integral;
  };
  RankState read_part(CheckpointReader& r) const {
    RankState p;
    p.integral = integral_;
    r.vector(p.rows, static_cast<std::int64_t>(source_size_));
    r.section(name());
    const auto n = r.value<std::uint64_t>();
    r.vector(p.weight, static_cast<std::int64_t>(n));
    for (auto& trace : p.trace_values)
      r.vector(trace, static_cast<std::int64_t>(n));
    r.vector(p.sources, static_cast<std::int64_t>(source_size_));
    read_post(r, p.post, 0);
    p.horizon = r.value<Step>();
    if constexpr (Rule::uses_dopamine) p.integral.load(r);
    return p;
  }
  // Calls f(part, source, position) for every synapse in canonical order.
  template <class F>
  void for_each_canonical(F&& f) const {
    for (std::uint32_t s = 0; s < source_size_; ++s)
      for (const Part& p : parts_)
        for (std::uint32_t k = p.offset[s]; k < p.offset[s + 1]; ++k)
          f(p, s, k);
  }

  Global gathered() const {
    Global g;
    g.resize(0);
    for_each_canonical([&](const Part& p, std::uint32_t s, std::uint32_t k) {
      const Synapse& y = p.synapses[k];
      g.source.push_back(s);
      g.target.push_back(y.target);
      g.weight.push_back(static_cast<double>(y.weight));
      for (std::size_t i = 0; i < traces; ++i)
        g.trace_values[i].push_back(static_cast<double>(y.eligibility[i]));
      g.delay.push_back(y.delay);
    });
    g.sources = parts_.front().sources;
    g.post.assign(target_size_, {});
    for (const Part& p : parts_)
      for (std::size_t j = p.first_target; j < p.end_target; ++j)
        g.post[j] = p.post[j - p.first_target];
    return g;
  }
  void gather() { global_ = gathered(); }

  void layout(const Partition& targets) {
    partition_ = targets;
    const int threads = targets.threads();
    parts_.assign(threads, Part{});
    size_ = global_.size();
    std::vector<int> owner(size_);
    for (std::size_t k = 0; k < size_; ++k) {
      owner[k] = targets.owner(global_.target[k]);
      if (owner[k] < 0 || owner[k] >= threads)
        throw std::invalid_argument("projection " + name() + ": target " +
                                    std::to_string(global_.target[k]) +
                                    " is not among the neurons this rank owns");
    }
    for (int t = 0; t < threads; ++t) {
      Part& p = parts_[t];
      p.offset.assign(source_size_ + 1, 0);
      p.sources = global_.sources;
      p.first_target = targets.first(t);
      p.end_target = targets.last(t);
      p.post.assign(global_.post.begin() + static_cast<std::ptrdiff_t>(p.first_target),
                    global_.post.begin() + static_cast<std::ptrdiff_t>(p.end_target));
      p.recent.resize(p.post.size());
      for (std::size_t j = 0; j < p.post.size(); ++j)
        p.recent[j] = recent_of(p.post[j]);
      p.columns.assign(recorders_.size(), {});
    }
    for (std::size_t k = 0; k < size_; ++k)
      ++parts_[owner[k]].offset[global_.source[k] + 1];
    for (Part& p : parts_) {
      for (std::size_t s = 0; s < source_size_; ++s)
        p.offset[s + 1] += p.offset[s];
      p.synapses.resize(p.offset[source_size_]);
    }
    // The global list is in canonical order, so filling each row in list order
    // keeps rows sorted by target, multapses in connection order.
    std::vector<std::vector<std::uint32_t>> fill(threads);
    for (int t = 0; t < threads; ++t)
      fill[t].assign(parts_[t].offset.begin(), parts_[t].offset.end() - 1);
    for (std::size_t k = 0; k < size_; ++k) {
      Part& p = parts_[owner[k]];
      const std::uint32_t at = fill[owner[k]][global_.source[k]]++;
      Synapse& y = p.synapses[at];
      y.weight = static_cast<Real>(global_.weight[k]);
      for (std::size_t i = 0; i < traces; ++i)
        y.eligibility[i] = static_cast<Real>(global_.trace_values[i][k]);
      y.target = global_.target[k];
      y.delay = global_.delay[k];
    }
    // Recorder columns, numbered in canonical order.
    for (std::size_t r = 0; r < recorders_.size(); ++r) {
      std::vector<std::pair<std::uint32_t, std::uint32_t>> cols;
      for (std::uint32_t s = 0; s < source_size_; ++s)
        for (Part& p : parts_)
          for (std::uint32_t k = p.offset[s]; k < p.offset[s + 1]; ++k)
            if (recorders_[r]->selects(s, p.synapses[k].target)) {
              p.columns[r].emplace_back(k, static_cast<std::uint32_t>(cols.size()));
              cols.emplace_back(s, p.synapses[k].target);
            }
      recorders_[r]->set_columns(std::move(cols));
    }
    global_ = Global{};
  }

  // The first flush time after `from`: a multiple of the flush period.
  Step next_flush_after(Step from) const { return (from / flush_period_ + 1) * flush_period_; }

  void record_post_spikes(Part& part, std::span<const SpikeEvent> post) const {
    for (const SpikeEvent& s : post) {
      const std::size_t j = s.gid - target_gid_offset_;
      if (j < part.first_target || j >= part.end_target) continue;
      auto& h = part.post[j - part.first_target];
      double k = 1.0;
      if (!h.empty()) k += h.back().kminus * minus_.decay_straddling(s.step - h.back().step);
      h.push_back({s.step, k});
      Recent& r = part.recent[j - part.first_target];
      r = {r[1], h.back()};
    }
  }

  // The synapse's (w, e) carried from t0 = its source's last update to t over
  // the post spikes it sees in (t0, t]; `shared_*` are I(t0, t) and the decay
  // of e over it when the caller has them (the same for every synapse of a
  // source). Returns the position of the first post spike after t − delay.
  //
  // The dopamine integral of a piece [from, q] is taken from integrals that
  // start at t0, I(from, q) = (I(t0, q) − I(t0, from)) e^{(from − t0)/τ_c}, so
  // that a synapse seeing k post spikes needs k integrals of its own and the
  // last piece, up to t, comes from the source's shared I(t0, t). The
  // subtraction loses at most ε·|I(t0, q)|·e^{(from − t0)/τ_c} (absolute, with
  // from − t0 below about two flush periods), far below the weights' float
  // storage; every path (delivery, recorders, flushes) uses the same formula.
  struct Carried {
    double w;
    Eligibility e;
    typename History::iterator next;
  };
  Carried carry(History h, const SourceState& src, const Synapse& y, Step t, double shared_integral,
                double shared_decay, bool have_shared,
                const DopamineIntegral::From* window = nullptr) const {
    double w = static_cast<double>(y.weight);
    Eligibility e = Layout::load(y.eligibility);
    const Step d = y.delay, t0 = src.last;
    auto it = first_after(h, t0 - d);
    Step from = t0;
    double before = 0.0;  // I(t0, from)
    for (; it != h.end() && it->step <= t - d; ++it) {
      const Step q = it->step + d;  // the post spike as the synapse sees it
      if constexpr (Rule::uses_dopamine) {
        if (q > from) {
          const double upto = window ? (*window)(q) : integral_.integral(t0, q);
          if (from == t0 && !Rule::split_at_sign_changes)  // I(t0, t0) = 0 and e^0 = 1 exactly:
            run(w, e, upto, integral_.decay(q - from));    // rescaled() would return upto
          else
            advance(w, e, t0, from, q, before, upto, integral_.decay(q - from));
          before = upto;
        }
      }
      Rule::facilitate(params_, w, e, src.kplus * plus_.decay_straddling(q - t0));
      w = std::clamp(w, params_.w_min, params_.w_max);
      from = q;
    }
    if constexpr (Rule::uses_dopamine) {
      if (t > from) {
        const double total = have_shared ? shared_integral : integral_.integral(t0, t);
        if (from == t0 && !Rule::split_at_sign_changes)  // no post spike: the row's window
          run(w, e, total, have_shared ? shared_decay : integral_.decay(t - t0));
        else
          advance(w, e, t0, from, t, before, total, integral_.decay(t - from));
      }
    }
    return {w, e, it};
  }

  // What every synapse of a source shares over its window [t0, t] (dopamine
  // rules): I(t0, ·), I(t0, t) and e^{−(t − t0)/τ_c}.
  struct Window {
    std::optional<DopamineIntegral::From> from;
    double integral = 0.0, decay = 1.0;
  };
  Window window_of(Step t0, Step t) const {
    Window w;
    if constexpr (Rule::uses_dopamine) {
      w.from.emplace(integral_, t0);
      w.integral = (*w.from)(t);
      w.decay = integral_.decay(t - t0);
    }
    return w;
  }
  Carried carry(History h, const SourceState& src, const Synapse& y, Step t,
                const Window& window) const {
    return carry(h, src, y, t, window.integral, window.decay, true,
                 window.from ? &*window.from : nullptr);
  }

  // What a synapse of target j and delay d reads of the target's spikes,
  // when its window starts at t0 and it acts at t > t0 (seen = min(t0, t − 1)):
  // nothing before the last spike stamped <= seen − d is in the window or
  // needed for K− just before t, so if that is the second to last spike,
  // the two recent ones are all of it (in cache); else the whole history.
  History history(const Part& part, std::size_t j, Step seen, Step d) const {
    const Recent& r = part.recent[j];
    if (r[0].step <= seen - d) return r[0].step == none ? History(&r[1], 1) : History(r);
    return part.post[j];
  }

  // The history the synapse `y` of a row will search if it saw more than the
  // last post spike: each target's is an allocation of its own, out of cache
  // when its first spike is read; asked for a few synapses ahead, it arrives
  // in time.
  void prefetch(const Part& part, const Synapse& y, Step seen) const {
    const std::size_t j = y.target - part.first_target;
    if (part.recent[j][0].step <= seen - y.delay) return;  // the recent two suffice
    __builtin_prefetch(part.post[j].data());
  }

  // carry() of a synapse that saw no post spike in (t0, t], without its
  // search of the history: the window's one piece.
  [[gnu::always_inline]] void carry_quiet(double& w, Eligibility& e, Step t0, Step t,
                                          const Window& window) const {
    if constexpr (Rule::uses_dopamine) {
      if (t > t0) {
        if (!Rule::split_at_sign_changes)
          run(w, e, window.integral, window.decay);
        else
          advance(w, e, t0, t0, t, 0.0, window.integral, window.decay);
      }
    }
  }

  // The first post spike stamped after x (std::upper_bound): a binary search
  // whose steps are selects, not branches; histories hold a few spikes, and
  // which half to keep changes from synapse to synapse without a pattern.
  static typename History::iterator first_after(History h, Step x) {
    if (h.empty()) return h.end();
    const PostSpike* base = h.data();
    for (std::size_t n = h.size(); n > 1;) {
      const std::size_t half = n / 2;
      base += base[half].step <= x ? half : 0;
      n -= half;
    }
    return h.begin() + (base - h.data()) + (base->step <= x);
  }

  // The piece [from, to] of a window that starts at t0: I(t0, from), I(t0, to)
  // and e^{−(to − from)/τ_c} are given. One call of the rule's law, or, for a
  // rule that asks for it, one per run of constant sign of d − b (split).
  // I(from, to) is the difference of the two integrals rescaled to start at
  // `from` (`rescaled`).
  // Inlined: out of line, w and e go through memory (6 % per stdp_dopamine event).
  [[gnu::always_inline]] void advance(double& w, Eligibility& e, Step t0, Step from, Step to,
                                      double at_from, double at_to, double decay) const {
    if constexpr (Rule::split_at_sign_changes)
      split(w, e, t0, from, to, at_from, at_to, decay);
    else
      run(w, e, rescaled(t0, from, at_from, at_to), decay);
  }
  [[gnu::always_inline]] double rescaled(Step t0, Step from, double at_from, double at_to) const {
    return (at_to - at_from) / integral_.decay(from - t0);
  }

  // The piece [from, to] in runs of constant sign of d − b, each exact, with
  // I(t0, x) at each sign change x (a real time, core/dopamine_integral.hpp).
  void split(double& w, Eligibility& e, Step t0, Step from, Step to, double at_from, double at_to,
             double decay) const {
    double a = static_cast<double>(from), at_a = at_from;
    const auto t0r = static_cast<double>(t0);
    integral_.for_each_sign_change(from, to, [&](double x) {
      const double at_x = integral_.integral_to(t0, x);
      run(w, e, (at_x - at_a) / integral_.decay_real(a - t0r), integral_.decay_real(x - a));
      a = x;
      at_a = at_x;
    });
    if (a == static_cast<double>(from))
      run(w, e, rescaled(t0, from, at_from, at_to), decay);
    else  // the last run starts at a sign change
      run(w, e, (at_to - at_a) / integral_.decay_real(a - t0r),
          integral_.decay_real(static_cast<double>(to) - a));
  }

  // One run of the rule's between-event law, then the clip.
  [[gnu::always_inline]] void run(double& w, Eligibility& e, double I, double decay) const {
    Rule::between(params_, w, e, I, decay);
    w = std::clamp(w, params_.w_min, params_.w_max);
  }

  Carried peek(const Part& p, std::uint32_t source, const Synapse& y, Step t) const {
    const auto& h = p.post[y.target - p.first_target];
    return carry(h, p.sources[source], y, t, 0.0, 0.0, false);
  }

  // A spike of source `s` stamped `t`: every synapse of the row is carried to
  // t, depressed, and transmits its new weight.
  std::uint64_t on_pre_spike(Part& part, std::uint32_t s, Step t, InputBuffer& input,
                             std::uint32_t ch) {
    SourceState& src = part.sources[s];
    const std::uint32_t first = part.offset[s], last = part.offset[s + 1];
    if (first < last) {
      const Window window = window_of(src.last, t);
      // A post spike stamped <= seen − delay is before the window and before t
      // as the synapse sees it (the window starts at src.last < t).
      const Step seen = std::min(src.last, t - 1);
      for (std::uint32_t k = first; k < last; ++k) {
        if (k + prefetch_ahead < last) prefetch(part, part.synapses[k + prefetch_ahead], seen);
        Synapse& y = part.synapses[k];
        const std::size_t j = y.target - part.first_target;
        const PostSpike& latest = part.recent[j][1];
        double w;
        Eligibility e;
        double kminus;
        if (latest.step <= seen - y.delay) {
          // No post spike in the window (half the synapses of the distal
          // reward network): carry() without its search, and K− from the
          // target's last spike alone.
          w = static_cast<double>(y.weight);
          e = Layout::load(y.eligibility);
          carry_quiet(w, e, src.last, t, window);
          kminus = latest.step == none
                       ? 0.0
                       : latest.kminus * minus_.decay_straddling(t - y.delay - latest.step);
        } else {
          const History h = history(part, j, seen, y.delay);
          const Carried r = carry(h, src, y, t, window);
          w = r.w;
          e = r.e;
          // K− just before t: the last post spike the synapse saw before t.
          auto it = r.next;
          while (it != h.begin() && (it - 1)->step + y.delay >= t)
            --it;
          kminus = it == h.begin()
                       ? 0.0
                       : (it - 1)->kminus * minus_.decay_straddling(t - y.delay - (it - 1)->step);
        }
        Rule::depress(params_, w, e, kminus);
        y.weight = static_cast<Real>(std::clamp(w, params_.w_min, params_.w_max));
        Layout::store(e, y.eligibility);
        input.add(ch, t + y.delay, y.target, static_cast<double>(y.weight));
      }
    }
    src.kplus = src.kplus * plus_.decay_straddling(t - src.last) + 1.0;
    src.last = t;
    return last - first;
  }

  // Sources silent since before `at − flush_period` are carried to `at`.
  void flush_silent(Part& part, Step at) {
    for (std::uint32_t s = 0; s < source_size_; ++s) {
      SourceState& src = part.sources[s];
      if (src.last >= at - flush_period_) continue;
      const std::uint32_t first = part.offset[s], last = part.offset[s + 1];
      if (first < last) {
        const Window window = window_of(src.last, at);
        for (std::uint32_t k = first; k < last; ++k) {
          Synapse& y = part.synapses[k];
          const std::size_t j = y.target - part.first_target;
          if (part.recent[j][1].step <= src.last - y.delay) {  // no post spike in the window
            double w = static_cast<double>(y.weight);
            Eligibility e = Layout::load(y.eligibility);
            carry_quiet(w, e, src.last, at, window);
            y.weight = static_cast<Real>(w);
            Layout::store(e, y.eligibility);
          } else {
            const Carried r = carry(history(part, j, src.last, y.delay), src, y, at, window);
            y.weight = static_cast<Real>(r.w);
            Layout::store(r.e, y.eligibility);
          }
        }
      }
      src.kplus *= plus_.decay_straddling(at - src.last);
      src.last = at;
    }
  }

  // Drops the post spikes stamped at or before `before` that no synapse can
  // see any more (after a flush every source's last update is at least
  // `before` + max_delay, so windows start after them), keeping the last one:
  // the post trace K− after it is still needed.
  static void trim_post(Part& part, Step before) {
    for (std::size_t j = 0; j < part.post.size(); ++j) {
      auto& h = part.post[j];
      auto it = std::upper_bound(h.begin(), h.end(), before,
                                 [](Step x, const PostSpike& p) { return x < p.step; });
      if (it - h.begin() > 1) {
        h.erase(h.begin(), it - 1);
        part.recent[j] = recent_of(h);  // one spike left: no second to last
      }
    }
  }

  void sample(const Part& part, SynapseRecorder& rec, std::size_t r, std::size_t i, Step t) const {
    double* row = rec.row(i);
    const bool weight = rec.variable() == SynapseRecorder::Variable::weight;
    for (const auto& [k, col] : part.columns[r]) {
      const Synapse& y = part.synapses[k];
      const std::uint32_t s = source_of(part, k);
      const Carried r = peek(part, s, y, t);
      if constexpr (Rule::uses_dopamine)
        row[col] = weight ? r.w : Rule::eligibility(r.e);
      else
        row[col] = r.w;  // attach() refuses eligibility recorders
    }
  }

  static std::uint32_t source_of(const Part& p, std::uint32_t k) {
    const auto it = std::upper_bound(p.offset.begin(), p.offset.end(), k);
    return static_cast<std::uint32_t>(it - p.offset.begin()) - 1;
  }

  Params params_;
  std::int64_t volume_;
  std::size_t source_size_, target_size_ = 0, size_ = 0;
  Step min_delay_ = 1, max_delay_ = 1;
  Resolution res_;
  std::uint32_t source_gid_offset_ = 0, target_gid_offset_ = 0;
  DecayTable plus_, minus_;  // e^{−n dt/τ+}, e^{−n dt/τ−}
  Step flush_period_ = 0;
  Step horizon_ = 0;
  bool bound_ = false;
  const DopamineVolume* volume_ptr_ = nullptr;
  DopamineIntegral integral_;
  // Over ranks, for loading a checkpoint (share_layout): every rank's
  // row_counts(), in rank order.
  std::vector<std::byte> rank_rows_;
  int rank_ = 0, ranks_ = 1;
  std::vector<SynapseRecorder*> recorders_;
  Partition partition_;
  Global global_;
  std::vector<Part> parts_;
};

}  // namespace bgsim

namespace bgsim {

// Registration of a plasticity rule under its name; use from one .cpp:
//   static const bool registered = register_plasticity_rule<StdpDopamine>("doc…");
template <PlasticityRule Rule>
bool register_plasticity_rule(std::string doc) {
  SynapseModel m;
  m.name = std::string(Rule::name);
  m.doc = std::move(doc);
  m.params = Rule::param_table().infos();
  m.uses_dopamine = Rule::uses_dopamine;
  m.has_eligibility = Rule::uses_dopamine;
  m.resolve = [](const ParamMap& params) {
    const typename Rule::Params defaults{};
    const typename Rule::Params p = Rule::param_table().apply(Rule::name, defaults, params);
    // Rule parameters are numbers (ParamTable::to_map would also visit the
    // other member kinds, which GCC 12 then warns about).
    ParamMap out;
    for (const auto& e : Rule::param_table().entries())
      if (const auto* ptr = std::get_if<double Rule::Params::*>(&e.member))
        out[e.info.name] = p.**ptr;
    return out;
  };
  m.create = [](SynapseModelArgs a) -> std::unique_ptr<Projection> {
    const auto p = Rule::param_table().apply(Rule::name, typename Rule::Params{}, a.params);
    if (a.double_precision)
      return std::make_unique<EventDrivenProjection<Rule, double>>(
          a.name, a.source, a.target, a.channel, a.source_size, std::move(a.connections), p,
          a.volume);
    return std::make_unique<EventDrivenProjection<Rule, float>>(
        a.name, a.source, a.target, a.channel, a.source_size, std::move(a.connections), p,
        a.volume);
  };
  SynapseModels::instance().add(std::move(m));
  return true;
}

}  // namespace bgsim
