#include "core/io/results_folder.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <system_error>

#include "core/io/sonata.hpp"
#include "core/printable.hpp"

namespace bgsim::io {
namespace {

constexpr std::string_view spike_counts_name = "spike_counts.csv";

// What a run writes into its folder, and so what --overwrite may remove.
bool written_by_a_run(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  const std::string ext = file.extension().string();
  return name == ResultsFolder::manifest_name || ext == ".npy" || ext == ".csv" || ext == ".h5" ||
         ext == ".bgsim" || is_partial_file_name(name);
}

void remove_file(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::remove(p, ec);
  if (ec) throw std::runtime_error("cannot remove " + p.string() + ": " + ec.message());
}

}  // namespace

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::running:
      return "running";
    case RunStatus::complete:
      return "complete";
    case RunStatus::interrupted:
      return "interrupted";
    case RunStatus::failed:
      return "failed";
  }
  return "failed";
}

std::optional<RunStatus> parse_run_status(std::string_view text) {
  for (auto s :
       {RunStatus::running, RunStatus::complete, RunStatus::interrupted, RunStatus::failed})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::optional<std::string> file_stem_error(std::string_view stem) {
  const std::string quoted = quote(stem);
  if (stem.empty()) return "an empty name cannot name a file";
  if (stem.size() > 200) return quoted + " is too long to name a file (at most 200 characters)";
  if (stem.front() == '.') return quoted + " cannot name a file: it must not start with '.'";
  for (char c : stem) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok)
      return quoted + " cannot name a file: use only letters, digits, '_', '-' and '.' (found '" +
             std::string(1, c) + "')";
  }
  return std::nullopt;
}

// ---- ResultsFolder ---------------------------------------------------------

ResultsFolder::ResultsFolder(std::filesystem::path dir, bool overwrite) : dir_(std::move(dir)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto st = fs::status(dir_, ec);
  const std::string where = "results folder " + dir_.string();
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) throw std::runtime_error(where + " exists and is not a folder");
    const bool empty = fs::is_empty(dir_, ec);
    if (ec) throw std::runtime_error("cannot read " + where + ": " + ec.message());
    if (!empty) {
      if (!overwrite)
        throw std::runtime_error(where +
                                 " already exists and is not empty; choose another folder or "
                                 "overwrite it (--overwrite)");
      if (!fs::exists(dir_ / manifest_name))
        throw std::runtime_error(where + " is not empty and holds no " +
                                 std::string(manifest_name) +
                                 ": it is not a results folder, so it is not overwritten");
    }
  } else {
    fs::create_directories(dir_, ec);
    if (ec) throw std::runtime_error("cannot create " + where + ": " + ec.message());
  }
  // Marked as running before anything is removed: a folder is never without
  // a manifest that tells what state it is in.
  write_manifest({{"status", to_string(RunStatus::running)}, {"bgsim_version", BGSIM_VERSION}});
  if (!overwrite) return;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.is_regular_file() && written_by_a_run(entry.path()) &&
        entry.path().filename() != manifest_name)
      remove_file(entry.path());
  }
  // Figures of an earlier run would be taken for figures of this one.
  const fs::path plots = dir_ / "plots";
  if (fs::is_directory(plots)) {
    for (const auto& entry : fs::directory_iterator(plots))
      if (entry.is_regular_file() && entry.path().extension() == ".png") remove_file(entry.path());
    if (fs::is_empty(plots)) fs::remove(plots, ec);
  }
}

ResultsFolder ResultsFolder::reopen(std::filesystem::path dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw std::runtime_error("results folder " + dir.string() + " does not exist");
  if (!std::filesystem::is_regular_file(dir / manifest_name, ec))
    throw std::runtime_error(dir.string() + " holds no " + std::string(manifest_name) +
                             ": it is not a results folder");
  return ResultsFolder(std::move(dir), Existing{});
}

void ResultsFolder::remove_run_files_except(const std::set<std::string>& keep) const {
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && written_by_a_run(entry.path()) && name != manifest_name &&
        !keep.count(name))
      remove_file(entry.path());
  }
}

