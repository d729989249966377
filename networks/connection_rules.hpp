#pragma once
// Connection rules: who connects to whom. Each rule lists (source, target)
// pairs in a fixed order, drawing from counter-based streams keyed by
// (seed, projection id, neuron), so a network is the same for every thread
// count and does not change when another projection is added before it.
//
// Rules and defaults follow NEST's (connection management, NEST 3):
//   all_to_all          every source to every target
//   one_to_one          source i to target i (equal sizes)
//   fixed_probability   each pair independently with probability p
//                       (alias pairwise_bernoulli)
//   fixed_indegree      each target draws `indegree` sources
//   fixed_outdegree     each source draws `outdegree` targets
//   fixed_total_number  `n` pairs drawn uniformly over all pairs
//   explicit            the pairs given as arrays (networks/connection_arrays.hpp);
//                       nothing is drawn, and connect() refuses it
// allow_autapses (default true) permits i -> i when source and target are the
// same population; allow_multapses (default true) permits repeated pairs.
// Without multapses, an in-degree or out-degree larger than the pool it is
// drawn from is an error.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace bgsim::networks {

struct ConnectionRule {
  std::string rule = "all_to_all";
  double p = 0.0;               // fixed_probability
  std::uint64_t indegree = 0;   // fixed_indegree
  std::uint64_t outdegree = 0;  // fixed_outdegree
  std::uint64_t n = 0;          // fixed_total_number (explicit: the number given)
  bool allow_autapses = true;
  bool allow_multapses = true;
};

const std::vector<std::string>& connection_rule_names();

// What `bgsim describe RULE` and the Python catalogue say about a rule: its
// meaning and the keys of a projection it reads besides source, target and
// synapse (each with its type, default and constraint).
struct ConnectionRuleKey {
  std::string name;
  std::string type;           // "probability", "count", "boolean", …
  std::string default_value;  // "" when required
  std::string doc;
};
struct ConnectionRuleInfo {
  std::string name;
  std::string doc;
  std::string alias_of;  // "" unless another name of the same rule
  std::vector<ConnectionRuleKey> keys;
};
// nullptr for an unknown name.
const ConnectionRuleInfo* connection_rule_info(const std::string& name);

// The pairs a rule connects, in a fixed order. `same_population`: source and
// target are one population (autapses are then possible). `stream_id`
// distinguishes projections. Throws std::invalid_argument for impossible rules.
std::vector<std::pair<std::uint32_t, std::uint32_t>> connect(
    const ConnectionRule& rule, std::size_t n_source, std::size_t n_target, bool same_population,
    std::uint64_t seed, std::uint32_t stream_id);
// The same pairs, in the same order, handed one at a time to `visit(source,
// target)` instead of held: a rank that keeps only the synapses onto its own
// neurons never holds the whole list (fixed_total_number excepted, which
// draws its pairs out of order and sorts them).
void connect_each(const ConnectionRule& rule, std::size_t n_source, std::size_t n_target,
                  bool same_population, std::uint64_t seed, std::uint32_t stream_id,
                  const std::function<void(std::uint32_t, std::uint32_t)>& visit);

}  // namespace bgsim::networks
