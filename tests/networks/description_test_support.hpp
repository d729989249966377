#pragma once
// Reading a description in tests: its diagnostics as "pointer: message"
// lines, and an assertion that one of them sits at a JSON pointer and says
// given words.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "networks/description.hpp"

namespace bgsim::networks::test {

inline std::vector<std::string> problems(const json& doc) {
  Diagnostics diag;
  read_experiment(doc, diag);
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
