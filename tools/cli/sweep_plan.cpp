#include "tools/cli/sweep_plan.hpp"

#include <algorithm>
#include <cstdio>

#include "core/printable.hpp"
#include "networks/loader.hpp"

namespace bgsim::cli {

namespace {

constexpr std::size_t max_runs = 100000;

using networks::json;

std::vector<std::uint64_t> read_seeds(const json& v, networks::Diagnostics& diag,
                                      const std::string& file) {
  std::vector<std::uint64_t> seeds;
  const auto seed_of = [&](const json& s, const std::string& at) -> std::optional<std::uint64_t> {
    if (s.is_number_unsigned()) return s.get<std::uint64_t>();
    if (s.is_number_integer() && s.get<std::int64_t>() >= 0) return s.get<std::uint64_t>();
    diag.error(at, "a seed is a whole number >= 0, not " + quote(s.dump()), file);
    return std::nullopt;
  };
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (auto s = seed_of(v[i], "/sweep/seeds/" + std::to_string(i))) seeds.push_back(*s);
    if (v.empty()) diag.error("/sweep/seeds", "an empty list of seeds runs nothing", file);
    return seeds;
  }
  if (v.is_object() && v.contains("from") && v.contains("to") && v.size() == 2) {
    const auto from = seed_of(v["from"], "/sweep/seeds/from");
    const auto to = seed_of(v["to"], "/sweep/seeds/to");
    if (!from || !to) return seeds;
    if (*to < *from || *to - *from >= max_runs) {
      diag.error("/sweep/seeds",
                 "seeds from " + std::to_string(*from) + " to " + std::to_string(*to) +
                     ": 'to' must be >= 'from', and at most " + std::to_string(max_runs) + " seeds",
                 file);
      return seeds;
    }
    for (std::uint64_t s = *from; s <= *to; ++s)
      seeds.push_back(s);
    return seeds;
  }
  diag.error("/sweep/seeds", "seeds are a list ([1, 2, 3]) or a range ({\"from\": 1, \"to\": 20})",
             file);
  return seeds;
}

}  // namespace

std::vector<std::string> SweepRun::sets() const {
  std::vector<std::string> out;
  for (const auto& [pointer, value] : values)
    out.push_back(pointer + "=" + value.dump());
  return out;
}

std::optional<SweepPlan> read_sweep(const std::filesystem::path& file,
                                    networks::Diagnostics& diag) {
  const std::string name = file.string();
  // Read as descriptions are: only a regular file, syntax errors with their
  // line and column.
  const networks::LoadedDescription loaded = networks::load_description(file, diag);
  if (!diag.ok()) return std::nullopt;
  const json* doc = &loaded.document;
  networks::ObjectReader top(*doc, "", diag, name);
  const json* sweep = top.require("sweep", "the sweep (an object)");
  top.finish({"sweep", "name", "comment"});
  if (!sweep) return std::nullopt;
  networks::ObjectReader r(*sweep, "/sweep", diag, name);
  SweepPlan plan;
  if (auto d = r.string("description", true)) {
    plan.description = std::filesystem::path(*d);
    if (plan.description.is_relative()) plan.description = file.parent_path() / plan.description;
  }
  std::vector<std::optional<std::uint64_t>> seeds{std::nullopt};
  if (const json* s = r.take("seeds")) {
    seeds.clear();
    for (std::uint64_t seed : read_seeds(*s, diag, name))
      seeds.push_back(seed);
  }
  // The points: the grid's product, or the list given.
  std::vector<std::vector<std::pair<std::string, json>>> points{{}};
  const json* grid = r.take("grid");
  const json* list = r.take("points");
  if (grid && list) r.error("", "give a \"grid\" or \"points\", not both");
  if (grid) {
    if (!grid->is_object()) {
      r.error("grid", "a grid is an object of pointer -> list of values");
    } else {
      for (const auto& [pointer, values] : grid->items()) {
        const std::string at = "/sweep/grid/" + networks::pointer_key(pointer);
        if (pointer.empty() || pointer[0] != '/') {
          diag.error(at,
                     "a key of the grid is a JSON pointer into the description (e.g. "
                     "/populations/exc/size)",
                     name);
          continue;
        }
        if (!values.is_array() || values.empty()) {
          diag.error(at, "the values of a parameter are a non-empty list", name);
          continue;
        }
        if (points.size() * values.size() > max_runs) {
          diag.error(at, "more than " + std::to_string(max_runs) + " points", name);
          break;
        }
        plan.pointers.push_back(pointer);
        std::vector<std::vector<std::pair<std::string, json>>> product;
        for (const auto& p : points)
          for (const auto& v : values) {
            product.push_back(p);
            product.back().emplace_back(pointer, v);
          }
        points = std::move(product);
      }
    }
  } else if (list) {
    if (!list->is_array() || list->empty()) {
      r.error("points", "points are a non-empty list of objects of pointer -> value");
    } else {
      points.clear();
      for (std::size_t i = 0; i < list->size(); ++i) {
        const json& p = (*list)[i];
        const std::string at = "/sweep/points/" + std::to_string(i);
        if (!p.is_object()) {
          diag.error(at, "a point is an object of pointer -> value", name);
          continue;
        }
        std::vector<std::pair<std::string, json>> point;
        for (const auto& [pointer, value] : p.items()) {
          if (pointer.empty() || pointer[0] != '/') {
            diag.error(at + "/" + networks::pointer_key(pointer),
                       "a key of a point is a JSON pointer into the description", name);
            continue;
          }
          point.emplace_back(pointer, value);
          if (std::find(plan.pointers.begin(), plan.pointers.end(), pointer) == plan.pointers.end())
            plan.pointers.push_back(pointer);
        }
        points.push_back(std::move(point));
      }
    }
  }
  r.finish({"description", "seeds", "grid", "points"});
  if (!diag.ok()) return std::nullopt;
  if (points.size() * seeds.size() > max_runs) {
    diag.error(
        "/sweep",
        std::to_string(points.size() * seeds.size()) + " runs: at most " + std::to_string(max_runs),
        name);
    return std::nullopt;
  }
  for (const auto& point : points)
    for (const auto& seed : seeds) {
      SweepRun run;
      char buf[32];
      std::snprintf(buf, sizeof buf, "run_%04zu", plan.runs.size());
      run.name = buf;
      run.seed = seed;
      run.values = point;
      plan.runs.push_back(std::move(run));
    }
  return plan;
}

}  // namespace bgsim::cli
