#pragma once
// The one time-ordered queue of discrete events: stimulus changes, rate
// changes, reward and dopamine pulses, recorder samples. Events are plain data
// (no callbacks) so the queue can be checkpointed; each names the handler that
// receives it, registered with the simulator.
//
// Order: by step, then by the order of scheduling (a sequence number), so two
// events at the same step are handled in the order they were scheduled, in
// every run and for every thread count.

#include <cstdint>
#include <limits>
#include <queue>
#include <vector>

#include "core/checkpoint.hpp"
#include "core/time.hpp"

namespace bgsim {

struct Event {
  Step step = 0;              // handled before the update of this step
  std::uint64_t seq = 0;      // scheduling order, assigned by the queue
  std::uint32_t handler = 0;  // who receives it (EventHandler id)
  std::int32_t code = 0;      // what it means, for the handler
  double value = 0.0;         // payload
  std::int64_t index = 0;     // second payload (neuron, stimulus, arm)
};
static_assert(sizeof(Event) == 40, "written raw into checkpoints: no padding (checkpoint.hpp)");

class EventQueue {
 public:
  static constexpr Step never = std::numeric_limits<Step>::max();

  void schedule(Event e) {
    e.seq = next_seq_++;
    heap_.push(e);
  }
  Step next_step() const { return heap_.empty() ? never : heap_.top().step; }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  Event pop() {
    Event e = heap_.top();
    heap_.pop();
    return e;
  }

  void save(CheckpointWriter& w) const {
    w.section("event_queue");
    w.value(next_seq_);
    auto copy = heap_;
    std::vector<Event> events;
    while (!copy.empty()) {
      events.push_back(copy.top());
      copy.pop();
    }
    w.vector(events);
  }
  void load(CheckpointReader& r) {
    r.section("event_queue");
    next_seq_ = r.value<std::uint64_t>();
    std::vector<Event> events;
    r.vector(events);
    heap_ = {};
    for (const Event& e : events)
      heap_.push(e);
  }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.step != b.step ? a.step > b.step : a.seq > b.seq;
    }
  };
  std::priority_queue<Event, std::vector<Event>, Later> heap_;
  std::uint64_t next_seq_ = 0;
};

// Anything that receives events: input populations, devices, recorders, tasks.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void handle(const Event& e) = 0;
};

}  // namespace bgsim
