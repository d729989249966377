// Connection rules: exact counts where the rule fixes them, distinctness and
// autapse exclusion where asked, a chi-squared test of the degree distribution
// of fixed_probability, and clear refusals of impossible rules.

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "networks/connection_rules.hpp"

namespace bgsim::networks {
namespace {

TEST(ConnectionRules, FixedIndegreeGivesExactInDegrees) {
  ConnectionRule r{.rule = "fixed_indegree", .indegree = 7};
  r.allow_multapses = false;
  r.allow_autapses = false;
  const auto pairs = connect(r, 50, 50, true, 1, 0);
  ASSERT_EQ(pairs.size(), 50u * 7u);
  std::map<std::uint32_t, std::set<std::uint32_t>> in;
  for (auto [s, t] : pairs) {
    EXPECT_NE(s, t);
    EXPECT_TRUE(in[t].insert(s).second) << "multapse " << s << "->" << t;
  }
  for (const auto& [t, sources] : in)
    EXPECT_EQ(sources.size(), 7u);
}

TEST(ConnectionRules, FixedOutdegreeAndTotalNumberGiveExactCounts) {
  const auto out = connect({.rule = "fixed_outdegree", .outdegree = 12}, 30, 80, false, 2, 0);
  ASSERT_EQ(out.size(), 30u * 12u);
  std::map<std::uint32_t, int> degree;
  for (auto [s, t] : out) {
    ++degree[s];
    EXPECT_LT(t, 80u);
  }
  for (const auto& [s, d] : degree)
    EXPECT_EQ(d, 12);
  ConnectionRule total{.rule = "fixed_total_number", .n = 999};
  total.allow_multapses = false;
  const auto pairs = connect(total, 40, 40, true, 3, 1);
  EXPECT_EQ(pairs.size(), 999u);
  EXPECT_EQ(std::set(pairs.begin(), pairs.end()).size(), 999u);
}

TEST(ConnectionRules, OneToOneAndAllToAll) {
  EXPECT_EQ(connect({.rule = "one_to_one"}, 5, 5, false, 1, 0).size(), 5u);
  EXPECT_THROW(connect({.rule = "one_to_one"}, 5, 6, false, 1, 0), std::invalid_argument);
  ConnectionRule all{.rule = "all_to_all"};
  all.allow_autapses = false;
  EXPECT_EQ(connect(all, 10, 10, true, 1, 0).size(), 90u);
  EXPECT_EQ(connect(all, 10, 10, false, 1, 0).size(),
            100u);  // autapses concern one population only
}

// The in-degree of each target under fixed_probability is Binomial(n_source, p).
// Pooled over several seeds, the histogram must pass a chi-squared test.
TEST(ConnectionRules, FixedProbabilityDegreesAreBinomial) {
  constexpr std::size_t ns = 200, nt = 200;
  constexpr double p = 0.1;
  std::map<int, int> histogram;
  int targets = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    std::vector<int> in(nt, 0);
    for (auto [s, t] : connect({.rule = "fixed_probability", .p = p}, ns, nt, false, seed, 0))
      ++in[t];
    for (int d : in)
      ++histogram[d];
    targets += nt;
  }
  // Bins: <=12, 13..27 one each, >=28 (expected counts all >= 5).
  auto binom = [&](int k) {
    return std::exp(std::lgamma(ns + 1.0) - std::lgamma(k + 1.0) - std::lgamma(ns - k + 1.0) +
                    k * std::log(p) + (ns - k) * std::log1p(-p));
  };
  std::vector<std::pair<double, double>> bins;  // observed, expected
  double lo_o = 0, lo_e = 0, hi_o = 0, hi_e = 0;
  for (int k = 0; k <= static_cast<int>(ns); ++k) {
    const double o = histogram.count(k) ? histogram[k] : 0, e = targets * binom(k);
    if (k <= 12) {
      lo_o += o;
      lo_e += e;
    } else if (k >= 28) {
      hi_o += o;
      hi_e += e;
    } else {
      bins.push_back({o, e});
    }
  }
  bins.push_back({lo_o, lo_e});
  bins.push_back({hi_o, hi_e});
  double chi2 = 0;
  for (auto [o, e] : bins)
    chi2 += (o - e) * (o - e) / e;
  // 17 bins, 16 degrees of freedom: the 99.9 % quantile is 39.25.
  EXPECT_LT(chi2, 39.25) << "chi2 " << chi2;
  EXPECT_THROW(connect({.rule = "fixed_probability", .p = 1.5}, 2, 2, false, 1, 0),
               std::invalid_argument);
}

TEST(ConnectionRules, ImpossibleRulesAreRefused) {
  ConnectionRule r{.rule = "fixed_indegree", .indegree = 11};
  r.allow_multapses = false;
  EXPECT_THROW(connect(r, 10, 5, false, 1, 0), std::invalid_argument);
  r.indegree = 10;
  r.allow_autapses = false;
  EXPECT_THROW(connect(r, 10, 10, true, 1, 0), std::invalid_argument);  // only 9 others
  EXPECT_THROW(connect({.rule = "fixed_indegre"}, 1, 1, false, 1, 0), std::invalid_argument);
}

TEST(ConnectionRules, SameSeedSameNetworkOtherStreamOtherNetwork) {
  const ConnectionRule r{.rule = "fixed_probability", .p = 0.2};
  EXPECT_EQ(connect(r, 30, 30, false, 9, 4), connect(r, 30, 30, false, 9, 4));
  EXPECT_NE(connect(r, 30, 30, false, 9, 4), connect(r, 30, 30, false, 9, 5));
}

}  // namespace
}  // namespace bgsim::networks
