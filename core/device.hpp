#pragma once
// Input devices: current injection and Poisson drive, added to a receptor
// channel of every neuron of one population at each step, by the thread that
// owns the neurons, just before the population's update reads that channel.
// Random devices draw per neuron and step from streams keyed by (seed, device,
// neuron gid, step): results do not depend on the thread count.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/event_queue.hpp"
#include "core/parameters.hpp"
#include "core/population.hpp"

namespace bgsim {

class InputDevice : public EventHandler {
 public:
  InputDevice(std::string name, std::uint32_t target, std::uint32_t channel)
      : name_(std::move(name)), target_(target), channel_(channel) {}

  const std::string& name() const { return name_; }
  std::uint32_t target() const { return target_; }    // population index
  std::uint32_t channel() const { return channel_; }  // receptor channel of the target
  std::uint32_t id() const { return id_; }            // unique among devices, keys its streams
  void set_id(std::uint32_t id) { id_ = id; }

  virtual std::string_view model() const = 0;
  virtual ParamMap params() const = 0;
  virtual void prepare(const PrepareContext& ctx) = 0;
  // Adds this device's input of step `step` for local neurons [begin, end) to
  // `input` (the channel's array for that step).
  virtual void contribute(Step step, std::size_t begin, std::size_t end, double* input,
                          std::uint32_t gid_offset) = 0;

  void handle(const Event&) override {}
  virtual void save(CheckpointWriter& w) const { w.section(name_); }
  virtual void load(CheckpointReader& r) { r.section(name_); }

 private:
  std::string name_;
  std::uint32_t target_, channel_, id_ = 0;
};

}  // namespace bgsim