std::filesystem::path ResultsFolder::path(std::string_view file_name) const {
  const std::filesystem::path p(file_name);
  if (file_name.empty() || p.has_parent_path() || p.is_absolute() || file_name == "." ||
      file_name == "..")
    throw std::invalid_argument(quote(std::string(file_name)) +
                                " is not a file name within results folder " + dir_.string());
  return dir_ / p;
}

void ResultsFolder::write_manifest(const nlohmann::json& manifest) const {
  const auto file = dir_ / manifest_name;
  if (!manifest.is_object())
    throw std::invalid_argument("cannot write " + file.string() +
                                ": the manifest is not an object");
  const auto status = manifest.find("status");
  if (status == manifest.end() || !status->is_string() ||
      !parse_run_status(status->get<std::string>()))
    throw std::invalid_argument("cannot write " + file.string() +
                                ": \"status\" must be one of running, complete, interrupted, "
                                "failed");
  // Replacement, not failure, for invalid UTF-8 in a user's string: the
  // manifest must be written whatever a description contained.
  const std::string text =
      manifest.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  AtomicFile out(file);
  out.write(text);
  out.commit();
}

nlohmann::json ResultsFolder::read_manifest(const std::filesystem::path& dir) {
  const auto file = dir / manifest_name;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string() + ": no such file or no access");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(file.string() + ": malformed JSON: " + e.what());
  }
}

// ---- FileSink --------------------------------------------------------------

FileSink::FileSink(const ResultsFolder& folder, Resolution resolution)
    : folder_(folder), resolution_(resolution) {}

FileSink::~FileSink() = default;

void FileSink::check_open(const std::string& what) const {
  if (finished_)
    throw std::logic_error("results sink of " + folder_.dir().string() + ": " + what +
                           " after finish()");
}

std::filesystem::path FileSink::claim(const std::string& recorder, const std::string& file_name) {
  const auto [it, fresh] = file_owner_.emplace(file_name, recorder);
  if (!fresh)
    throw std::invalid_argument("recorders " + quote(it->second) + " and " + quote(recorder) +
                                " would both write " + file_name + "; rename one of them");
  return folder_.path(file_name);
}

void FileSink::add_connections(const std::string& recorder, const std::string& projection,
                               const std::string& model, const ConnectionList& c) {
  check_open("connections of " + recorder + " added");
  if (auto err = file_stem_error(recorder))
    throw std::invalid_argument("connections recorder " + *err);
  const std::string file = recorder + ".npy";
  NpyWriter w =
      NpyWriter::records(claim(recorder, file), {{"source", std::string(npy_type<std::uint32_t>())},
                                                 {"target", std::string(npy_type<std::uint32_t>())},
                                                 {"weight", std::string(npy_type<double>())},
                                                 {"delay_ms", std::string(npy_type<double>())}});
  constexpr std::size_t record = 2 * sizeof(std::uint32_t) + 2 * sizeof(double);
  constexpr std::size_t block_rows = 1 << 14;
  std::vector<std::byte> block;
  for (std::size_t from = 0; from < c.size(); from += block_rows) {
    const std::size_t n = std::min(block_rows, c.size() - from);
    block.resize(n * record);
    std::byte* out = block.data();
    for (std::size_t k = from; k < from + n; ++k, out += record) {
      store_le(out, c.source[k]);
      store_le(out + 4, c.target[k]);
      store_le(out + 8, c.weight[k]);
      store_le(out + 16, resolution_.stamp_ms(c.delay[k]));
    }
    w.append_bytes(block);
  }
  w.close();
  connection_files_.push_back({
      {"recorder", recorder},
      {"kind", "connections"},
      {"projection", projection},
      {"model", model},
      {"synapses", c.size()},
      {"time_ms", nullptr},  // set by manifest_section: the time the run reached
      {"formats", {"npy"}},
      {"files", {{"connections", file}}},
      {"columns",
       {{"source", "local index in the source population"},
        {"target", "local index in the target population"},
        {"weight", "unit of the target receptor"},
        {"delay_ms", "ms"}}},
  });
}

