#pragma once
// The dopamine integral of a three-factor rule, evaluated in closed form for
// any window, in O(log J) whatever the number J of dopamine jumps inside it.
//
// Between two of its own events a synapse's eligibility decays,
// c(u) = c(t1) · e^{−(u − t1)/τ_c}, and its weight integrates w' = κ · c · (d − b),
// so over a window [t1, t2]
//
//   w(t2) = w(t1) + κ · c(t1) · I(t1, t2),
//   I(t1, t2) = ∫_{t1}^{t2} e^{−(u − t1)/τ_c} (d(u) − b) du            [level · ms]
//
// I depends only on the dopamine level d, never on the synapse: it is the same
// for every synapse reading one volume with one τ_c and b. Between two jumps of
// the volume (knot j at T_j with level L_j, d(u) = d0 + (L_j − d0) e^{−(u − T_j)/τ_d})
// it is exact and elementary (NEST's update_weight_, with the baseline d0 added):
//
//   I(t1, t2) = A · τ_s · (1 − e^{−Δ/τ_s}) + (d0 − b) · τ_c · (1 − e^{−Δ/τ_c}),
//   A = (L_j − d0) e^{−(t1 − T_j)/τ_d},  Δ = t2 − t1,  1/τ_s = 1/τ_c + 1/τ_d,
//
// with 1 − e^{−x} computed as −expm1(−x), accurate for the short windows of
// dense spiking. Across knots the pieces chain,
// I(t1, t3) = I(t1, t2) + e^{−(t2 − t1)/τ_c} I(t2, t3); to avoid walking every
// knot inside a window (which would cost per synapse per dopamine spike), each
// knot also stores the prefix K_j = I(R, T_j) · (discounting from a reference R),
// so that I(T_i, T_j) = e^{(T_i − R)/τ_c} (K_j − K_i) for two knots sharing R.
// References restart at the first knot more than τ_c after the current one, so
// the factor e^{(T_i − R)/τ_c} never exceeds e and the subtraction loses at most
// a few bits against the window's own scale: a window of Δ ms loses about
// log2(e · τ_c / Δ) bits, 14 bits for Δ = 0.1 ms and τ_c = 1 s.
//
// The sign below baseline: I < 0 wherever d < b, so a positive eligibility
// (a causal pairing) then depresses the weight and a negative one potentiates.
//
// Sign changes (rules whose response depends on the sign of d − b, e.g.
// models/stdp_corticostriatal.hpp; enabled by prepare(…, track_signs = true)):
// d − b changes sign either at a knot (a jump across b) or inside a knot's
// interval, where d moves monotonically from L_j towards d0 and crosses b
// once iff b lies strictly between d0 and L_j, at
//
//   t_× = T_j + τ_d · ln((L_j − d0) / (b − d0)).
//
// Those times (in steps, not rounded to the grid) are kept in order;
// integral_to() gives I(t1, x) up to any real time x, so a window splits into
// runs of constant sign, each with its exact integral. Untracked, nothing of
// this is computed and the checkpoint format is unchanged.
//
// Receptor occupancy (prepare(…, half = K > 0)): the rule reads φ(d) − φ(b),
// φ(d) = d⁺/(d⁺ + K), instead of d − b; each interval's piece is then the
// integral of core/receptor_occupancy.hpp and everything else (prefixes,
// chaining, sign changes: φ is monotone, so φ(d) − φ(b) changes sign where
// d − b does) is as above.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/decay_table.hpp"
#include "core/neuromodulator.hpp"
#include "core/receptor_occupancy.hpp"
#include "core/time.hpp"

