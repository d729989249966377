#include "python/src/reading.hpp"

#include "core/printable.hpp"
#include "networks/overrides.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::python {

namespace {

// The second half of reading, shared by files and text: the overrides, as
// `bgsim run --set` applies them; then an experiment is checked as `bgsim
// validate` checks it, and a network is read into its spec.
void read_document(Reading& r, const std::filesystem::path& base,
                   const std::vector<std::string>& sets) {
  if (!r.diag.ok()) return;
  networks::apply_overrides(r.loaded.document, networks::parse_overrides(sets, r.diag), r.diag);
  if (!r.diag.ok()) return;
  r.is_experiment = r.loaded.document.contains("experiment");
  if (r.is_experiment) {
    tasks::read_experiment_description(r.loaded.document, r.diag, base);
    return;
  }
  networks::NetworkSpec spec = networks::read_network(r.loaded.document, r.diag, r.loaded.origin);
  if (r.diag.ok()) r.spec = std::move(spec);
}

}  // namespace

Reading read_file(const std::filesystem::path& file, const std::string& label,
                  const std::optional<std::filesystem::path>& base,
                  const std::vector<std::string>& sets) {
  Reading r;
  r.label = label.empty() ? file.string() : label;
  r.loaded = networks::load_description(file, r.diag);
  read_document(r, base ? *base : file.parent_path(), sets);
  return r;
}

Reading read_text(const std::string& text, const std::string& label,
                  const std::filesystem::path& base, const std::vector<std::string>& sets) {
  Reading r;
  r.label = label;
  if (auto doc = networks::parse_json(text, label, r.diag)) {
    if (doc->is_object())
      r.loaded.document = std::move(*doc);
    else
      r.diag.error("", "a description must be a JSON object", label);
  }
  read_document(r, base, sets);
  return r;
}

std::string problems_text(const Reading& r) {
  const auto n = r.diag.items().size();
  return r.diag.str() + printable(r.label) + ": " + std::to_string(n) +
         (n == 1 ? " problem" : " problems");
}

}  // namespace bgsim::python