void FileSink::add_sonata_spikes(const std::string& recorder) {
  check_open("SONATA output of " + recorder + " added");
  if (!sonata_supported()) throw std::runtime_error(sonata_unsupported_reason());
  auto it = spike_files_.find(recorder);
  if (it == spike_files_.end())
    throw std::invalid_argument("SONATA output: no spike recorder " + quote(recorder));
  for (const auto& [name, f] : spike_files_)
    if (f.sonata && f.info.population == it->second.info.population)
      throw std::invalid_argument("SONATA output: population " + f.info.population +
                                  " is already written by spike recorder " + quote(name) +
                                  " (spikes.h5 holds one group per population)");
  const bool first = std::none_of(spike_files_.begin(), spike_files_.end(),
                                  [](const auto& e) { return e.second.sonata; });
  if (first) claim(recorder, std::string(sonata_spikes_name));
  it->second.sonata = true;
}

void FileSink::write_sonata() {
  std::vector<SonataSpikeSource> sources;
  for (const auto& [kind, name] : order_)
    if (kind == Kind::spikes && spike_files_.at(name).sonata)
      sources.push_back({.population = spike_files_.at(name).info.population,
                         .spikes_npy = spike_files_.at(name).writer->path()});
  if (sources.empty()) return;
  write_sonata_spikes(folder_.path(sonata_spikes_name), sources);
  for (auto& [name, f] : spike_files_)
    if (f.sonata) f.sonata_written = true;
}

void FileSink::add_spike_recorder(const SpikeRecorder& recorder, const Population& population) {
  add_spike_recording(
      {.recorder = recorder.name(),
       .population = population.name(),
       .gid_offset = population.gid_offset(),
       .population_size = population.size(),
       .neurons = recorder.subset().empty() ? population.size() : recorder.subset().size()});
}

void FileSink::add_state_recorder(const StateRecorder& recorder, const Population& population) {
  std::string unit;
  bool found = false;
  for (const auto& v : population.state_vars())
    if (v.name == recorder.variable()) {
      unit = v.unit;
      found = true;
    }
  if (!found)
    throw std::invalid_argument("state recorder " + recorder.name() + ": population " +
                                population.name() + " has no state variable " +
                                quote(recorder.variable()));
  std::vector<std::uint32_t> neurons = recorder.subset();
  if (neurons.empty()) {
    neurons.resize(population.size());
    std::iota(neurons.begin(), neurons.end(), 0u);
  }
  add_state_recording({.recorder = recorder.name(),
                       .population = population.name(),
                       .variable = recorder.variable(),
                       .unit = unit,
                       .neurons = std::move(neurons),
                       .interval_ms = resolution_.stamp_ms(recorder.interval())});
}

void FileSink::add_spike_recording(SpikeRecording r) {
  check_open("spike recorder " + r.recorder + " added");
  if (auto err = file_stem_error(r.recorder)) throw std::invalid_argument("spike recorder " + *err);
  if (spike_files_.count(r.recorder))
    throw std::invalid_argument("spike recorder " + quote(r.recorder) + " added twice");
  SpikeFile f{.info = std::move(r), .writer = nullptr, .block = {}};
  f.writer = std::make_unique<NpyWriter>(
      NpyWriter::records(claim(f.info.recorder, f.info.recorder + "_spikes.npy"),
                         {{"time_ms", std::string(npy_type<double>())},
                          {"neuron", std::string(npy_type<std::uint32_t>())}}));
  order_.emplace_back(Kind::spikes, f.info.recorder);
  const std::string name = f.info.recorder;
  spike_files_.emplace(name, std::move(f));
}

void FileSink::add_state_recording(StateRecording r) {
  check_open("state recorder " + r.recorder + " added");
  if (auto err = file_stem_error(r.recorder)) throw std::invalid_argument("state recorder " + *err);
  if (state_files_.count(r.recorder))
    throw std::invalid_argument("state recorder " + quote(r.recorder) + " added twice");
  const std::string name = r.recorder;
  StateFile f{.info = std::move(r),
              .values = nullptr,
              .times = nullptr,
              .neurons = nullptr,
              .block_times = {}};
  f.values = std::make_unique<NpyWriter>(
      NpyWriter::matrix(claim(name, name + ".npy"), f.info.neurons.size()));
  f.times =
      std::make_unique<NpyWriter>(NpyWriter::vector<double>(claim(name, name + "_times.npy")));
  f.neurons = std::make_unique<NpyWriter>(
      NpyWriter::vector<std::uint32_t>(claim(name, name + "_neurons.npy")));
  f.neurons->append(f.info.neurons);
  order_.emplace_back(Kind::state, name);
  state_files_.emplace(name, std::move(f));
}

