#pragma once
// The activation φ ∈ [0, 1] of a cell's dopamine receptor from the level d
// of the volume the cell reads (the neuron models with a
// `dopamine_receptor`: izhikevich_book, lif_psc_exp):
//   linear:      φ = min(max(phi_gain · d, 0), 1)
//   saturating:  φ = d⁺ / (d⁺ + phi_half),  d⁺ = max(d, 0)
// The saturating form is receptor occupancy by mass action with one binding
// site, phi_half the level of half occupancy (Dreyer et al. 2010, J Neurosci
// 30:14273).
//
// Those models share the parameters that choose the receptor and its
// activation (`dopamine_receptor`, `phi`, `activation`, `phi_gain`,
// `phi_half`, members of the same names in their Params) and the rules about
// them; what the activation then modulates is each model's own.

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "core/parameters.hpp"

namespace bgsim::models {

inline double dopamine_activation(bool saturating, double phi_gain, double phi_half, double level) {
  if (saturating) {
    const double x = std::max(level, 0.0);
    return x / (x + phi_half);
  }
  return std::clamp(phi_gain * level, 0.0, 1.0);
}

// A LIF cell's receptor as its update reads it (lif_psc_exp, lif_cond_exp):
// 0 none, 1 D1, 2 D2; and the factor it puts on the cell's excitatory input
// at activation φ: 1 + d1_beta φ (D1), 1 − d2_beta φ (D2), 1 without one.
inline int lif_receptor(const std::string& name) {
  return name == "D1" ? 1 : name == "D2" ? 2 : 0;
}
inline double excitatory_gain(int receptor, double d1_beta, double d2_beta, double phi) {
  return receptor == 1 ? 1.0 + d1_beta * phi : receptor == 2 ? 1.0 - d2_beta * phi : 1.0;
}

// The parameter rows of the receptor and its activation; `receptor_meaning`
// says what the receptor does in the model.
template <class P>
std::vector<typename ParamTable<P>::Entry> dopamine_receptor_entries(
    const std::string& receptor_meaning) {
  return {
      {{"dopamine_receptor", "", Constraint::choice, receptor_meaning, {"none", "D1", "D2"}},
       &P::dopamine_receptor},
      {{"phi", "1", Constraint::unit_interval,
        "fixed activation of the dopamine receptor, when no neuromodulator is read"},
       &P::phi},
      {{"activation",
        "",
        Constraint::choice,
        "receptor activation from the level read: linear clamp(phi_gain*level, 0, 1), or "
        "saturating level/(level + phi_half)",
        {"linear", "saturating"}},
       &P::activation},
      {{"phi_gain", "1", Constraint::nonnegative,
        "linear activation: phi per unit of dopamine level"},
       &P::phi_gain},
      {{"phi_half", "1", Constraint::positive,
        "saturating activation: the dopamine level of half activation"},
       &P::phi_half},
  };
}

inline std::string receptor_number(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

// A fixed activation without a receptor acts on nothing: refused.
inline void check_dopamine_receptor(const std::string& receptor, double phi,
                                    std::vector<ParamError>& errors) {
  if (receptor == "none" && phi != 0.0)
    errors.push_back({"phi", "a receptor activation of " + receptor_number(phi) +
                                 " acts on nothing while dopamine_receptor is \"none\": "
                                 "set dopamine_receptor to \"D1\" or \"D2\""});
}

// Why a population of such a model cannot read a neuromodulator ("" if it
// can); `presets` names presets with a receptor, or is empty.
inline std::string cannot_read_dopamine(const std::string& receptor, double phi,
                                        const std::string& presets) {
  if (receptor == "none")
    return "its dopamine_receptor is \"none\", so the level would act on nothing: set "
           "\"dopamine_receptor\" to \"D1\" or \"D2\" in its params" +
           (presets.empty() ? std::string() : " (or use preset " + presets + ")");
  if (phi != 0.0)
    return "its fixed receptor activation phi = " + receptor_number(phi) +
           " would be ignored, since phi comes from the level of the neuromodulator read: leave "
           "phi at 0";
  return "";
}

}  // namespace bgsim::models
