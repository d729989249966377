#include "networks/connection_rules.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "core/printable.hpp"
#include "core/random.hpp"

namespace bgsim::networks {

const std::vector<std::string>& connection_rule_names() {
  static const std::vector<std::string> names{
      "all_to_all",     "one_to_one",      "fixed_probability",  "pairwise_bernoulli",
      "fixed_indegree", "fixed_outdegree", "fixed_total_number", "explicit"};
  return names;
}

const ConnectionRuleInfo* connection_rule_info(const std::string& name) {
  const ConnectionRuleKey autapses{"allow_autapses", "boolean", "true",
                                   "i -> i allowed when source and target are the same population"};
  const ConnectionRuleKey multapses{"allow_multapses", "boolean", "true",
                                    "a (source, target) pair may be drawn more than once"};
  static const std::vector<ConnectionRuleInfo> infos{
      {"all_to_all", "every source neuron to every target neuron", "", {autapses}},
      {"one_to_one", "source i to target i (populations of equal size)", "", {}},
      {"fixed_probability",
       "each (source, target) pair independently with probability p",
       "",
       {{"p", "probability in [0, 1]", "", "connection probability of each pair"}, autapses}},
      {"pairwise_bernoulli",
       "each (source, target) pair independently with probability p",
       "fixed_probability",
       {{"p", "probability in [0, 1]", "", "connection probability of each pair"}, autapses}},
      {"fixed_indegree",
       "each target neuron draws `indegree` source neurons uniformly",
       "",
       {{"indegree", "whole number >= 0", "", "synapses onto each target neuron"},
        autapses,
        multapses}},
      {"fixed_outdegree",
       "each source neuron draws `outdegree` target neurons uniformly",
       "",
       {{"outdegree", "whole number >= 0", "", "synapses from each source neuron"},
        autapses,
        multapses}},
      {"fixed_total_number",
       "`n` (source, target) pairs drawn uniformly over all pairs",
       "",
       {{"n", "whole number >= 0", "", "synapses in all"}, autapses, multapses}},
      {"explicit",
       "the synapses as given: arrays of source and target indices, weights [unit of the "
       "target receptor] and delays [ms] (a saved \"connections\" recorder, a .npy or .csv "
       "file, or lists; docs/description.md)",
       "",
       {{"connections", "file or arrays", "",
         "\"file.npy\" (records source, target[, weight][, delay_ms]), \"file.csv\" (a header "
         "row naming those columns) or {\"source\": [...], \"target\": [...], \"weight\": "
         "[...], \"delay_ms\": [...]} (lists or 1-D .npy paths); paths relative to the "
         "description file; weight and delay_ms may instead come from the synapse"}}},
  };
  for (const auto& i : infos)
    if (i.name == name) return &i;
  return nullptr;
}

namespace {
using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Uniform integer in [0, n), unbiased (Lemire's multiply-shift with rejection).
std::uint32_t draw_index(RandomStream& rng, std::uint32_t n) {
  std::uint64_t m = std::uint64_t{rng()} * n;
  auto low = static_cast<std::uint32_t>(m);
  if (low < n) {
    const std::uint32_t threshold = static_cast<std::uint32_t>(-n) % n;
    while (low < threshold) {
      m = std::uint64_t{rng()} * n;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32);
}

// `k` draws from [0, pool) for the neuron `self` (excluded when autapses are
// off); without multapses the draws are distinct.
std::vector<std::uint32_t> draw_partners(RandomStream& rng, std::uint64_t k, std::uint32_t pool,
                                         std::int64_t self, bool multapses) {
  std::vector<std::uint32_t> out;
  out.reserve(k);
  std::unordered_set<std::uint32_t> seen;
  while (out.size() < k) {
    const std::uint32_t j = draw_index(rng, pool);
    if (static_cast<std::int64_t>(j) == self) continue;
    if (!multapses && !seen.insert(j).second) continue;
    out.push_back(j);
  }
  return out;
}
}  // namespace

Pairs connect(const ConnectionRule& r, std::size_t n_source, std::size_t n_target,
              bool same_population, std::uint64_t seed, std::uint32_t stream_id) {
  Pairs pairs;
  connect_each(r, n_source, n_target, same_population, seed, stream_id,
               [&](std::uint32_t s, std::uint32_t t) { pairs.emplace_back(s, t); });
  return pairs;
}

void connect_each(const ConnectionRule& r, std::size_t n_source, std::size_t n_target,
                  bool same_population, std::uint64_t seed, std::uint32_t stream_id,
                  const std::function<void(std::uint32_t, std::uint32_t)>& visit) {
  const bool no_autapses = same_population && !r.allow_autapses;
  const auto ns = static_cast<std::uint32_t>(n_source);
  const auto nt = static_cast<std::uint32_t>(n_target);
  if (r.rule == "explicit")
    throw std::invalid_argument("explicit connections are given as arrays, not drawn by a rule");
  if (r.rule == "all_to_all") {
    for (std::uint32_t s = 0; s < ns; ++s)
      for (std::uint32_t t = 0; t < nt; ++t)
        if (!(no_autapses && s == t)) visit(s, t);
  } else if (r.rule == "one_to_one") {
    if (ns != nt)
      throw std::invalid_argument("one_to_one needs populations of equal size, got " +
                                  std::to_string(ns) + " and " + std::to_string(nt));
    if (!no_autapses)
      for (std::uint32_t i = 0; i < ns; ++i)
        visit(i, i);
  } else if (r.rule == "fixed_probability" || r.rule == "pairwise_bernoulli") {
    if (!(r.p >= 0.0 && r.p <= 1.0))
      throw std::invalid_argument("p must be in [0, 1], got " + std::to_string(r.p));
    // One stream per source; targets in increasing order.
    for (std::uint32_t s = 0; s < ns; ++s) {
      RandomStream rng(seed, Purpose::connectivity, s, stream_id);
      for (std::uint32_t t = 0; t < nt; ++t) {
        const double u = rng.uniform();
        if (u <= r.p && r.p > 0.0 && !(no_autapses && s == t)) visit(s, t);
      }
    }
  } else if (r.rule == "fixed_indegree") {
    const std::uint64_t pool = ns - (no_autapses ? 1 : 0);
    if (!r.allow_multapses && r.indegree > pool)
      throw std::invalid_argument("indegree " + std::to_string(r.indegree) + " exceeds the " +
                                  std::to_string(pool) + " possible sources without multapses");
    if (r.indegree > 0 && pool == 0)
      throw std::invalid_argument("indegree > 0 but there is no source to draw from");
    for (std::uint32_t t = 0; t < nt; ++t) {
      RandomStream rng(seed, Purpose::connectivity, t, stream_id);
      for (std::uint32_t s :
           draw_partners(rng, r.indegree, ns, no_autapses ? t : -1, r.allow_multapses))
        visit(s, t);
    }
  } else if (r.rule == "fixed_outdegree") {
    const std::uint64_t pool = nt - (no_autapses ? 1 : 0);
    if (!r.allow_multapses && r.outdegree > pool)
      throw std::invalid_argument("outdegree " + std::to_string(r.outdegree) + " exceeds the " +
                                  std::to_string(pool) + " possible targets without multapses");
    if (r.outdegree > 0 && pool == 0)
      throw std::invalid_argument("outdegree > 0 but there is no target to draw from");
    for (std::uint32_t s = 0; s < ns; ++s) {
      RandomStream rng(seed, Purpose::connectivity, s, stream_id);
      for (std::uint32_t t :
           draw_partners(rng, r.outdegree, nt, no_autapses ? s : -1, r.allow_multapses))
        visit(s, t);
    }
  } else if (r.rule == "fixed_total_number") {
    const std::uint64_t all = std::uint64_t{ns} * nt - (no_autapses ? std::min(ns, nt) : 0);
    if (!r.allow_multapses && r.n > all)
      throw std::invalid_argument("n = " + std::to_string(r.n) + " exceeds the " +
                                  std::to_string(all) + " possible pairs without multapses");
    if (r.n > 0 && all == 0) throw std::invalid_argument("n > 0 but there is no pair to draw");
    // The only rule that holds all its pairs at once: it draws them in
    // random order and lists them by source.
    Pairs pairs;
    RandomStream rng(seed, Purpose::connectivity, 0, stream_id);
    std::unordered_set<std::uint64_t> seen;
    while (pairs.size() < r.n) {
      const std::uint32_t s = draw_index(rng, ns), t = draw_index(rng, nt);
      if (no_autapses && s == t) continue;
      if (!r.allow_multapses && !seen.insert(std::uint64_t{s} * nt + t).second) continue;
      pairs.emplace_back(s, t);
    }
    // Sources in order, as the other rules: delivery then streams through rows.
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [s, t] : pairs)
      visit(s, t);
  } else {
    throw std::invalid_argument("unknown connection rule " + quote(r.rule));
  }
}

}  // namespace bgsim::networks
