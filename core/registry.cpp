#include "core/registry.hpp"

#include "core/printable.hpp"

namespace bgsim {

std::unique_ptr<Population> make_population(const std::string& model, const std::string& name,
                                            std::size_t size, const ParamMap& params,
                                            const std::string& preset) {
  const PopulationModel* m = PopulationModels::instance().find(model);
  if (!m) {
    std::string hint = nearest_name(model, PopulationModels::instance().names());
    throw std::invalid_argument("unknown model " + quote(model) +
                                (hint.empty() ? "" : "; did you mean " + quote(hint) + "?"));
  }
  ParamMap merged;
  if (!preset.empty()) {
    auto it = m->presets.find(preset);
    if (it == m->presets.end()) {
      std::vector<std::string> names;
      for (const auto& [k, v] : m->presets)
        names.push_back(k);
      std::string hint = nearest_name(preset, names);
      throw std::invalid_argument("model " + quote(model) + " has no preset " + quote(preset) +
                                  (hint.empty() ? "" : "; did you mean " + quote(hint) + "?"));
    }
    merged = it->second;
  }
  for (const auto& [k, v] : params)
    merged[k] = v;
  return m->create(name, size, merged);
}

}  // namespace bgsim
