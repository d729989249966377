// docs/models.md documents every registered model: a section per model whose
// parameter table has a row for each parameter with its unit and default, and
// that names each preset. The table the model validates against is the one
// the documentation shows.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/neuromodulator.hpp"
#include "core/registry.hpp"

namespace bgsim {
namespace {

std::string read_doc() {
  std::ifstream in(std::string(BGSIM_SOURCE_DIR) + "/docs/models.md");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The section of `doc` under the heading that names `model` in backticks.
std::string section(const std::string& doc, const std::string& model) {
  for (const char* level : {"\n## `", "\n### `"}) {
    const std::size_t at = doc.find(level + model + "`");
    if (at == std::string::npos) continue;
    const std::size_t end = doc.find("\n#", at + 1);
    return doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
  }
  return "";
}

std::string format_default(const ParamValue& v) {
  std::ostringstream s;
  if (const double* d = std::get_if<double>(&v)) {
    s << *d;
  } else if (const std::string* str = std::get_if<std::string>(&v)) {
    s << "`" << *str << "`";
  } else if (const auto* list = std::get_if<std::vector<double>>(&v)) {
    s << "[";
    for (std::size_t i = 0; i < list->size(); ++i)
      s << (i ? ", " : "") << (*list)[i];
    s << "]";
  } else {
    s << "[]";
  }
  return s.str();
}

void expect_rows(const std::string& name, const std::string& text,
                 const std::vector<ParamInfo>& params, const ParamMap& defaults) {
  SCOPED_TRACE(name);
  ASSERT_FALSE(text.empty()) << "docs/models.md has no section for " << name;
  for (const ParamInfo& p : params) {
    const std::string row = "| `" + p.name + "` | " + (p.unit.empty() ? "-" : p.unit) + " | " +
                            format_default(defaults.at(p.name)) + " | " + describe_constraint(p) +
                            " |";
    EXPECT_NE(text.find(row), std::string::npos) << "missing row: " << row;
  }
}

TEST(ModelDocs, EveryModelParameterIsDocumentedWithUnitAndDefault) {
  const std::string doc = read_doc();
  ASSERT_FALSE(doc.empty());
  for (const std::string& name : PopulationModels::instance().names()) {
    if (name.rfind("test_", 0) == 0) continue;  // models defined by tests
    const PopulationModel& m = *PopulationModels::instance().find(name);
    const std::string text = section(doc, name);
    expect_rows(name, text, m.params, m.create("p", 1, {})->params());
    for (const auto& [preset, values] : m.presets)
      EXPECT_NE(text.find("`" + preset + "`"), std::string::npos) << name << ": preset " << preset;
  }
  for (const std::string& name : DeviceModels::instance().names()) {
    const DeviceModel& m = *DeviceModels::instance().find(name);
    expect_rows(name, section(doc, name), m.params, m.create("d", 0, 0, {})->params());
  }
  for (const std::string& name : SynapseModels::instance().names()) {
    const SynapseModel& m = *SynapseModels::instance().find(name);
    expect_rows(name, section(doc, name), m.params, m.resolve({}));
  }
  expect_rows("dopamine", section(doc, "dopamine"), DopamineVolume::param_table().infos(),
              DopamineVolume("da", {}).param_map());
}

}  // namespace
}  // namespace bgsim
