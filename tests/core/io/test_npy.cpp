// The .npy writer and reader: round trips, the exact header bytes NumPy
// expects, and the rule that a file carries its final name only when whole.

#include "core/io/npy.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "tests/core/io/io_test_support.hpp"

namespace bgsim::io {
namespace {

using test::contains;
using test::message_of;
using test::ScratchDir;

const std::vector<NpyField> spike_fields = {{"time_ms", "<f8"}, {"neuron", "<u4"}};

std::vector<std::byte> spike_records(const std::vector<std::pair<double, std::uint32_t>>& rows) {
  std::vector<std::byte> out(rows.size() * 12);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    store_le(out.data() + 12 * i, rows[i].first);
    store_le(out.data() + 12 * i + 8, rows[i].second);
  }
  return out;
}

TEST(NpyWriter, RecordsRoundTripThroughTheReaderAcrossBlocks) {
  ScratchDir dir;
  const auto path = dir / "spikes.npy";
  auto w = NpyWriter::records(path, spike_fields);
  EXPECT_EQ(w.row_bytes(), 12u);
  std::vector<std::pair<double, std::uint32_t>> all;
  for (int block = 0; block < 5; ++block) {
    std::vector<std::pair<double, std::uint32_t>> rows;
    for (int i = 0; i < 1000 + block; ++i)
      rows.emplace_back(0.1 * (block * 2000 + i), static_cast<std::uint32_t>(i * 7919 % 4000));
    w.append_bytes(spike_records(rows));
    all.insert(all.end(), rows.begin(), rows.end());
  }
  w.append_bytes({});  // an empty block changes nothing
  EXPECT_EQ(w.rows(), all.size());
  w.close();

  const NpyArray a = read_npy(path);
  ASSERT_TRUE(a.dtype.is_record());
  EXPECT_EQ(a.dtype.fields, spike_fields);
  EXPECT_EQ(a.shape, std::vector<std::size_t>{all.size()});
  const auto t = a.field<double>("time_ms");
  const auto n = a.field<std::uint32_t>("neuron");
  ASSERT_EQ(t.size(), all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(t[i], all[i].first) << "row " << i;
    ASSERT_EQ(n[i], all[i].second) << "row " << i;
  }
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] { a.field<float>("time_ms"); }),
                       "'time_ms' of type <f8"));
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] { a.field<double>("gid"); }),
                       "no field 'gid'"));
}

TEST(NpyWriter, MatricesAndVectorsRoundTripBitForBit) {
  ScratchDir dir;
  const double specials[] = {0.0,
                             -0.0,
                             0.1,
                             1.0 / 3.0,
                             std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN()};
  {
    auto m = NpyWriter::matrix(dir / "m.npy", 3);
    m.append(std::span<const double>(specials, 9));  // three rows at once
    m.append(std::vector<double>{1, 2, 3});
    EXPECT_EQ(m.rows(), 4u);
    m.close();
  }
  const NpyArray m = read_npy(dir / "m.npy");
  EXPECT_EQ(m.dtype, NpyDtype::of<double>());
  EXPECT_EQ(m.shape, (std::vector<std::size_t>{4, 3}));
  const auto v = m.values<double>();
  for (int i = 0; i < 9; ++i)
    EXPECT_EQ(std::memcmp(&v[i], &specials[i], sizeof(double)), 0) << "item " << i;
  EXPECT_EQ(v[11], 3.0);

  auto u = NpyWriter::vector<std::uint32_t>(dir / "u.npy");
  u.append(std::vector<std::uint32_t>{0, 1, 4294967295u});
  u.close();
  EXPECT_EQ(read_npy(dir / "u.npy").values<std::uint32_t>(),
            (std::vector<std::uint32_t>{0, 1, 4294967295u}));

  auto i8 = NpyWriter::vector<std::int64_t>(dir / "i8.npy");
  i8.append(std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min(), -1, 7});
  i8.close();
  EXPECT_EQ(read_npy(dir / "i8.npy").values<std::int64_t>(),
            (std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min(), -1, 7}));
}

TEST(NpyWriter, EmptyArraysAreValidFiles) {
  // A recorder that saw nothing still leaves a file that loads as zero rows.
  ScratchDir dir;
  NpyWriter::records(dir / "none.npy", spike_fields).close();
  NpyWriter::matrix(dir / "none2d.npy", 5).close();
  const auto a = read_npy(dir / "none.npy");
  EXPECT_EQ(a.shape, std::vector<std::size_t>{0});
  EXPECT_TRUE(a.data.empty());
  EXPECT_EQ(read_npy(dir / "none2d.npy").shape, (std::vector<std::size_t>{0, 5}));
}