namespace bgsim {

class DopamineIntegral {
 public:
  // tau_c: eligibility time constant [ms]; b: the rule's dopamine baseline;
  // half: > 0 to integrate the receptor occupancy φ(d) − φ(b) with this
  // half-occupancy level instead of d − b (core/receptor_occupancy.hpp);
  // the volume gives τ_d, d0 and its initial knot.
  void prepare(const DopamineVolume& volume, double tau_c_ms, double b, bool track_signs = false,
               double half = 0.0) {
    track_ = track_signs;
    half_ = half;
    changes_.clear();
    dt_ = volume.resolution().dt_ms();
    tau_c_ = tau_c_ms;
    tau_d_ = volume.params().tau_ms;
    tau_s_ = tau_c_ * tau_d_ / (tau_c_ + tau_d_);
    d0_ = volume.params().baseline;
    b_ = b;
    block_ = std::max<Step>(1, static_cast<Step>(std::ceil(tau_c_ / dt_)));
    c_table_ = DecayTable(dt_ / tau_c_);
    d_table_ = DecayTable(dt_ / tau_d_);
    s_table_ = DecayTable(dt_ / tau_s_);
    knots_.clear();
    const auto k = volume.knots();
    knots_.push_back({k.front().step, k.front().level, 0.0, k.front().step});
    if (track_) pending_ = crossing(knots_.back());
    consumed_ = volume.committed() - k.size() + 1;
    take(volume);
  }

  // Appends the knots the volume committed since the last call.
  void take(const DopamineVolume& volume) {
    const auto k = volume.knots();
    const std::uint64_t first = volume.committed() - k.size();
    for (std::uint64_t g = std::max(consumed_, first); g < volume.committed(); ++g)
      append(k[g - first]);
    consumed_ = volume.committed();
  }

  // I(t1, t2) for t1 <= t2, both no earlier than the first knot kept.
  double integral(Step t1, Step t2) const {
    if (t2 <= t1) return 0.0;
    const std::size_t j1 = last_at_or_before(t1);
    const std::size_t a = j1 + 1;
    if (a == knots_.size() || knots_[a].step >= t2) return direct(j1, t1, t2);
    // Knots at t2 itself change nothing in the integral and are left out, so
    // that the result does not depend on whether they are known yet.
    const std::size_t z = last_at_or_before(t2 - 1);
    double aligned = knot_to_knot(a, z);
    aligned += decay(knots_[z].step - knots_[a].step) * direct(z, knots_[z].step, t2);
    return direct(j1, t1, knots_[a].step) + decay(knots_[a].step - t1) * aligned;
  }

  // I(t0, ·) for one start t0 and many ends: every synapse of a source starts
  // its window at the source's last spike. Up to the first knot after t0 the
  // integral is one direct() piece, whose factor of the level at t0 is taken
  // once here instead of per end (with a table lookup and a search for the
  // knot); beyond it, and with a receptor, integral(). The same numbers as
  // integral(t0, t2), bit for bit: the same products in the same order.
  class From {
   public:
    From(const DopamineIntegral& in, Step t0) : in_(&in), t0_(t0) {
      const std::size_t j = in.last_at_or_before(t0);
      limit_ = j + 1 < in.knots_.size() ? in.knots_[j + 1].step : std::numeric_limits<Step>::max();
      if (in.half_ > 0.0) limit_ = t0;  // the occupancy's quadrature: integral()
      const Knot& k = in.knots_[j];
      level_ = k.level != in.d0_;
      baseline_ = in.d0_ != in.b_;
      if (level_) level_factor_ = (k.level - in.d0_) * in.d_table_.decay(t0 - k.step) * in.tau_s_;
      baseline_factor_ = (in.d0_ - in.b_) * in.tau_c_;
    }
    [[gnu::always_inline]] double operator()(Step t2) const {
      if (t2 <= t0_ || t2 > limit_) return in_->integral(t0_, t2);
      double sum = 0.0;  // direct(j, t0, t2)
      if (level_) sum += level_factor_ * in_->s_table_.one_minus(t2 - t0_);
      if (baseline_) sum += baseline_factor_ * in_->c_table_.one_minus(t2 - t0_);
      return sum;
    }

   private:
    const DopamineIntegral* in_;
    Step t0_, limit_;
    bool level_, baseline_;
    double level_factor_ = 0.0, baseline_factor_;
  };

  // e^{−n·dt/τ_c}: the eligibility's decay over n steps.
  [[gnu::always_inline]] double decay(Step n) const { return c_table_.decay(n); }

  // Drops knots no window will start before `step` needs: keeps the last knot
  // at or before it and every later one.
  void trim(Step step) {
    const std::size_t j = last_at_or_before(step);
    if (j > 0) knots_.erase(knots_.begin(), knots_.begin() + static_cast<std::ptrdiff_t>(j));
    if (track_ && !changes_.empty())
      changes_.erase(changes_.begin(), std::lower_bound(changes_.begin(), changes_.end(),
                                                        static_cast<double>(knots_.front().step)));
  }

