#pragma once
// `bgsim list` and `bgsim describe`: what bgsim offers, read from the model
// registries, so that every model's documentation comes from its own table.

#include <ostream>
#include <string>

namespace bgsim::cli {

void list_everything(std::ostream& out);
// Returns false (and says so on `err`) when no model of that name exists.
bool describe(const std::string& name, std::ostream& out, std::ostream& err);

}  // namespace bgsim::cli
