#include "tasks/ramps/experiment_io.hpp"

#include <cmath>
#include <limits>

namespace bgsim::tasks::ramps {

io::CsvWriter trace_csv(const ExperimentContext& cx, const std::string& file,
                        const std::vector<std::string>& prefix) {
  std::vector<std::string> header = prefix;
  header.insert(header.end(), kTraceColumns.begin(), kTraceColumns.end());
  return io::CsvWriter(cx.folder.path(file), std::move(header));
}

void write_trace(io::CsvWriter& csv, const std::vector<io::CsvCell>& prefix, std::int64_t episode,
                 const EpisodeTrace& trace) {
  std::vector<io::CsvCell> row = prefix;
  const std::size_t first = row.size();
  row.resize(first + kTraceColumns.size(), io::CsvCell(0));
  row[first] = io::CsvCell(episode);
  for (std::size_t s = 0; s < trace.deltas.size(); ++s) {
    row[first + 1] = io::CsvCell(s);
    row[first + 2] = io::CsvCell(trace.states[s]);
    row[first + 3] = io::CsvCell(trace.next_states[s]);
    row[first + 4] = io::CsvCell(trace.rewards[s]);
    row[first + 5] = io::CsvCell(trace.values[s]);
    row[first + 6] = io::CsvCell(trace.deltas[s]);
    csv.row(row);
  }
}

std::string condition_key(double x) {
  return io::csv_number(x);
}

nlohmann::json read_whole_numbers(ExperimentParams& p, const std::string& key,
                                  std::vector<int>& field) {
  std::vector<double> numbers(field.begin(), field.end());
  p.numbers(key, numbers);
  std::vector<int> whole;
  for (double x : numbers) {
    // Whole and representable as int; a list like [1, 2.5] is refused whole.
    if (!(std::isfinite(x) && std::floor(x) == x && x >= std::numeric_limits<int>::min() &&
          x <= std::numeric_limits<int>::max())) {
      p.reader().error(key, "expected a list of whole numbers, got " + io::csv_number(x));
      return field;
    }
    whole.push_back(static_cast<int>(x));
  }
  field = whole;
  return field;
}

}  // namespace bgsim::tasks::ramps
