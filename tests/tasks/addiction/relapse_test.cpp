// Relapse (experiments.md §3; seed 002): after extinction a model-free learner
// relearns the drug as slowly as at first exposure, while a latent-state learner
// relapses abruptly when the drug cue returns.

#include "tasks/addiction/relapse.hpp"

#include <gtest/gtest.h>

namespace bgsim::tasks::addiction {
namespace {

TEST(AddictionRelapse, ModelFreeRelearnsSlowlyLatentStateRelapsesAbruptly) {
  const RelapseResult r = run_relapse(RelapseConfig{}, 2007);
  ASSERT_EQ(r.model_free.size(), 10u);
  ASSERT_EQ(r.latent.size(), 10u);
  const double mf_first = r.mean_acquisition(RelapseLearner::model_free);
  const double mf_again = r.mean_reacquisition(RelapseLearner::model_free);
  const double lat_first = r.mean_acquisition(RelapseLearner::latent);
  const double lat_again = r.mean_reacquisition(RelapseLearner::latent);
  // First exposure takes a long time for both (they learn the same way then).
  EXPECT_GT(mf_first, 100.0);
  EXPECT_GT(lat_first, 100.0);
  // Model-free: re-exposure is no faster than first exposure (within 30 %).
  EXPECT_GT(mf_again, 0.7 * mf_first) << mf_again << " vs " << mf_first;
  // Latent states: back to the drug within a few steps — the 10-step window is the
  // shortest latency measurable, and ε = 0.2 exploration can delay the 8-in-10
  // criterion by a few more — in every run.
  EXPECT_LT(lat_again, 0.1 * lat_first) << lat_again << " vs " << lat_first;
  for (const auto& run : r.latent) {
    EXPECT_LE(run.reacquisition_latency, 50);
    EXPECT_GE(run.latent_states, 2);  // extinction was learned in a new state
  }
  for (const auto& run : r.model_free)
    EXPECT_EQ(run.latent_states, 1);
}

TEST(AddictionRelapse, LatentAgentReturnsToItsDrugStateAtReExposure) {
  RelapseConfig c;
  c.repetitions = 1;
  const RelapseResult r = run_relapse(c, 3);
  int drug_state = -1, first_reexposure_state = -1, extinction_state = -1;
  for (const auto& s : r.steps) {
    if (s.learner != RelapseLearner::latent) continue;
    if (s.phase == 0) drug_state = s.latent_state;
    if (s.phase == 1) extinction_state = s.latent_state;
    if (s.phase == 2 && first_reexposure_state < 0) first_reexposure_state = s.latent_state;
  }
  EXPECT_NE(extinction_state, drug_state);
  EXPECT_EQ(first_reexposure_state, drug_state);
}

}  // namespace
}  // namespace bgsim::tasks::addiction