void FileSink::add_synapse_recorder(const SynapseRecorder& recorder, const Projection& projection,
                                    const Population& target) {
  add_synapse_recorder(recorder, projection, target, recorder.columns());
}

void FileSink::add_synapse_recorder(const SynapseRecorder& recorder, const Projection& projection,
                                    const Population& target,
                                    std::vector<std::pair<std::uint32_t, std::uint32_t>> synapses) {
  const bool weight = recorder.variable() == SynapseRecorder::Variable::weight;
  std::string unit = "1";
  if (projection.channel() < target.receptors().size())
    unit = std::string(target.receptors()[projection.channel()].unit);
  add_synapse_recording(
      {.recorder = recorder.name(),
       .projection = projection.name(),
       .model = std::string(projection.model()),
       .variable = std::string(SynapseRecorder::variable_name(recorder.variable())),
       .unit = weight ? unit : unit + "/ms per unit of dopamine",
       .synapses = std::move(synapses),
       .interval_ms = resolution_.stamp_ms(recorder.interval())});
}

void FileSink::add_synapse_recording(SynapseRecording r) {
  check_open("weight recorder " + r.recorder + " added");
  if (auto err = file_stem_error(r.recorder))
    throw std::invalid_argument("weight recorder " + *err);
  if (trace_files_.count(r.recorder) || state_files_.count(r.recorder))
    throw std::invalid_argument("recorder " + quote(r.recorder) + " added twice");
  const std::string name = r.recorder;
  TraceFile f;
  f.kind = "synapses";
  f.width = r.synapses.size();
  f.info = {{"projection", r.projection},   {"model", r.model},
            {"variable", r.variable},       {"unit", r.unit},
            {"interval_ms", r.interval_ms}, {"synapses", r.synapses.size()}};
  f.values = std::make_unique<NpyWriter>(NpyWriter::matrix(claim(name, name + ".npy"), f.width));
  f.times =
      std::make_unique<NpyWriter>(NpyWriter::vector<double>(claim(name, name + "_times.npy")));
  f.sources = std::make_unique<NpyWriter>(
      NpyWriter::vector<std::uint32_t>(claim(name, name + "_sources.npy")));
  f.targets = std::make_unique<NpyWriter>(
      NpyWriter::vector<std::uint32_t>(claim(name, name + "_targets.npy")));
  std::vector<std::uint32_t> sources, targets;
  for (const auto& [s, t] : r.synapses) {
    sources.push_back(s);
    targets.push_back(t);
  }
  f.sources->append(sources);
  f.targets->append(targets);
  order_.emplace_back(Kind::trace, name);
  trace_files_.emplace(name, std::move(f));
}

void FileSink::add_neuromodulator_recording(NeuromodulatorRecording r) {
  check_open("neuromodulator recorder " + r.recorder + " added");
  if (auto err = file_stem_error(r.recorder))
    throw std::invalid_argument("neuromodulator recorder " + *err);
  if (trace_files_.count(r.recorder) || state_files_.count(r.recorder))
    throw std::invalid_argument("recorder " + quote(r.recorder) + " added twice");
  const std::string name = r.recorder;
  TraceFile f;
  f.kind = "neuromodulator";
  f.width = 1;
  f.info = {{"neuromodulator", r.neuromodulator},
            {"variable", "level"},
            {"unit", "1"},
            {"interval_ms", r.interval_ms}};
  f.values = std::make_unique<NpyWriter>(NpyWriter::vector<double>(claim(name, name + ".npy")));
  f.times =
      std::make_unique<NpyWriter>(NpyWriter::vector<double>(claim(name, name + "_times.npy")));
  order_.emplace_back(Kind::trace, name);
  trace_files_.emplace(name, std::move(f));
}

