#pragma once
// A spiking learner for tests on the probabilistic selection task that
// learns nothing: stimulus populations s0…s5 that the encoding switches on,
// action populations a0…a5 of Poisson cells at fixed rates, and a tonic
// "snc" to monitor. Which action wins depends only on the rates (and on the
// two stimuli a trial offers).

#include <array>
#include <string>

#include <nlohmann/json.hpp>

namespace bgsim::tasks::test {

struct SelectionChooser {
  nlohmann::json network;   // {"resolution_ms", "populations"}
  nlohmann::json encoding;  // stimulus k switches s_k on
  nlohmann::json actions;   // ["a0", …, "a5"], for the decoding
};

inline SelectionChooser selection_chooser(const std::array<double, 6>& action_rates_Hz,
                                          int action_size) {
  SelectionChooser c;
  nlohmann::json pops = nlohmann::json::object();
  c.encoding = nlohmann::json::array();
  c.actions = nlohmann::json::array();
  pops["snc"] = {{"model", "poisson_source"}, {"size", 10}, {"params", {{"rate_Hz", 5}}}};
  for (int k = 0; k < 6; ++k) {
    // Appended, not "s" + …: GCC 12 warns falsely (-Wrestrict) on that form.
    std::string s(1, 's'), a(1, 'a');
    s += std::to_string(k);
    a += std::to_string(k);
    pops[s] = {{"model", "poisson_source"}, {"size", 5}, {"params", {{"rate_Hz", 0}}}};
    pops[a] = {{"model", "poisson_source"},
               {"size", action_size},
               {"params", {{"rate_Hz", action_rates_Hz[static_cast<std::size_t>(k)]}}}};
    c.encoding.push_back({{"stimuli", {k}}, {"inputs", {{{"target", s}, {"value", 10}}}}});
    c.actions.push_back(a);
  }
  c.network = {{"resolution_ms", 1.0}, {"populations", pops}};
  return c;
}

}  // namespace bgsim::tasks::test