  std::size_t size() const { return knots_.size(); }
  std::size_t bytes() const { return knots_.capacity() * sizeof(Knot); }

  void save(CheckpointWriter& w) const {
    w.section("dopamine_integral");
    w.value(consumed_);
    w.vector(knots_);
    if (track_) {
      w.vector(changes_);
      w.value(pending_);
    }
  }
  void load(CheckpointReader& r) {
    r.section("dopamine_integral");
    consumed_ = r.value<std::uint64_t>();
    r.vector(knots_);
    if (knots_.empty()) throw std::runtime_error("checkpoint: dopamine integral without knots");
    if (track_) {
      r.vector(changes_);
      pending_ = r.value<double>();
    }
  }

  // ---- Sign changes of d − b (only with track_signs) ----

  // Calls f(x) for each time x (in steps, real) with t1 < x < t2 at which
  // d − b changes sign, in increasing order; t2 no later than what is known.
  template <class F>
  void for_each_sign_change(Step t1, Step t2, F&& f) const {
    const auto lo = static_cast<double>(t1), hi = static_cast<double>(t2);
    for (auto it = std::upper_bound(changes_.begin(), changes_.end(), lo);
         it != changes_.end() && *it < hi; ++it)
      f(*it);
    if (pending_ > lo && pending_ < hi) f(pending_);
  }

  // I(t1, x) for a real time x >= t1 (in steps).
  double integral_to(Step t1, double x) const {
    const auto s = static_cast<Step>(std::floor(x));
    if (s <= t1) return direct_to(last_at_or_before(t1), t1, x);
    const double head = integral(t1, s);
    if (x == static_cast<double>(s)) return head;
    return head + decay(s - t1) * direct_to(last_at_or_before(s), s, x);
  }

  // e^{−x·dt/τ_c} for a real number of steps x.
  double decay_real(double x) const { return std::exp(-x * dt_ / tau_c_); }

 private:
  struct Knot {
    Step step;
    double level;  // d just after the jumps at `step`
    double K;      // I(R, step) discounted from R
    Step R;        // the reference of its block
  };
  static_assert(sizeof(Knot) == 32, "written raw into checkpoints: no padding (checkpoint.hpp)");

  [[gnu::always_inline]] std::size_t last_at_or_before(Step t) const {
    // Jumps are rare next to synaptic events: most windows lie after the last.
    if (knots_.back().step <= t) return knots_.size() - 1;
    auto it = std::upper_bound(knots_.begin(), knots_.end(), t,
                               [](Step s, const Knot& k) { return s < k.step; });
    if (it == knots_.begin())
      throw std::logic_error("dopamine integral: window starts before the history kept");
    return static_cast<std::size_t>(it - knots_.begin()) - 1;
  }

  // I(t1, t2) inside the interval of knot j: T_j <= t1 <= t2 <= T_{j+1}.
  // Terms that are exactly zero (level at d0, d0 = b) are not computed.
  [[gnu::always_inline]] double direct(std::size_t j, Step t1, Step t2) const {
    const Knot& k = knots_[j];
    if (half_ > 0.0)
      return occupied((k.level - d0_) * d_table_.decay(t1 - k.step),
                      static_cast<double>(t2 - t1) * dt_);
    double sum = 0.0;
    if (k.level != d0_)
      sum += (k.level - d0_) * d_table_.decay(t1 - k.step) * tau_s_ * s_table_.one_minus(t2 - t1);
    if (d0_ != b_) sum += (d0_ - b_) * tau_c_ * c_table_.one_minus(t2 - t1);
    return sum;
  }

