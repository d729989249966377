#include "tasks/representations/stimulus_representation.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

namespace bgsim::tasks {
namespace {

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  std::ostringstream msg;
  msg << "RepresentationParams." << field << " = " << value << " is not allowed: " << allowed;
  throw std::invalid_argument(msg.str());
}

}  // namespace

StimulusRepresentation::StimulusRepresentation(const RepresentationParams& params)
    : params_(params) {
  const RepresentationParams& p = params_;
  if (p.n_channels < 1) refuse("n_channels", p.n_channels, "it must be at least 1");
  switch (p.kind) {
    case Representation::complete_serial_compound:
    case Representation::blurred_csc:
      if (p.n_steps < 1) refuse("n_steps", p.n_steps, "it must be at least 1");
      units_per_channel_ = p.n_steps;
      break;
    case Representation::presence:
      units_per_channel_ = 1;
      break;
    case Representation::microstimulus:
      units_per_channel_ = p.n_microstimuli;
      break;
  }
  if (p.kind == Representation::microstimulus) {
    if (p.n_microstimuli < 1) refuse("n_microstimuli", p.n_microstimuli, "it must be at least 1");
    if (!std::isfinite(p.microstimulus_width) || p.microstimulus_width <= 0.0) {
      refuse("microstimulus_width", p.microstimulus_width, "it must be finite and positive");
    }
    if (!std::isfinite(p.trace_decay) || p.trace_decay <= 0.0 || p.trace_decay > 1.0) {
      refuse("trace_decay", p.trace_decay, "it must lie in (0, 1]");
    }
  }
  if (p.kind == Representation::blurred_csc) {
    if (!std::isfinite(p.blur_sd_steps) || p.blur_sd_steps < 0.0) {
      refuse("blur_sd_steps", p.blur_sd_steps, "it must be finite and ≥ 0, in steps");
    }
    if (!std::isfinite(p.blur_weber_fraction) || p.blur_weber_fraction < 0.0) {
      refuse("blur_weber_fraction", p.blur_weber_fraction, "it must be finite and ≥ 0");
    }
  }
  n_features_ = p.n_channels * units_per_channel_;
}

Eigen::SparseMatrix<double> StimulusRepresentation::trial_features(
    const std::vector<StimulusInterval>& stimuli, int n_steps) const {
  if (n_steps < 1) {
    throw std::invalid_argument("StimulusRepresentation::trial_features: n_steps = " +
                                std::to_string(n_steps) + " is not allowed: at least 1");
  }
  const RepresentationParams& p = params_;
  std::vector<Eigen::Triplet<double>> entries;
  for (const StimulusInterval& s : stimuli) {
    if (s.channel < 0 || s.channel >= p.n_channels) {
      std::ostringstream msg;
      msg << "StimulusRepresentation::trial_features: channel " << s.channel
          << " is not allowed: the representation has channels 0 … " << p.n_channels - 1;
      throw std::invalid_argument(msg.str());
    }
    const int base = s.channel * units_per_channel_;
    const int first = std::max(s.on_step, 0);
    switch (p.kind) {
      case Representation::complete_serial_compound:
        for (int k = first; k < n_steps; ++k) {
          const int e = k - s.on_step;
          if (e < units_per_channel_) entries.emplace_back(base + e, k, 1.0);
        }
        break;
      case Representation::presence:
        for (int k = first; k < std::min(s.off_step, n_steps); ++k)
          entries.emplace_back(base, k, 1.0);
        break;
      case Representation::microstimulus: {
        const double m = p.n_microstimuli;
        const double sigma = p.microstimulus_width;
        for (int k = first; k < n_steps; ++k) {
          const double y = std::pow(p.trace_decay, k - s.on_step);
          for (int i = 1; i <= p.n_microstimuli; ++i) {
            const double mu = i / m;
            const double f = std::exp(-(y - mu) * (y - mu) / (2.0 * sigma * sigma)) *
                             std::numbers::inv_sqrtpi / std::numbers::sqrt2;
            entries.emplace_back(base + i - 1, k, y * f);
          }
        }
        break;
      }
      case Representation::blurred_csc:
        for (int k = first; k < n_steps; ++k) {
          const int e = k - s.on_step;
          const double sd = p.blur_sd_steps + p.blur_weber_fraction * e;
          if (sd <= 0.0) {
            if (e < units_per_channel_) entries.emplace_back(base + e, k, 1.0);
            continue;
          }
          const int reach = static_cast<int>(std::ceil(5.0 * sd));
          const int lo = std::max(0, e - reach);
          const int hi = std::min(units_per_channel_ - 1, e + reach);
          if (lo > hi) continue;  // the blurred unit lies wholly past the last unit
          double total = 0.0;
          for (int j = lo; j <= hi; ++j)
            total += std::exp(-(j - e) * (j - e) / (2.0 * sd * sd));
          for (int j = lo; j <= hi; ++j) {
            entries.emplace_back(base + j, k,
                                 std::exp(-(j - e) * (j - e) / (2.0 * sd * sd)) / total);
          }
        }
        break;
    }
  }
  Eigen::SparseMatrix<double> x(n_features_, n_steps);
  x.setFromTriplets(entries.begin(), entries.end());
  return x;
}

}  // namespace bgsim::tasks
