#include "tasks/fit/q_learning_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlopt.hpp>
#include <stdexcept>
#include <string>

namespace bgsim::tasks::fit {
namespace {

struct Objective {
  const agents::choice::ChoiceData* data;
  const agents::choice::LikelihoodOptions* likelihood;
  int evaluations = 0;
  // The best point evaluated so far: the answer even when the optimiser stops on
  // an error (a failed line search reports failure, not the point it reached).
  double best_value = std::numeric_limits<double>::infinity();
  double best_alpha = 0.0, best_beta = 0.0;
};

double objective(const std::vector<double>& x, std::vector<double>& grad, void* context) {
  auto* o = static_cast<Objective*>(context);
  ++o->evaluations;
  // The data were validated once before the optimisation; the call validates again,
  // which costs one pass over the trials and keeps the likelihood safe to call alone.
  const double value = agents::choice::q_learning_negative_log_likelihood(
      *o->data, x[0], x[1], grad.empty() ? std::span<double>{} : std::span<double>(grad),
      *o->likelihood);
  if (value < o->best_value) {
    o->best_value = value;
    o->best_alpha = x[0];
    o->best_beta = x[1];
  }
  return value;
}

[[noreturn]] void refuse(const std::string& field, double value, const std::string& allowed) {
  throw std::invalid_argument("QLearningFitOptions." + field + " = " + std::to_string(value) +
                              ": must be " + allowed);
}

void validate(const QLearningFitOptions& o) {
  if (!(o.alpha_lower >= 0.0 && o.alpha_lower < o.alpha_upper && o.alpha_upper <= 1.0)) {
    refuse("alpha_upper", o.alpha_upper, "in (alpha_lower, 1] with alpha_lower >= 0");
  }
  if (!(o.beta_lower >= 0.0 && o.beta_lower < o.beta_upper) || !std::isfinite(o.beta_upper)) {
    refuse("beta_upper", o.beta_upper, "finite and above beta_lower >= 0");
  }
  if (o.alpha_grid.empty() || o.beta_grid.empty()) {
    throw std::invalid_argument(
        "QLearningFitOptions.alpha_grid/beta_grid: both grids need at least one value");
  }
  for (double a : o.alpha_grid) {
    if (!(a >= o.alpha_lower && a <= o.alpha_upper)) {
      refuse("alpha_grid[]", a, "within [alpha_lower, alpha_upper]");
    }
  }
  for (double b : o.beta_grid) {
    if (!(b >= o.beta_lower && b <= o.beta_upper)) {
      refuse("beta_grid[]", b, "within [beta_lower, beta_upper]");
    }
  }
  if (o.polished_starts < 1) refuse("polished_starts", o.polished_starts, ">= 1");
  if (!(o.relative_tolerance > 0.0)) refuse("relative_tolerance", o.relative_tolerance, "> 0");
  if (o.max_evaluations < 1) refuse("max_evaluations", o.max_evaluations, ">= 1");
}

}  // namespace

QLearningFitResult fit_q_learning(const agents::choice::ChoiceData& data,
                                  const QLearningFitOptions& options) {
  agents::choice::validate(data);
  validate(options);
  Objective context{&data, &options.likelihood};

  nlopt::opt opt(nlopt::LD_LBFGS, 2);
  opt.set_lower_bounds({options.alpha_lower, options.beta_lower});
  opt.set_upper_bounds({options.alpha_upper, options.beta_upper});
  opt.set_min_objective(objective, &context);
  opt.set_xtol_rel(options.relative_tolerance);
  opt.set_maxeval(options.max_evaluations);

  // Coarse grid first (values only), then the optimiser from the best few points.
  struct Candidate {
    double value, alpha, beta;
  };
  std::vector<Candidate> grid;
  std::vector<double> no_gradient;
  for (double a : options.alpha_grid) {
    for (double b : options.beta_grid) {
      grid.push_back({objective({a, b}, no_gradient, &context), a, b});
    }
  }
  const auto polished = std::min<std::size_t>(grid.size(), options.polished_starts);
  std::partial_sort(grid.begin(), grid.begin() + polished, grid.end(),
                    [](const Candidate& l, const Candidate& r) { return l.value < r.value; });

  for (std::size_t i = 0; i < polished; ++i) {
    std::vector<double> x = {grid[i].alpha, grid[i].beta};
    double value = 0.0;
    try {
      opt.optimize(x, value);
    } catch (const nlopt::roundoff_limited&) {
      // Converged as far as rounding allows.
    } catch (const nlopt::forced_stop&) {
      throw;
    } catch (const std::runtime_error&) {
      // NLOPT_FAILURE (e.g. a line search that cannot progress against a bound):
      // the best point evaluated so far stands.
    }
  }
  QLearningFitResult best;
  best.alpha = context.best_alpha;
  best.beta = context.best_beta;
  best.negative_log_likelihood = context.best_value;
  best.evaluations = context.evaluations;
  return best;
}

}  // namespace bgsim::tasks::fit
