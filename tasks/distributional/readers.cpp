#include "tasks/distributional/readers.hpp"

#include <vector>

#include "core/printable.hpp"

namespace bgsim::tasks::distributional {

// One per-predictor constant as two keys: "<key>_draw" (shared | list |
// range) and "<key>" (a list: [value], the choices, or [low, high]).
void read_draw(ExperimentParams& p, const std::string& key, agents::ParameterDraw& draw) {
  using Mode = agents::ParameterDraw::Mode;
  std::string mode = draw.mode == Mode::shared ? "shared"
                     : draw.mode == Mode::list ? "list"
                                               : "range";
  std::vector<double> values = draw.mode == Mode::shared ? std::vector<double>{draw.value}
                               : draw.mode == Mode::list ? draw.choices
                                                         : std::vector<double>{draw.low, draw.high};
  p.text(key + "_draw", mode, {"shared", "list", "range"});
  p.numbers(key, values);
  const auto refuse = [&](const std::string& what) {
    p.reader().error(key, "with " + key + "_draw " + quote(mode) + ", " + what + "; got " +
                              std::to_string(values.size()) + " number(s)");
  };
  if (mode == "shared") {
    if (values.size() == 1)
      draw = agents::ParameterDraw::shared_value(values[0]);
    else
      refuse("give the one value every predictor shares, as [value]");
  } else if (mode == "list") {
    if (!values.empty())
      draw = agents::ParameterDraw::from_list(values);
    else
      refuse("give at least one value to choose from");
  } else {
    if (values.size() == 2)
      draw = agents::ParameterDraw::from_range(values[0], values[1]);
    else
      refuse("give the range as [low, high]");
  }
}

void read_distributional_agent(ExperimentParams& p, agents::DistributionalTdParams& a) {
  p.whole("n_predictors", a.n_predictors);
  read_draw(p, "alpha", a.alpha);
  read_draw(p, "gamma", a.gamma);
  read_draw(p, "lambda", a.lambda);
  p.number("alpha_minus_max", a.alpha_minus_max);
}

void read_representation(ExperimentParams& p, RepresentationParams& r) {
  // In the order of the Representation enum.
  static const std::vector<std::string> names{"complete_serial_compound", "presence",
                                              "microstimulus", "blurred_csc"};
  std::string kind = names[static_cast<std::size_t>(r.kind)];
  p.text("representation", kind, names);
  for (std::size_t i = 0; i < names.size(); ++i)
    if (kind == names[i]) r.kind = static_cast<Representation>(i);
  p.whole("n_microstimuli", r.n_microstimuli);
  p.number("microstimulus_width", r.microstimulus_width);
  p.number("trace_decay", r.trace_decay);
  p.number("blur_sd_steps", r.blur_sd_steps);
  p.number("blur_weber_fraction", r.blur_weber_fraction);
}

}  // namespace bgsim::tasks::distributional
