// libFuzzer target: the experiment reader on arbitrary bytes, as `bgsim
// validate` reads an experiment file — parse, read every parameter of its
// kind and check them — and never run it. Network files an experiment names
// are read from the folder of the ready experiments (fuzz/CMakeLists.txt
// passes it), so the seeds' networks are found. Any crash, hang, leak or
// sanitizer report is a bug (docs/reliability.md).

#include <cstddef>
#include <cstdint>
#include <string>

#include "networks/loader.hpp"
#include "tasks/experiment.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bgsim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  networks::Diagnostics diag;
  const auto doc = networks::parse_json(text, "fuzz.json", diag);
  if (!doc || !doc->is_object()) return 0;
  const tasks::ExperimentDescription exp =
      tasks::read_experiment_description(*doc, diag, BGSIM_EXPERIMENTS_DIR);
  (void)exp;
  (void)diag.str();
  return 0;
}
