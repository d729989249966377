// Pins core/printable.hpp: user text in messages keeps valid UTF-8 and shows
// every other byte, and every control character, as \xNN.

#include <gtest/gtest.h>

#include <string>

#include "core/printable.hpp"

namespace bgsim {
namespace {

TEST(Printable, ValidUtf8IsKeptAndEveryOtherByteEscaped) {
  EXPECT_EQ(printable("tau_m"), "tau_m");
  EXPECT_EQ(printable("\xC2\xB5s"), "\xC2\xB5s");                // µs
  EXPECT_EQ(printable("\xF0\x9F\x90\x80"), "\xF0\x9F\x90\x80");  // U+1F400
  EXPECT_EQ(printable("caf\xE9"), "caf\\xE9");                   // Latin-1 é
  EXPECT_EQ(printable("\xFF\xFE"), "\\xFF\\xFE");
  EXPECT_EQ(printable("\xC0\xAF"), "\\xC0\\xAF");                    // overlong '/'
  EXPECT_EQ(printable("\xED\xA0\x80"), "\\xED\\xA0\\x80");           // a surrogate
  EXPECT_EQ(printable("\xE2\x82"), "\\xE2\\x82");                    // cut short
  EXPECT_EQ(printable("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // above U+10FFFF
}

TEST(Printable, ControlCharactersAreEscaped) {
  EXPECT_EQ(printable("a\x1B[31mb"), "a\\x1B[31mb");
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(printable("line\nnext\t\x7F"), "line\\x0Anext\\x09\\x7F");
}

TEST(Printable, IsIdempotentAndQuoteAddsQuotes) {
  const std::string once = printable("caf\xE9\x1B");
  EXPECT_EQ(printable(once), once);
  EXPECT_EQ(quote("lif\x07"), "\"lif\\x07\"");
  EXPECT_EQ(quote(""), "\"\"");
}

}  // namespace
}  // namespace bgsim
