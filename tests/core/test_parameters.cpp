// Parameter tables: transactional setting, one message per problem naming the
// parameter and its unit, and "did you mean" hints for unknown names.

#include <gtest/gtest.h>

#include "core/parameters.hpp"
#include "core/registry.hpp"

namespace bgsim {
namespace {

struct P {
  double tau_m = 10.0;
  double E_L = -70.0;
  std::string scheme = "a";
};

const ParamTable<P>& table() {
  static const ParamTable<P> t(
      {{{"tau_m", "ms", Constraint::positive, "membrane time constant"}, &P::tau_m},
       {{"E_L", "mV", Constraint::finite, "resting potential"}, &P::E_L},
       {{"scheme", "", Constraint::choice, "scheme", {"a", "bb"}}, &P::scheme}},
      [](const P& p, std::vector<ParamError>& e) {
        if (p.E_L > 0) e.push_back({"E_L", "must be negative"});
      });
  return t;
}

std::vector<ParamError> errors_of(const ParamMap& m) {
  try {
    table().apply("test", P{}, m);
  } catch (const ParamErrors& e) {
    return e.errors();
  }
  return {};
}

TEST(Parameters, AppliesValidValues) {
  const P p = table().apply("test", P{}, {{"tau_m", 20.0}, {"scheme", std::string("bb")}});
  EXPECT_EQ(p.tau_m, 20.0);
  EXPECT_EQ(p.scheme, "bb");
}

TEST(Parameters, ReportsEveryProblemWithNameAndUnit) {
  const auto e = errors_of({{"tau_m", -1.0}, {"tua_m", 3.0}, {"E_L", std::string("x")}});
  ASSERT_EQ(e.size(), 3u);
  std::string all;
  for (const auto& x : e)
    all += x.param + ": " + x.message + "\n";
  EXPECT_NE(all.find("tau_m: must be a finite number > 0 [ms], got -1"), std::string::npos) << all;
  EXPECT_NE(all.find("tua_m: unknown parameter; did you mean \"tau_m\"?"), std::string::npos)
      << all;
  EXPECT_NE(all.find("E_L: expected a finite number"), std::string::npos) << all;
}

TEST(Parameters, RefusesNaNAndInfinity) {
  EXPECT_EQ(errors_of({{"E_L", std::nan("")}}).size(), 1u);
  EXPECT_EQ(errors_of({{"tau_m", INFINITY}}).size(), 1u);
}

TEST(Parameters, WholeRuleRunsAfterFieldsAndChoicesAreHinted) {
  const auto e = errors_of({{"E_L", 5.0}});
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].message, "must be negative");
  const auto c = errors_of({{"scheme", std::string("b")}});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_NE(c[0].message.find("one of \"a\", \"bb\""), std::string::npos) << c[0].message;
}

TEST(Parameters, NearestNameOnlyForPlausibleTypos) {
  EXPECT_EQ(nearest_name("tua_m", {"tau_m", "E_L"}), "tau_m");
  EXPECT_EQ(nearest_name("V_TH", {"V_th", "V_reset"}), "V_th");
  EXPECT_EQ(nearest_name("completely_else", {"tau_m", "E_L"}), "");
}

TEST(Registry, UnknownModelAndPresetAreHinted) {
  try {
    make_population("izhikevic", "x", 1, {});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean \"izhikevich\""), std::string::npos)
        << e.what();
  }
  try {
    make_population("izhikevich", "x", 1, {}, "regular_spikin");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean \"regular_spiking\""), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace bgsim
