#include "tasks/loop/selection_score.hpp"

#include "tasks/environments/probabilistic_selection.hpp"

namespace bgsim::tasks::loop {

namespace {
constexpr int kA = 0, kB = 1;
}

void SelectionScore::add(const StepRecord& s) {
  choices_.push_back({s.trial, s.state, s.action});
}

nlohmann::json SelectionScore::summary(std::int64_t training_trials, int trials_per_block) const {
  using Task = ProbabilisticSelectionTask;
  std::vector<std::array<double, 3>> right, shown;  // per training block: AB, CD, EF
  double chose_a = 0, with_a = 0, avoided_b = 0, with_b = 0;
  for (const Choice& c : choices_) {
    const auto [first, second] = Task::pair(c.pair);
    if (c.trial < training_trials) {
      if (c.pair > 2) continue;
      const auto block = static_cast<std::size_t>(c.trial / trials_per_block);
      if (right.size() <= block) {
        right.resize(block + 1, {0, 0, 0});
        shown.resize(block + 1, {0, 0, 0});
      }
      shown[block][c.pair] += 1;
      right[block][c.pair] += c.action == first ? 1 : 0;  // A, C, E come first
      continue;
    }
    if (c.pair < 3) continue;  // the test's novel pairs only
    if (first == kA) {
      with_a += 1;
      chose_a += c.action == kA ? 1 : 0;
    }
    if (first == kB || second == kB) {
      with_b += 1;
      avoided_b += c.action >= 0 && c.action != kB ? 1 : 0;
    }
  }
  nlohmann::json blocks = nlohmann::json::array();
  for (std::size_t b = 0; b < right.size(); ++b) {
    nlohmann::json row = nlohmann::json::object();
    const char* names[3] = {"AB", "CD", "EF"};
    for (int p = 0; p < 3; ++p)
      row[names[p]] = shown[b][p] > 0 ? right[b][p] / shown[b][p] : 0.0;
    blocks.push_back(row);
  }
  const auto fraction = [](double x, double n) {
    return n > 0 ? nlohmann::json(x / n) : nlohmann::json(nullptr);
  };
  const nlohmann::json a = fraction(chose_a, with_a), b = fraction(avoided_b, with_b);
  return {{"training_accuracy_by_block", blocks},
          {"choose_a", a},
          {"avoid_b", b},
          {"choose_a_minus_avoid_b", a.is_null() || b.is_null()
                                         ? nlohmann::json(nullptr)
                                         : nlohmann::json(a.get<double>() - b.get<double>())},
          {"test_trials_with_a", with_a},
          {"test_trials_with_b", with_b}};
}

}  // namespace bgsim::tasks::loop
