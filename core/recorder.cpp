#include "core/recorder.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/printable.hpp"

namespace bgsim {

SpikeRecorder::SpikeRecorder(std::string name, std::uint32_t population,
                             std::vector<std::uint32_t> subset, std::size_t capacity)
    : name_(std::move(name)),
      population_(population),
      subset_(std::move(subset)),
      capacity_(std::max<std::size_t>(capacity, 1)) {
  std::sort(subset_.begin(), subset_.end());
  subset_.erase(std::unique(subset_.begin(), subset_.end()), subset_.end());
  if (!subset_.empty()) {
    selected_.assign(subset_.back() + 1, false);
    for (auto i : subset_)
      selected_[i] = true;
  }
}

void SpikeRecorder::record(std::span<const SpikeEvent> spikes, std::uint32_t gid_offset,
                           RecordSink* sink) {
  for (const SpikeEvent& s : spikes) {
    if (!subset_.empty()) {
      const std::uint32_t local = s.gid - gid_offset;
      if (local >= selected_.size() || !selected_[local]) continue;
    }
    buffer_.push_back(s);
    if (buffer_.size() >= capacity_) flush(sink);
  }
}

void SpikeRecorder::flush(RecordSink* sink) {
  if (sink && !buffer_.empty()) sink->spikes(name_, buffer_);
  buffer_.clear();
}

void SpikeRecorder::save(CheckpointWriter& w) const {
  w.section(name_);
  w.vector(buffer_);
}

void SpikeRecorder::load(CheckpointReader& r) {
  r.section(name_);
  r.vector(buffer_);
}

StateRecorder::StateRecorder(std::string name, std::uint32_t population, std::string variable,
                             std::vector<std::uint32_t> subset, Step interval, std::size_t capacity)
    : name_(std::move(name)),
      population_(population),
      variable_(std::move(variable)),
      subset_(std::move(subset)),
      interval_(interval),
      capacity_rows_(capacity) {
  if (interval_ < 1)
    throw std::invalid_argument("state recorder " + name_ + ": interval must be at least one step");
}

void StateRecorder::prepare(Population& pop, EventQueue& queue, std::uint32_t handler_id,
                            Step start) {
  data_ = pop.state(variable_);
  if (!data_) {
    std::vector<std::string> names;
    for (const auto& v : pop.state_vars())
      names.push_back(v.name);
    const std::string hint = nearest_name(variable_, names);
    throw std::invalid_argument("state recorder " + name_ + ": population " + pop.name() + " (" +
                                std::string(pop.model()) + ") has no state variable " +
                                quote(variable_) +
                                (hint.empty() ? "" : "; did you mean " + quote(hint) + "?"));
  }
  for (auto i : subset_)
    if (i >= pop.size())
      throw std::invalid_argument("state recorder " + name_ + ": neuron " + std::to_string(i) +
                                  " outside population " + pop.name() + " of size " +
                                  std::to_string(pop.size()));
  width_ = subset_.empty() ? pop.size() : subset_.size();
  capacity_rows_ = std::max<std::size_t>(1, capacity_rows_ / std::max<std::size_t>(1, width_));
  queue_ = &queue;
  handler_id_ = handler_id;
  queue.schedule({.step = start, .handler = handler_id});
}

void StateRecorder::handle(const Event& e) {
  steps_.push_back(e.step);
  if (subset_.empty()) {
    values_.insert(values_.end(), data_, data_ + width_);
  } else {
    for (auto i : subset_)
      values_.push_back(data_[i]);
  }
  if (steps_.size() >= capacity_rows_) flush();
  queue_->schedule({.step = e.step + interval_, .handler = handler_id_});
}

void StateRecorder::flush() {
  if (sink_ && !steps_.empty()) sink_->samples(name_, steps_, values_, width_);
  steps_.clear();
  values_.clear();
}

void StateRecorder::save(CheckpointWriter& w) const {
  w.section(name_);
  w.vector(steps_);
  w.vector(values_);
}

void StateRecorder::load(CheckpointReader& r) {
  r.section(name_);
  r.vector(steps_);
  r.vector(values_);
}

TraceRecorder::TraceRecorder(std::string name, Step interval, Step start, std::size_t capacity)
    : name_(std::move(name)),
      interval_(interval),
      start_(start),
      next_(start),
      capacity_values_(std::max<std::size_t>(capacity, 1)) {
  if (interval_ < 1)
    throw std::invalid_argument("recorder " + name_ + ": interval must be at least one step");
  if (start_ < 0) throw std::invalid_argument("recorder " + name_ + ": start must be >= 0");
}

void TraceRecorder::set_width(std::size_t width) {
  width_ = width;
}

void TraceRecorder::begin_epoch(Step from, Step to) {
  epoch_steps_.clear();
  if (next_ < from) next_ += (from - next_ + interval_ - 1) / interval_ * interval_;
  for (; next_ < to; next_ += interval_)
    epoch_steps_.push_back(next_);
  epoch_values_.assign(epoch_steps_.size() * width_, 0.0);
}

void TraceRecorder::end_epoch() {
  steps_.insert(steps_.end(), epoch_steps_.begin(), epoch_steps_.end());
  values_.insert(values_.end(), epoch_values_.begin(), epoch_values_.end());
  epoch_steps_.clear();
  epoch_values_.clear();
  if (values_.size() >= capacity_values_) flush();
}

void TraceRecorder::flush() {
  if (sink_ && !steps_.empty()) sink_->samples(name_, steps_, values_, width_);
  steps_.clear();
  values_.clear();
}

void TraceRecorder::save(CheckpointWriter& w) const {
  w.section(name_);
  w.value(next_);
  w.vector(steps_);
  w.vector(values_);
}

void TraceRecorder::load(CheckpointReader& r) {
  r.section(name_);
  next_ = r.value<Step>();
  r.vector(steps_);
  r.vector(values_);
}

SynapseRecorder::SynapseRecorder(std::string name, std::uint32_t projection, Variable variable,
                                 std::vector<std::uint32_t> sources,
                                 std::vector<std::uint32_t> targets, Step interval, Step start,
                                 std::size_t capacity)
    : TraceRecorder(std::move(name), interval, start, capacity),
      projection_(projection),
      variable_(variable) {
  for (auto s : sources) {
    if (s >= source_set_.size()) source_set_.resize(s + 1, false);
    source_set_[s] = true;
  }
  for (auto t : targets) {
    if (t >= target_set_.size()) target_set_.resize(t + 1, false);
    target_set_[t] = true;
  }
}

bool SynapseRecorder::selects(std::uint32_t source, std::uint32_t target) const {
  const bool s = source_set_.empty() || (source < source_set_.size() && source_set_[source]);
  const bool t = target_set_.empty() || (target < target_set_.size() && target_set_[target]);
  return s && t;
}

void SynapseRecorder::set_columns(std::vector<std::pair<std::uint32_t, std::uint32_t>> columns) {
  columns_ = std::move(columns);
  set_width(columns_.size());
}

}  // namespace bgsim