TEST(NpyWriter, HeaderBytesAreThoseNumpyWrites) {
  ScratchDir dir;
  auto w = NpyWriter::records(dir / "s.npy", spike_fields);
  w.append_bytes(spike_records({{0.5, 1}, {1.5, 2}, {2.5, 3}}));
  w.close();
  const std::string b = test::read_bytes(dir / "s.npy");
  ASSERT_GE(b.size(), 10u);
  EXPECT_EQ(b.substr(0, 6), "\x93NUMPY");
  EXPECT_EQ(b[6], '\x01');  // format version 1.0
  EXPECT_EQ(b[7], '\x00');
  const std::size_t header_len = static_cast<unsigned char>(b[8]) |
                                 (static_cast<std::size_t>(static_cast<unsigned char>(b[9])) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u) << "data must start 64-byte aligned";
  ASSERT_EQ(b.size(), 10 + header_len + 3 * 12);
  const std::string header = b.substr(10, header_len);
  const std::string dict =
      "{'descr': [('time_ms', '<f8'), ('neuron', '<u4')], 'fortran_order': False, "
      "'shape': (3,), }";
  EXPECT_EQ(header.substr(0, dict.size()), dict);
  EXPECT_EQ(header.back(), '\n');
  EXPECT_EQ(header.find_first_not_of(' ', dict.size()), header_len - 1)
      << "padding must be spaces up to the final newline";
  // The first record, little-endian.
  double t;
  std::memcpy(&t, b.data() + 10 + header_len, 8);
  EXPECT_EQ(t, 0.5);

  auto m = NpyWriter::matrix(dir / "m.npy", 2);
  m.close();
  const std::string mb = test::read_bytes(dir / "m.npy");
  const std::string matrix_dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 2), }";
  EXPECT_EQ(mb.substr(10, matrix_dict.size()), matrix_dict);
  EXPECT_EQ(mb.size() % 64, 0u);
}

TEST(NpyWriter, NothingCarriesTheFinalNameBeforeClose) {
  ScratchDir dir;
  const auto path = dir / "v.npy";
  auto w = NpyWriter::matrix(path, 2);
  w.append(std::vector<double>{1, 2, 3, 4});
  EXPECT_FALSE(std::filesystem::exists(path));
  const auto during = dir.list();
  ASSERT_EQ(during.size(), 1u);
  EXPECT_TRUE(is_partial_file_name(during[0])) << during[0];
  EXPECT_EQ(during[0].front(), '.') << "temporaries are hidden from *.npy globs";
  w.close();
  EXPECT_EQ(dir.list(), std::vector<std::string>{"v.npy"});
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] {
                         w.append(std::vector<double>{1, 2});
                       }),
                       "v.npy"));
}

// Streaming (docs/results.md): after every sync() the temporary file is a
// valid array of exactly the rows appended so far, so a run killed at any
// moment after a sync leaves them readable; rows appended after the last
// sync may follow the data but never make the shape promise more.
TEST(NpyWriter, SyncMakesTheTemporaryFileAValidArrayAfterEveryFlush) {
  ScratchDir dir;
  auto spikes = NpyWriter::records(dir / "spikes.npy", spike_fields);
  auto matrix = NpyWriter::matrix(dir / "v.npy", 3);
  std::vector<std::pair<double, std::uint32_t>> all;
  std::vector<double> values;
  for (int flush = 0; flush < 6; ++flush) {
    std::vector<std::pair<double, std::uint32_t>> rows;
    for (int i = 0; i < 700 * flush; ++i)  // large blocks: stdio writes some out by itself
      rows.emplace_back(0.1 * static_cast<double>(all.size() + rows.size()),
                        static_cast<std::uint32_t>(i % 97));
    spikes.append_bytes(spike_records(rows));
    all.insert(all.end(), rows.begin(), rows.end());
    const std::vector<double> row = {flush * 1.0, -0.5, std::nan("")};
    matrix.append(row);
    values.insert(values.end(), row.begin(), row.end());
    spikes.sync();
    matrix.sync();

    const NpyArray a = read_npy(spikes.temp_path());  // no trailing bytes right after a sync
    ASSERT_EQ(a.shape, std::vector<std::size_t>{all.size()}) << "after flush " << flush;
    const auto t = a.field<double>("time_ms");
    const auto n = a.field<std::uint32_t>("neuron");
    for (std::size_t i = 0; i < all.size(); ++i) {
      ASSERT_EQ(t[i], all[i].first);
      ASSERT_EQ(n[i], all[i].second);
    }
    const NpyArray m = read_npy(matrix.temp_path());
    ASSERT_EQ(m.shape, (std::vector<std::size_t>{static_cast<std::size_t>(flush + 1), 3}));
    const auto got = m.values<double>();
    for (std::size_t i = 0; i < values.size(); ++i)
      ASSERT_TRUE(got[i] == values[i] || (std::isnan(got[i]) && std::isnan(values[i])));

    // Rows appended after the sync: the header still counts the old ones,
    // and what a reader that ignores trailing bytes (NumPy) sees is unchanged.
    spikes.append_bytes(spike_records({{-1.0, 1}}));
    all.emplace_back(-1.0, 1);
    const NpyArray before = read_npy(spikes.temp_path(), NpyTrailingBytes::ignore);
    EXPECT_LE(before.shape[0], all.size());
    EXPECT_GE(before.shape[0], all.size() - 1);
  }
  spikes.close();
  matrix.close();
  EXPECT_EQ(read_npy(dir / "spikes.npy").shape, std::vector<std::size_t>{all.size()});
  EXPECT_EQ(read_npy(dir / "v.npy").shape, (std::vector<std::size_t>{6, 3}));
}

