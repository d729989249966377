#include "tools/cli/folder_lock.hpp"

#include <iostream>

#include "core/printable.hpp"

namespace bgsim::cli {

std::filesystem::path output_folder(const std::string& file, const std::string& out) {
  return out.empty() ? std::filesystem::path("results") / std::filesystem::path(file).stem()
                     : std::filesystem::path(out);
}

io::ResultsFolder* open_output_folder(std::optional<LockedFolder>& slot,
                                      const std::filesystem::path& dir, bool overwrite) {
  try {
    slot.emplace(dir, overwrite);
    return &slot->folder();
  } catch (const std::exception& e) {
    std::cerr << "bgsim: " << printable(e.what()) << "\n";
    return nullptr;
  }
}

}  // namespace bgsim::cli