  // I(T_a, T_z) for knots a <= z, one block at a time. Inlined into integral()
  // (GCC stops doing so by itself once integral_to() also calls integral()).
  [[gnu::always_inline]] double knot_to_knot(std::size_t a, std::size_t z) const {
    double sum = 0.0, weight = 1.0;
    std::size_t i = a;
    while (i < z) {
      // The last knot in [i, z] of i's block (blocks are contiguous, R ascending).
      std::size_t e = z;
      if (knots_[z].R != knots_[i].R)
        e = static_cast<std::size_t>(
                std::upper_bound(knots_.begin() + static_cast<std::ptrdiff_t>(i),
                                 knots_.begin() + static_cast<std::ptrdiff_t>(z), knots_[i].R,
                                 [](Step r, const Knot& k) { return r < k.R; }) -
                knots_.begin()) -
            1;
      if (e > i) {
        const double scale =
            std::exp(static_cast<double>(knots_[i].step - knots_[i].R) * dt_ / tau_c_);
        sum += weight * scale * (knots_[e].K - knots_[i].K);
        weight *= decay(knots_[e].step - knots_[i].step);
        i = e;
      }
      if (i < z) {  // into the next block
        sum += weight * direct(i, knots_[i].step, knots_[i + 1].step);
        weight *= decay(knots_[i + 1].step - knots_[i].step);
        ++i;
      }
    }
    return sum;
  }

  void append(const DopamineVolume::Knot& k) {
    if (track_) note_sign_changes(k);
    const Knot& last = knots_.back();
    if (k.step - last.R > block_) {
      knots_.push_back({k.step, k.level, 0.0, k.step});
      return;
    }
    const double piece = direct(knots_.size() - 1, last.step, k.step);
    const double K = last.K + decay(last.step - last.R) * piece;
    knots_.push_back({k.step, k.level, K, last.R});
  }

  // I(t1, x) inside the interval of knot j, x real: T_j <= t1 <= x <= T_{j+1}.
  double direct_to(std::size_t j, Step t1, double x) const {
    const Knot& k = knots_[j];
    const double len = (x - static_cast<double>(t1)) * dt_;
    if (half_ > 0.0) return occupied((k.level - d0_) * d_table_.decay(t1 - k.step), len);
    double sum = 0.0;
    if (k.level != d0_)
      sum += (k.level - d0_) * d_table_.decay(t1 - k.step) * tau_s_ * -std::expm1(-len / tau_s_);
    if (d0_ != b_) sum += (d0_ - b_) * tau_c_ * -std::expm1(-len / tau_c_);
    return sum;
  }

  // ∫ e^{−s/τ_c} (φ(d0 + A e^{−s/τ_d}) − φ(b)) ds over [0, len] (ms); kept
  // out of line so that the linear path stays as compact as before.
  [[gnu::noinline]] double occupied(double A, double len) const {
    return occupancy_integral(A, d0_, b_, half_, tau_c_, tau_d_, len);
  }

  // The time (steps) at which d crosses b inside the interval of knot k if no
  // later knot comes first, or +∞.
  double crossing(const Knot& k) const {
    if (k.level == d0_) return HUGE_VAL;
    const double ratio = (b_ - d0_) / (k.level - d0_);  // e^{−(t − T)/τ_d} at the crossing
    if (!(ratio > 0.0 && ratio < 1.0)) return HUGE_VAL;
    return static_cast<double>(k.step) - tau_d_ / dt_ * std::log(ratio);
  }

  static int sign(double v) { return (v > 0.0) - (v < 0.0); }

  // Before knot k joins: the pending crossing of the last interval if it came
  // before k, and a change at k itself if the jump crosses b.
  void note_sign_changes(const DopamineVolume::Knot& k) {
    const Knot& last = knots_.back();
    const auto at = static_cast<double>(k.step);
    if (pending_ < at) changes_.push_back(pending_);
    const double before = d0_ + (last.level - d0_) * d_table_.decay(k.step - last.step);
    if (sign(before - b_) != sign(k.level - b_) && (changes_.empty() || changes_.back() < at))
      changes_.push_back(at);
    pending_ = crossing({k.step, k.level, 0.0, k.step});
  }

  DecayTable c_table_, d_table_, s_table_;
  double dt_ = 0.1, tau_c_ = 1000.0, tau_d_ = 200.0, tau_s_ = 1000.0 / 6.0, d0_ = 0.0, b_ = 0.0;
  double half_ = 0.0;  // > 0: integrate φ(d) − φ(b) (receptor occupancy), not d − b
  Step block_ = 1;
  std::uint64_t consumed_ = 0;
  std::vector<Knot> knots_;
  bool track_ = false;
  std::vector<double> changes_;  // sign changes of d − b [steps, real], increasing
  double pending_ = HUGE_VAL;    // the crossing inside the last knot's interval
};

}  // namespace bgsim