TEST(NpyWriter, DestroyedWithoutCloseLeavesNothing) {
  ScratchDir dir;
  {
    auto w = NpyWriter::records(dir / "s.npy", spike_fields);
    w.append_bytes(spike_records({{1.0, 1}}));
    auto moved = std::move(w);  // ownership of the temporary moves with it
    moved.append_bytes(spike_records({{2.0, 2}}));
  }
  EXPECT_TRUE(dir.list().empty());
  // Also when a write was refused: the refusal leaves the writer usable and
  // its destruction still cleans up.
  {
    auto w = NpyWriter::matrix(dir / "m.npy", 3);
    EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] {
                           w.append(std::vector<double>{1, 2});
                         }),
                         "not a whole number of rows"));
    EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] {
                           w.append(std::vector<float>{1, 2, 3});
                         }),
                         "m.npy"));
  }
  EXPECT_TRUE(dir.list().empty());
}

// bgsim resume: a writer takes up the file an earlier one left (killed, so
// with rows past the checkpoint's count; or finished, under its final name),
// cuts it to the counted rows and goes on; the result is the file one writer
// would have written. What cannot be taken up is refused before anything is
// changed, and a resumed file is never removed.
TEST(NpyWriter, ResumeTakesUpAnEarlierWritersFileAtTheCountedRows) {
  ScratchDir dir;
  const auto rows = [](int from, int to) {
    std::vector<std::pair<double, std::uint32_t>> r;
    for (int i = from; i < to; ++i)
      r.emplace_back(0.5 * i, static_cast<std::uint32_t>(i));
    return r;
  };
  {  // one writer, never stopped
    auto w = NpyWriter::records(dir / "whole.npy", spike_fields);
    w.append_bytes(spike_records(rows(0, 50)));
    w.close();
  }
  for (const bool finished : {false, true}) {
    const auto name = std::string(finished ? "finished" : "killed") + ".npy";
    std::filesystem::path temp;
    {
      auto w = NpyWriter::records(dir / name, spike_fields);
      w.append_bytes(spike_records(rows(0, 20)));
      w.sync();                                     // the checkpoint: 20 rows
      w.append_bytes(spike_records(rows(20, 27)));  // written after it, lost to the resume
      temp = w.temp_path();
      if (finished)
        w.close();  // stopped by Ctrl-C after the checkpoint: the file has its name
      else
        w.abandon();  // killed: the temporary stays
    }
    EXPECT_THROW(NpyWriter::resume(dir / name, temp, NpyDtype::of<double>(), {}, 20),
                 std::runtime_error)
        << "another dtype";
    EXPECT_TRUE(contains(message_of<std::runtime_error>([&] {
                           NpyWriter::resume(dir / name, temp, NpyDtype::record(spike_fields), {},
                                             28);
                         }),
                         "fewer than"));
    auto w = NpyWriter::resume(dir / name, temp, NpyDtype::record(spike_fields), {}, 20);
    EXPECT_EQ(w.rows(), 20u);
    EXPECT_FALSE(std::filesystem::exists(dir / name)) << "no final name while it is written";
    w.append_bytes(spike_records(rows(20, 50)));
    w.close();
    EXPECT_EQ(test::read_bytes(dir / name), test::read_bytes(dir / "whole.npy")) << name;
  }
  // Gone altogether: refused, naming the file.
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] {
                         NpyWriter::resume(dir / "gone.npy", dir / ".gone.npy.partial-1-1",
                                           NpyDtype::record(spike_fields), {}, 0);
                       }),
                       "gone.npy"));
  // A resumed writer destroyed before close() leaves its file: it holds an
  // earlier run's data.
  std::filesystem::path temp;
  {
    auto w = NpyWriter::matrix(dir / "m.npy", 2);
    w.append(std::vector<double>{1, 2});
    w.sync();
    temp = w.temp_path();
    w.abandon();
  }
  { auto w = NpyWriter::resume(dir / "m.npy", temp, NpyDtype::of<double>(), {2}, 1); }
  EXPECT_EQ(read_npy(temp).values<double>(), (std::vector<double>{1, 2}));
}

