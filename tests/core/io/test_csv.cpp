// CSV tables: RFC 4180 quoting only where needed, numbers that read back
// exactly, and the same temporary-then-rename rule as every results file.

#include "core/io/csv.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "tests/core/io/io_test_support.hpp"

namespace bgsim::io {
namespace {

using test::contains;
using test::message_of;
using test::ScratchDir;

TEST(Csv, QuotesOnlyWhereRfc4180Requires) {
  EXPECT_EQ(csv_field("exc"), "exc");
  EXPECT_EQ(csv_field("ctx->d1"), "ctx->d1");
  EXPECT_EQ(csv_field(" padded "), " padded ");  // spaces are data, not syntax
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field("\""), "\"\"\"\"");
}

TEST(Csv, NumbersReadBackExactly) {
  const double xs[] = {0.0,
                       0.1,
                       1.0 / 3.0,
                       -2.5e-7,
                       123456789012345678.0,
                       std::numeric_limits<double>::denorm_min(),
                       std::numeric_limits<double>::max(),
                       std::numeric_limits<double>::lowest()};
  for (double x : xs) {
    const std::string s = csv_number(x);
    EXPECT_EQ(std::strtod(s.c_str(), nullptr), x) << s;
  }
  EXPECT_EQ(csv_number(0.1), "0.1");  // shortest form, not %.17g's 0.10000000000000001
  EXPECT_EQ(csv_number(-0.0), "-0");
  EXPECT_EQ(csv_number(std::numeric_limits<double>::infinity()), "inf");
  EXPECT_EQ(csv_number(-std::numeric_limits<double>::infinity()), "-inf");
  EXPECT_EQ(csv_number(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(csv_number(-std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(CsvCell(std::uint64_t{18446744073709551615u}).text(), "18446744073709551615");
  EXPECT_EQ(CsvCell(-3).text(), "-3");
}

TEST(Csv, WritesHeaderAndRowsUnderItsNameOnlyAtClose) {
  ScratchDir dir;
  const auto path = dir / "table.csv";
  {
    CsvWriter w(path, {"name", "rate_Hz", "count"});
    w.row({"d1, left", 4.5, 12});
    w.row({std::string("say \"go\""), std::numeric_limits<double>::quiet_NaN(), std::size_t{0}});
    EXPECT_EQ(w.rows(), 2u);
    EXPECT_FALSE(std::filesystem::exists(path));
    ASSERT_EQ(dir.list().size(), 1u);
    EXPECT_TRUE(is_partial_file_name(dir.list()[0]));
    w.close();
  }
  EXPECT_EQ(dir.list(), std::vector<std::string>{"table.csv"});
  EXPECT_EQ(test::read_bytes(path),
            "name,rate_Hz,count\n"
            "\"d1, left\",4.5,12\n"
            "\"say \"\"go\"\"\",nan,0\n");
}

// Streaming: at any moment the temporary file ends with a whole row (a run
// killed then leaves a table that reads back), and after sync() it holds
// every row so far.
TEST(Csv, TheTemporaryFileHoldsOnlyWholeRowsAndEveryRowAfterSync) {
  ScratchDir dir;
  CsvWriter w(dir / "trace.csv", {"trial", "time_ms", "value"});
  std::string expected = "trial,time_ms,value\n";
  for (int i = 0; i < 20000; ++i) {
    w.row({i, 0.1 * i, 1.0 / (i + 3)});
    expected +=
        std::to_string(i) + "," + csv_number(0.1 * i) + "," + csv_number(1.0 / (i + 3)) + "\n";
    if (i % 997 == 0) {
      const std::string now = test::read_bytes(w.temp_path());
      ASSERT_TRUE(now.empty() || now.back() == '\n') << "row " << i;
      ASSERT_EQ(now, expected.substr(0, now.size())) << "row " << i;
    }
  }
  EXPECT_GT(test::read_bytes(w.temp_path()).size(), 200000u) << "rows leave memory as they come";
  w.sync();
  EXPECT_EQ(test::read_bytes(w.temp_path()), expected);
  w.close();
  EXPECT_EQ(test::read_bytes(dir / "trace.csv"), expected);
}

TEST(Csv, RefusesRowsOfTheWrongWidthAndLeavesNothingWhenAbandoned) {
  ScratchDir dir;
  {
    CsvWriter w(dir / "t.csv", {"a", "b"});
    EXPECT_TRUE(contains(message_of<std::invalid_argument>([&] {
                           w.row({1, 2, 3});
                         }),
                         "t.csv: row 1 has 3 cells for 2 columns"));
  }
  EXPECT_TRUE(dir.list().empty());
  EXPECT_TRUE(
      contains(message_of<std::invalid_argument>([&] { CsvWriter(dir / "e.csv", {}); }), "e.csv"));
  EXPECT_TRUE(dir.list().empty());
}

}  // namespace
}  // namespace bgsim::io
