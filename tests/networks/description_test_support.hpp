#pragma once
// Shared by the description tests: the diagnostics of a document, and an
// assertion that one of them sits at a JSON pointer and says given words.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "networks/description.hpp"

namespace bgsim::networks::test {

// The diagnostics of a document, as "pointer: message" lines.
inline std::vector<std::string> problems(const json& doc) {
  Diagnostics diag;
  read_network(doc, diag);
  std::vector<std::string> out;
  for (const auto& d : diag.items())
    out.push_back(d.pointer + ": " + d.message);
  return out;
}

inline ::testing::AssertionResult reports(const json& doc, const std::string& pointer,
                                          const std::string& words) {
  const auto ps = problems(doc);
  for (const auto& p : ps)
    if (p.rfind(pointer + ": ", 0) == 0 && p.find(words) != std::string::npos)
      return ::testing::AssertionSuccess();
  std::string all;
  for (const auto& p : ps)
    all += "\n  " + p;
  return ::testing::AssertionFailure()
         << "no \"" << words << "\" at " << pointer << "; got:" << all;
}

}  // namespace bgsim::networks::test