void FileSink::add_table(const ResultTable& table) {
  check_open("table " + table.name + " added");
  if (auto err = file_stem_error(table.name)) throw std::invalid_argument("table " + *err);
  if (table.name == "spike_counts" || tables_.count(table.name))
    throw std::invalid_argument("table " + quote(table.name) + " added twice");
  const std::string file = table.name + ".csv";
  CsvWriter out(claim(table.name, file), table.columns);
  std::vector<CsvCell> cells;
  for (const auto& row : table.rows) {
    if (row.size() != table.columns.size())
      throw std::invalid_argument("table " + table.name + ": a row of " +
                                  std::to_string(row.size()) + " cells under " +
                                  std::to_string(table.columns.size()) + " columns");
    cells.clear();
    for (const auto& cell : row)
      std::visit([&](const auto& x) { cells.emplace_back(x); }, cell);
    out.row(cells);
  }
  out.close();
  tables_.emplace(table.name, file);
}

void FileSink::spikes(const std::string& recorder, std::span<const SpikeEvent> spikes) {
  check_open("spikes of " + recorder + " received");
  auto it = spike_files_.find(recorder);
  if (it == spike_files_.end())
    throw std::logic_error("results sink: spikes from recorder " + quote(recorder) +
                           ", which was never added to it");
  SpikeFile& f = it->second;
  // Records packed as the header declares them: time_ms <f8, then neuron <u4.
  constexpr std::size_t record = sizeof(double) + sizeof(std::uint32_t);
  f.block.resize(spikes.size() * record);
  std::byte* out = f.block.data();
  for (const SpikeEvent& s : spikes) {
    const std::uint32_t local = s.gid - f.info.gid_offset;
    if (s.gid < f.info.gid_offset || local >= f.info.population_size)
      throw std::logic_error("results sink: recorder " + quote(recorder) +
                             " got a spike of global id " + std::to_string(s.gid) +
                             ", outside population " + f.info.population +
                             " (was it added to the sink before the simulator placed it?)");
    store_le(out, resolution_.stamp_ms(s.step));
    store_le(out + sizeof(double), local);
    out += record;
  }
  f.writer->append_bytes(f.block);
}

void FileSink::samples(const std::string& recorder, std::span<const Step> steps,
                       std::span<const double> values, std::size_t width) {
  check_open("samples of " + recorder + " received");
  if (auto t = trace_files_.find(recorder); t != trace_files_.end()) {
    TraceFile& f = t->second;
    if (width != f.width || values.size() != steps.size() * width)
      throw std::logic_error("results sink: recorder " + quote(recorder) + " sent rows of " +
                             std::to_string(width) + " values; it was added with " +
                             std::to_string(f.width));
    f.values->append(values);
    f.block_times.resize(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i)
      f.block_times[i] = resolution_.stamp_ms(steps[i]);
    f.times->append(f.block_times);
    return;
  }
  auto it = state_files_.find(recorder);
  if (it == state_files_.end())
    throw std::logic_error("results sink: samples from recorder " + quote(recorder) +
                           ", which was never added to it");
  StateFile& f = it->second;
  if (width != f.info.neurons.size() || values.size() != steps.size() * width)
    throw std::logic_error("results sink: recorder " + quote(recorder) + " sent rows of " +
                           std::to_string(width) + " values; it was added with " +
                           std::to_string(f.info.neurons.size()) + " neurons");
  f.values->append(values);
  f.block_times.resize(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i)
    f.block_times[i] = resolution_.stamp_ms(steps[i]);
  f.times->append(f.block_times);
}

void FileSink::sync(Step flushed) {
  check_open("sync() called");
  for (auto& [name, f] : spike_files_)
    f.writer->sync();
  for (auto& [name, f] : state_files_)
    for (auto* w : {f.values.get(), f.times.get(), f.neurons.get()})
      w->sync();
  for (auto& [name, f] : trace_files_)
    for (auto* w : {f.values.get(), f.times.get(), f.sources.get(), f.targets.get()})
      if (w) w->sync();
  flushed_ = flushed;
}

void FileSink::finish(RunStatus status, Step reached) {
  check_open("finish() called");
  if (status == RunStatus::running)
    throw std::invalid_argument("results sink: finish() needs a final status, not \"running\"");
  finished_ = true;
  status_ = status;
  reached_ = reached;
  std::exception_ptr first;
  const auto close = [&](NpyWriter* w) {
    if (!w) return;
    try {
      w->close();
    } catch (...) {
      if (!first) first = std::current_exception();
      w->abandon();
      abandoned_.push_back(w);
    }
  };
  for (auto& [name, f] : spike_files_)
    close(f.writer.get());
  for (auto& [name, f] : state_files_)
    for (auto* w : {f.values.get(), f.times.get(), f.neurons.get()})
      close(w);
  for (auto& [name, f] : trace_files_)
    for (auto* w : {f.values.get(), f.times.get(), f.sources.get(), f.targets.get()})
      close(w);
  try {
    write_spike_counts();
  } catch (...) {
    if (!first) first = std::current_exception();
  }
  // SONATA only from complete .npy files of a complete run: an interrupted
  // run may still be resumed, and its .npy files grow then.
  if (status == RunStatus::complete && !first) try {
      write_sonata();
    } catch (...) {
      first = std::current_exception();
    }
  if (first) std::rethrow_exception(first);
}

