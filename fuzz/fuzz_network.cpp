// libFuzzer target: the network description reader on arbitrary bytes, as
// `bgsim validate` reads a file — parse, read and check, estimate the memory
// — and never build or run. Any crash, hang, leak or sanitizer report is a
// bug: a description must be refused with a message, whatever it holds.
// Run it with tools/fuzz.sh (docs/reliability.md).

#include <cstddef>
#include <cstdint>
#include <string>

#include "networks/loader.hpp"
#include "networks/memory_estimate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace bgsim::networks;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Diagnostics diag;
  const auto doc = parse_json(text, "fuzz.json", diag);
  if (!doc || !doc->is_object() || doc->contains("include")) return 0;  // no files
  const NetworkSpec spec = read_network(*doc, diag);
  const MemoryEstimate estimate = estimate_memory(spec);
  (void)estimate.summary();
  (void)diag.str();
  (void)diag.warnings_str();
  return 0;
}
