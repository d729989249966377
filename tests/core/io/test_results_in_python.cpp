// Results load as users load them: every file kind of a results folder is
// opened with Debian's NumPy and pandas, with the one-line recipes of
// docs/results.md, and checked field by field; and files NumPy wrote are read
// back by our reader. Needs /usr/bin/python3 with python3-numpy and
// python3-pandas (tools/setup.sh installs them); fails, saying so, without.

#include <gtest/gtest.h>

#include <cmath>

#include "core/io/results_folder.hpp"
#include "tests/core/io/io_test_support.hpp"

namespace bgsim::io {
namespace {

using test::ScratchDir;

// The values below are recomputed in Python from the same formulas, with the
// same IEEE operations (an integer step times dt), so they compare exactly.
constexpr double dt_ms = 0.1;
constexpr int n_spikes = 1000;
constexpr int n_samples = 100;

void write_folder(const std::filesystem::path& dir) {
  ResultsFolder folder(dir);
  FileSink sink(folder, Resolution(dt_ms));
  sink.add_spike_recording({.recorder = "exc",
                            .population = "exc",
                            .gid_offset = 10,
                            .population_size = 10,
                            .neurons = 10});
  sink.add_spike_recording({.recorder = "inh",  // records, but nothing fires
                            .population = "inh",
                            .gid_offset = 20,
                            .population_size = 5,
                            .neurons = 5});
  sink.add_state_recording({.recorder = "v_exc",
                            .population = "exc",
                            .variable = "V_m",
                            .unit = "mV",
                            .neurons = {1, 4, 7},
                            .interval_ms = 5 * dt_ms});
  // Handed over in uneven blocks, as recorders do.
  std::vector<SpikeEvent> block;
  for (int i = 0; i < n_spikes; ++i) {
    block.push_back({3 * i + 1, static_cast<std::uint32_t>(10 + i * 7 % 10), 0});
    if (block.size() == 333 || i == n_spikes - 1) {
      sink.spikes("exc", block);
      block.clear();
    }
  }
  std::vector<Step> steps;
  std::vector<double> values;
  for (int r = 0; r < n_samples; ++r) {
    steps.push_back(5 * r);
    for (int c = 0; c < 3; ++c)
      values.push_back(r * 1.5 - c * 0.25);
    if (steps.size() == 40 || r == n_samples - 1) {
      sink.samples("v_exc", steps, values, 3);
      steps.clear();
      values.clear();
    }
  }
  sink.finish(RunStatus::complete, 4000);

  CsvWriter table(folder.path("quoting.csv"), {"name", "x", "n"});
  table.row({"d1, left", 0.1, std::int64_t{9007199254740993}});  // 2^53 + 1: not a double
  table.row({"say \"go\"", std::nan(""), -1});
  table.row({"two\nlines", INFINITY, 0});
  table.row({"plain", -INFINITY, 1});
  table.row({"third", 1.0 / 3.0, 2});
  table.close();

  folder.write_manifest({{"status", "complete"}, {"results", sink.manifest_section()}});
}

constexpr const char* check_folder_py = R"PY(
import json, math, sys
import numpy as np
import pandas as pd

d = sys.argv[1]
def check(ok, what):
    if not ok:
        print("FAILED:", what)
        sys.exit(1)

m = json.load(open(f"{d}/manifest.json"))
check(m["status"] == "complete", "manifest status")
res = m["results"]
check(res["resolution_ms"] == 0.1 and res["time_reached_ms"] == 400.0, "resolution, time reached")

# Spikes: a structured array, in NumPy and in pandas.
s = np.load(f"{d}/exc_spikes.npy")
check(s.dtype.names == ("time_ms", "neuron"), f"spike fields {s.dtype.names}")
check(s.dtype["time_ms"] == np.float64 and s.dtype["neuron"] == np.uint32, f"spike dtype {s.dtype}")
check(s.shape == (1000,), f"spike shape {s.shape}")
i = np.arange(1000)
check(np.array_equal(s["time_ms"], (3 * i + 1) / 10), "spike times")  # the decimals, exactly
check(np.array_equal(s["neuron"], i * 7 % 10), "spike neurons")
df = pd.DataFrame(np.load(f"{d}/exc_spikes.npy"))
check(list(df.columns) == ["time_ms", "neuron"], f"pandas spike columns {list(df.columns)}")
check(str(df["neuron"].dtype) == "uint32" and len(df) == 1000, "pandas spike frame")
e = np.load(f"{d}/inh_spikes.npy")
check(e.shape == (0,) and e.dtype.names == ("time_ms", "neuron"), "empty spike file")

# State: matrix, times, columns; and the documented pandas one-liner.
v = np.load(f"{d}/v_exc.npy")
check(v.dtype == np.float64 and v.shape == (100, 3), f"state {v.dtype} {v.shape}")
r = np.arange(100)[:, None]
c = np.arange(3)[None, :]
check(np.array_equal(v, r * 1.5 - c * 0.25), "state values")
t = np.load(f"{d}/v_exc_times.npy")
check(t.dtype == np.float64 and np.array_equal(t, np.arange(100) * 5 / 10), "state times")
n = np.load(f"{d}/v_exc_neurons.npy")
check(n.dtype == np.uint32 and n.tolist() == [1, 4, 7], f"state columns {n}")
vf = pd.DataFrame(np.load(f"{d}/v_exc.npy"), index=np.load(f"{d}/v_exc_times.npy"),
                  columns=np.load(f"{d}/v_exc_neurons.npy"))
check(vf.shape == (100, 3) and vf.columns.tolist() == [1, 4, 7] and vf.loc[5.0, 4] == 15.0 - 0.25,
      "pandas state frame")

# Tables: pandas and NumPy.
sc = pd.read_csv(f"{d}/spike_counts.csv")
check(sc.columns.tolist() == ["recorder", "population", "neurons", "spikes", "duration_ms",
                              "rate_Hz"], f"spike_counts columns {sc.columns.tolist()}")
check(sc["recorder"].tolist() == ["exc", "inh"] and sc["spikes"].tolist() == [1000, 0],
      "spike counts")
check(sc["rate_Hz"].tolist() == [250.0, 0.0], f"rates {sc['rate_Hz'].tolist()}")
g = np.genfromtxt(f"{d}/spike_counts.csv", delimiter=",", names=True, dtype=None,
                  encoding="utf-8")
check(g["spikes"].tolist() == [1000, 0], "numpy genfromtxt spike counts")

q = pd.read_csv(f"{d}/quoting.csv", float_precision="round_trip")
check(q["name"].tolist() == ["d1, left", 'say "go"', "two\nlines", "plain", "third"],
      f"quoted names {q['name'].tolist()}")
x = q["x"].tolist()
check(x[0] == 0.1 and math.isnan(x[1]) and x[2] == math.inf and x[3] == -math.inf
      and x[4] == 1 / 3, f"numbers {x}")
check(q["n"].tolist() == [9007199254740993, -1, 0, 1, 2], f"integers {q['n'].tolist()}")
check(abs(pd.read_csv(f"{d}/quoting.csv")["x"][4] - 1 / 3) < 1e-15, "default float parser")
print("ok")
)PY";

TEST(ResultsInPython, EveryFileKindLoadsWithNumpyAndPandas) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;
  const auto dir = scratch / "run";
  write_folder(dir);
  const auto r = test::run_python(scratch.path(), check_folder_py, {dir.string()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(test::contains(r.output, "ok"));
}

constexpr const char* numpy_writes_py = R"PY(
import sys
import numpy as np
d = sys.argv[1]
i = np.arange(5)
s = np.zeros(5, dtype=[("time_ms", "<f8"), ("neuron", "<u4")])
s["time_ms"] = i * 0.1
s["neuron"] = i * 3
np.save(f"{d}/spikes.npy", s)
np.save(f"{d}/matrix.npy", np.arange(12, dtype=np.float64).reshape(4, 3) / 7)
np.save(f"{d}/ints.npy", np.array([-5, 0, 2**40], dtype=np.int64))
np.save(f"{d}/flags.npy", np.array([True, False, True]))
np.save(f"{d}/empty.npy", np.zeros((0, 2), dtype=np.float32))
print("ok")
)PY";

TEST(NpyReader, ReadsFilesNumpyWrote) {
  ASSERT_TRUE(test::python_stack_available());
  ScratchDir scratch;
  const auto r = test::run_python(scratch.path(), numpy_writes_py, {scratch.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.output;

  const auto s = read_npy(scratch / "spikes.npy");
  EXPECT_EQ(s.dtype, NpyDtype::record({{"time_ms", "<f8"}, {"neuron", "<u4"}}));
  EXPECT_EQ(s.field<double>("time_ms"),
            (std::vector<double>{0 * 0.1, 1 * 0.1, 2 * 0.1, 3 * 0.1, 4 * 0.1}));
  EXPECT_EQ(s.field<std::uint32_t>("neuron"), (std::vector<std::uint32_t>{0, 3, 6, 9, 12}));
  const auto m = read_npy(scratch / "matrix.npy");
  EXPECT_EQ(m.shape, (std::vector<std::size_t>{4, 3}));
  const auto mv = m.values<double>();
  for (int k = 0; k < 12; ++k)
    EXPECT_EQ(mv[k], k / 7.0);
  EXPECT_EQ(read_npy(scratch / "ints.npy").values<std::int64_t>(),
            (std::vector<std::int64_t>{-5, 0, std::int64_t{1} << 40}));
  EXPECT_EQ(read_npy(scratch / "flags.npy").values<bool>(), (std::vector<bool>{true, false, true}));
  const auto e = read_npy(scratch / "empty.npy");
  EXPECT_EQ(e.dtype, NpyDtype::of<float>());
  EXPECT_EQ(e.shape, (std::vector<std::size_t>{0, 2}));
}

}  // namespace
}  // namespace bgsim::io
