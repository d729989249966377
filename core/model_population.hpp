#pragma once
// ModelPopulation<M> turns a neuron model written as plain data and one update
// function into a Population. A model M provides (see models/lif_psc_exp.hpp):
//
//   static constexpr std::string_view name;          // JSON model name
//   struct Params { ... };                           // every field: default, unit, doc
//   static const ParamTable<Params>& param_table();
//   struct State { std::vector<double> ...; };       // structure-of-arrays
//   template <class S, class F> static void fields(S& s, F&& f);
//       // calls f(name, unit, vector&) for every state array, doubles and integers
//   static void init(const Params&, State&, std::size_t n);  // resize, resting values
//   struct Derived { ... };                          // propagators etc.
//   static Derived prepare(const Params&, const Resolution&);
//   static constexpr std::array<Receptor, N> receptors;
//   static void update(const Params&, const Derived&, State&, const UpdateContext&,
//                      std::size_t begin, std::size_t end);
//
// A model whose parameters a neuromodulator modulates (models/izhikevich_book.hpp)
// also provides
//
//   static std::string cannot_read_neuromodulator(const Params&);  // "" if it can
//
// and reads the level from UpdateContext::neuromodulator. A model whose
// update zeroes the input it reads when UpdateContext::consume is set
// (models/lif_psc_exp.cpp) says so with
//
//   static constexpr bool consumes_input = true;
//
// Parameters are shared by the population; state is per neuron.

#include <algorithm>
#include <array>
#include <concepts>
#include <span>
#include <string>
#include <type_traits>

#include "core/communicator.hpp"
#include "core/population.hpp"

namespace bgsim {

template <class M>
class ModelPopulation final : public Population {
 public:
  using Params = typename M::Params;
  using State = typename M::State;
  using Derived = typename M::Derived;

  ModelPopulation(std::string name, std::size_t size, const Params& params)
      : Population(std::move(name), size), params_(params) {
    std::vector<ParamError> errors;
    M::param_table().check(params_, errors);
    if (!errors.empty()) throw ParamErrors(M::name, std::move(errors));
    M::init(params_, state_, size);
  }

  std::string_view model() const override { return M::name; }
  std::span<const Receptor> receptors() const override { return M::receptors; }
  std::vector<ParamInfo> param_infos() const override { return M::param_table().infos(); }
  ParamMap params() const override { return M::param_table().to_map(params_); }
  const Params& model_params() const { return params_; }

  std::vector<StateVarInfo> state_vars() const override {
    std::vector<StateVarInfo> out;
    M::fields(const_cast<State&>(state_), [&](std::string_view n, std::string_view u, auto& v) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(v)>, std::vector<double>>)
        out.push_back({std::string(n), std::string(u)});
    });
    return out;
  }

  double* state(std::string_view var) override {
    double* found = nullptr;
    M::fields(state_, [&](std::string_view n, std::string_view, auto& v) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(v)>, std::vector<double>>)
        if (n == var) found = v.data();
    });
    return found;
  }

  std::string cannot_read_neuromodulator() const override {
    if constexpr (requires(const Params& p) {
                    { M::cannot_read_neuromodulator(p) } -> std::convertible_to<std::string>;
                  })
      return M::cannot_read_neuromodulator(params_);
    else
      return Population::cannot_read_neuromodulator();
  }

  void prepare(const PrepareContext& ctx) override {
    derived_ = M::prepare(params_, ctx.resolution);
  }

  void update(const UpdateContext& ctx, std::size_t begin, std::size_t end) override {
    M::update(params_, derived_, state_, ctx, begin, end);
  }

  bool consumes_input() const override {
    if constexpr (requires { M::consumes_input; })
      return M::consumes_input;
    else
      return false;
  }

  void save(CheckpointWriter& w) const override {
    w.section(name());
    M::fields(const_cast<State&>(state_),
              [&](std::string_view, std::string_view, auto& v) { w.vector(v); });
  }

  void load(CheckpointReader& r) override {
    r.section(name());
    M::fields(state_, [&](std::string_view, std::string_view, auto& v) {
      r.vector(v, static_cast<std::int64_t>(size()));
    });
  }

  // Every field is one value per neuron: each rank's block of each field.
  void save_merged(std::span<CheckpointReader> parts, CheckpointWriter& w) const override {
    State whole = state_;
    std::vector<void*> fields;
    M::fields(whole, [&](std::string_view, std::string_view, auto& v) { fields.push_back(&v); });
    const int ranks = static_cast<int>(parts.size());
    for (int q = 0; q < ranks; ++q) {
      State part = state_;
      parts[q].section(name());
      M::fields(part, [&](std::string_view, std::string_view, auto& v) {
        parts[q].vector(v, static_cast<std::int64_t>(size()));
      });
      const RankBlock b = RankBlock::of(size(), q, ranks);
      std::size_t i = 0;
      M::fields(part, [&](std::string_view, std::string_view, auto& v) {
        auto& out = *static_cast<std::remove_cvref_t<decltype(v)>*>(fields[i++]);
        const auto first = static_cast<std::ptrdiff_t>(b.first);
        std::copy(v.begin() + first, v.begin() + static_cast<std::ptrdiff_t>(b.last),
                  out.begin() + first);
      });
    }
    w.section(name());
    M::fields(whole, [&](std::string_view, std::string_view, auto& v) { w.vector(v); });
  }

 private:
  Params params_;
  State state_;
  Derived derived_{};
};

}  // namespace bgsim
