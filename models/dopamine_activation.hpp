#pragma once
// The activation φ ∈ [0, 1] of a cell's dopamine receptor from the level d
// of the volume the cell reads (the neuron models with a
// `dopamine_receptor`: izhikevich_book, lif_psc_exp):
//   linear:      φ = min(max(phi_gain · d, 0), 1)
//   saturating:  φ = d⁺ / (d⁺ + phi_half),  d⁺ = max(d, 0)
// The saturating form is receptor occupancy by mass action with one binding
// site, phi_half the level of half occupancy (Dreyer et al. 2010, J Neurosci
// 30:14273).

#include <algorithm>

namespace bgsim::models {

inline double dopamine_activation(bool saturating, double phi_gain, double phi_half, double level) {
  if (saturating) {
    const double x = std::max(level, 0.0);
    return x / (x + phi_half);
  }
  return std::clamp(phi_gain * level, 0.0, 1.0);
}

}  // namespace bgsim::models