void FileSink::write_spike_counts() const {
  if (spike_files_.empty()) return;
  CsvWriter counts(folder_.path(spike_counts_name),
                   {"recorder", "population", "neurons", "spikes", "duration_ms", "rate_Hz"});
  const double duration_ms = resolution_.stamp_ms(reached_);
  for (const auto& [kind, name] : order_) {
    if (kind != Kind::spikes) continue;
    const SpikeFile& f = spike_files_.at(name);
    const auto n = f.writer->rows();
    const double rate =
        f.info.neurons > 0 && duration_ms > 0.0
            ? static_cast<double>(n) / static_cast<double>(f.info.neurons) / (duration_ms * 1e-3)
            : std::numeric_limits<double>::quiet_NaN();
    counts.row({f.info.recorder, f.info.population, f.info.neurons, n, duration_ms, rate});
  }
  counts.close();
}

std::vector<NpyWriter*> FileSink::writers() const {
  std::vector<NpyWriter*> all;
  for (const auto& [kind, name] : order_) {
    if (kind == Kind::spikes) {
      all.push_back(spike_files_.at(name).writer.get());
    } else if (kind == Kind::state) {
      const StateFile& f = state_files_.at(name);
      all.insert(all.end(), {f.values.get(), f.times.get(), f.neurons.get()});
    } else {
      const TraceFile& f = trace_files_.at(name);
      for (NpyWriter* w : {f.values.get(), f.times.get(), f.sources.get(), f.targets.get()})
        if (w) all.push_back(w);
    }
  }
  return all;
}

void FileSink::save(CheckpointWriter& w) const {
  check_open("save() called");
  w.section("results-files");
  const auto all = writers();
  w.value<std::uint64_t>(all.size());
  for (const NpyWriter* f : all) {
    w.string(f->path().filename().string());
    w.string(f->temp_path().filename().string());
    w.value<std::uint64_t>(f->rows());
  }
}

std::set<std::string> FileSink::resume(CheckpointReader& r, Step flushed) {
  check_open("resume() called");
  r.section("results-files");
  const auto all = writers();
  if (r.value<std::uint64_t>() != all.size())
    throw std::runtime_error(
        "checkpoint: it counts another number of data files than this run "
        "writes (a checkpoint of another network?)");
  struct Saved {
    std::string name, temp;
    std::uint64_t rows;
  };
  std::vector<Saved> saved;
  for (const NpyWriter* f : all) {
    Saved s{r.string(), r.string(), r.value<std::uint64_t>()};
    if (s.name != f->path().filename().string())
      throw std::runtime_error("checkpoint: data file " + quote(s.name) +
                               " where this run writes " + quote(f->path().filename().string()) +
                               " (a checkpoint of another network?)");
    if (s.temp.find('/') != std::string::npos || !is_partial_file_name(s.temp))
      throw std::runtime_error("checkpoint: " + quote(s.temp) + " is not a temporary file name");
    saved.push_back(std::move(s));
  }
  // Every file checked before any is touched: a refused resume leaves the
  // folder as it found it.
  const std::filesystem::path dir = folder_.dir();
  for (std::size_t i = 0; i < all.size(); ++i)
    NpyWriter::resumable(dir / saved[i].name, dir / saved[i].temp, all[i]->dtype(),
                         all[i]->row_shape(), saved[i].rows);
  std::set<std::string> taken;
  for (std::size_t i = 0; i < all.size(); ++i) {
    *all[i] = NpyWriter::resume(dir / saved[i].name, dir / saved[i].temp, all[i]->dtype(),
                                all[i]->row_shape(), saved[i].rows);
    taken.insert(saved[i].temp);
  }
  flushed_ = flushed;
  return taken;
}