TEST(NpyWriter, RefusesAFolderThatDoesNotExistNamingTheFile) {
  ScratchDir dir;
  const auto msg =
      message_of<std::runtime_error>([&] { NpyWriter::matrix(dir / "missing" / "v.npy", 1); });
  EXPECT_TRUE(contains(msg, "v.npy"));
  EXPECT_TRUE(contains(msg, "missing"));
}

TEST(NpyReader, RefusesTruncatedForeignAndUnsupportedFilesNamingThem) {
  ScratchDir dir;
  auto w = NpyWriter::matrix(dir / "m.npy", 2);
  w.append(std::vector<double>{1, 2, 3, 4});
  w.close();
  const std::string whole = test::read_bytes(dir / "m.npy");
  test::write_text(dir / "short.npy", whole.substr(0, whole.size() - 3));
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] { read_npy(dir / "short.npy"); }),
                       "short.npy: truncated"));
  test::write_text(dir / "long.npy", whole + "x");
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] { read_npy(dir / "long.npy"); }),
                       "longer than its header"));
  test::write_text(dir / "text.npy", "time_ms,neuron\n");
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] { read_npy(dir / "text.npy"); }),
                       "text.npy: not a .npy file"));
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] { read_npy(dir / "absent.npy"); }),
                       "absent.npy"));

  // Hand-written headers as other writers make them.
  auto npy = [](const std::string& dict) {
    std::string h = dict;
    while ((10 + h.size() + 1) % 64)
      h += ' ';
    h += '\n';
    std::string b = "\x93NUMPY\x01";
    b += '\0';
    b += static_cast<char>(h.size() & 0xff);
    b += static_cast<char>(h.size() >> 8);
    return b + h;
  };
  test::write_text(dir / "big.npy",
                   npy("{'descr': '>f8', 'fortran_order': False, 'shape': (0,), }"));
  EXPECT_TRUE(contains(message_of<std::runtime_error>([&] { read_npy(dir / "big.npy"); }),
                       "unsupported .npy dtype: '>f8'"));
  test::write_text(dir / "f.npy",
                   npy("{'descr': '<f8', 'fortran_order': True, 'shape': (0, 2), }"));
  EXPECT_TRUE(
      contains(message_of<std::runtime_error>([&] { read_npy(dir / "f.npy"); }), "Fortran-order"));
  test::write_text(dir / "pad.npy",
                   npy("{'descr': [('a', '<f8'), ('', '|V4')], 'fortran_order': False, "
                       "'shape': (0,), }"));
  EXPECT_TRUE(
      contains(message_of<std::runtime_error>([&] { read_npy(dir / "pad.npy"); }), "padding"));
  // Key order and quoting differ from ours but mean the same: accepted.
  test::write_text(dir / "ok.npy",
                   npy("{\"shape\": (0, 3), \"fortran_order\": False, \"descr\": \"<i4\"}"));
  const auto ok = read_npy(dir / "ok.npy");
  EXPECT_EQ(ok.dtype, NpyDtype::of<std::int32_t>());
  EXPECT_EQ(ok.shape, (std::vector<std::size_t>{0, 3}));
}

TEST(NpyDtype, RefusesTypesAndNamesOutsideTheSubset) {
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([] { NpyDtype::plain("<c16"); }), "<c16"));
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([] {
                         NpyDtype::record({{"a", "<f8"}, {"a", "<u4"}});
                       }),
                       "repeated"));
  EXPECT_TRUE(contains(message_of<std::invalid_argument>([] {
                         NpyDtype::record({{"it's", "<f8"}});
                       }),
                       "quotes"));
  EXPECT_EQ(NpyDtype::record(spike_fields).item_size(), 12u);
  EXPECT_EQ(NpyDtype::record(spike_fields).offset_of("neuron"), 8u);
}

}  // namespace
}  // namespace bgsim::io
