#include "tasks/pavlovian/td_agent_spec.hpp"

#include "core/printable.hpp"
#include "tasks/distributional/readers.hpp"
#include "tasks/experiment.hpp"

namespace bgsim::tasks::pavlovian {

nlohmann::json read_td_agent(TdAgentSpec& a, const std::string& type, networks::ObjectReader& r,
                             const nlohmann::json* params, double dt_s) {
  const nlohmann::json empty = nlohmann::json::object();
  networks::ObjectReader pr(params ? *params : empty, r.at("params"), r.diagnostics());
  ExperimentParams p(pr);
  if (type == "td_lambda") {
    a.kind = TdAgentSpec::Kind::td_lambda;
    p.number("alpha", a.td.alpha);
    p.number("gamma", a.td.gamma);
    p.number("lambda", a.td.lambda);
    p.number("initial_weight", a.td.initial_weight);
  } else if (type == "distributional_td") {
    a.kind = TdAgentSpec::Kind::distributional_td;
    a.distributional.dt_s = dt_s;
    distributional::read_distributional_agent(p, a.distributional);
  } else if (!type.empty()) {
    r.error("agent", "unknown agent " + quote(type) +
                         "; on the conditioning task the agents are td_lambda, distributional_td");
  }
  distributional::read_representation(p, a.representation);
  p.finish();
  p.check([&] {
    const StimulusRepresentation check(a.representation);
    if (a.kind == TdAgentSpec::Kind::td_lambda) {
      const agents::TdLambda agent(a.td);
    } else {
      const agents::DistributionalTd agent(a.distributional, 1);
    }
  });
  return p.resolved();
}

}  // namespace bgsim::tasks::pavlovian