nlohmann::json FileSink::manifest_section() const {
  using nlohmann::json;
  json recordings = json::array();
  for (const auto& [kind, name] : order_) {
    if (kind == Kind::trace) {
      const TraceFile& f = trace_files_.at(name);
      json r = f.info;
      r["recorder"] = name;
      r["kind"] = f.kind;
      r["samples"] = f.times->rows();
      r["files"] = {{"values", f.values->path().filename().string()},
                    {"times", f.times->path().filename().string()}};
      if (f.sources) {
        r["files"]["sources"] = f.sources->path().filename().string();
        r["files"]["targets"] = f.targets->path().filename().string();
      }
      recordings.push_back(std::move(r));
    } else if (kind == Kind::spikes) {
      const SpikeFile& f = spike_files_.at(name);
      json r = {
          {"recorder", name},
          {"kind", "spikes"},
          {"population", f.info.population},
          {"population_size", f.info.population_size},
          {"neurons", f.info.neurons},
          {"spikes", f.writer->rows()},
          {"formats", {"npy"}},
          {"files", {{"spikes", f.writer->path().filename().string()}}},
          {"columns", {{"time_ms", "ms"}, {"neuron", "local index in the population"}}},
      };
      if (f.sonata_written) {
        r["formats"].push_back("sonata");
        r["files"]["sonata"] = std::string(sonata_spikes_name);
        r["sonata_group"] = "/spikes/" + f.info.population;
      }
      recordings.push_back(std::move(r));
    } else {
      const StateFile& f = state_files_.at(name);
      recordings.push_back({
          {"recorder", name},
          {"kind", "state"},
          {"population", f.info.population},
          {"variable", f.info.variable},
          {"unit", f.info.unit},
          {"interval_ms", f.info.interval_ms},
          {"neurons", f.info.neurons.size()},
          {"samples", f.times->rows()},
          {"files",
           {{"values", f.values->path().filename().string()},
            {"times", f.times->path().filename().string()},
            {"neurons", f.neurons->path().filename().string()}}},
      });
    }
  }
  for (json r : connection_files_) {
    r["time_ms"] = finished_ ? json(resolution_.stamp_ms(reached_)) : json(nullptr);
    recordings.push_back(std::move(r));
  }
  json section = {
      {"format", 1},
      {"resolution_ms", resolution_.dt_ms()},
      {"status", to_string(status_.value_or(RunStatus::running))},
      {"time_reached_ms", finished_ ? json(resolution_.stamp_ms(reached_)) : json(nullptr)},
      {"recordings", std::move(recordings)},
      {"tables", json::object()},
  };
  if (!spike_files_.empty()) section["tables"]["spike_counts"] = std::string(spike_counts_name);
  // Every file format the folder holds: .npy always, CSV with a table, HDF5
  // (SONATA) once spikes.h5 is written.
  section["formats"] = json::array({"npy"});
  if (!spike_files_.empty() || !tables_.empty()) section["formats"].push_back("csv");
  if (std::any_of(spike_files_.begin(), spike_files_.end(),
                  [](const auto& e) { return e.second.sonata_written; }))
    section["formats"].push_back("sonata");
  if (!finished_ || !abandoned_.empty()) {
    section["time_flushed_ms"] = flushed_ ? json(resolution_.to_ms(*flushed_)) : json(nullptr);
    json partial = json::object();
    auto add = [&](const NpyWriter* w) {
      const bool left = std::find(abandoned_.begin(), abandoned_.end(), w) != abandoned_.end();
      if (w && (w->is_open() || left))
        partial[w->path().filename().string()] = w->temp_path().filename().string();
    };
    for (const auto& [name, f] : spike_files_)
      add(f.writer.get());
    for (const auto& [name, f] : state_files_)
      for (const auto* w : {f.values.get(), f.times.get(), f.neurons.get()})
        add(w);
    for (const auto& [name, f] : trace_files_)
      for (const auto* w : {f.values.get(), f.times.get(), f.sources.get(), f.targets.get()})
        add(w);
    section["partial_files"] = std::move(partial);
  }
  for (const auto& [name, file] : tables_)
    section["tables"][name] = file;
  return section;
}

}  // namespace bgsim::io
