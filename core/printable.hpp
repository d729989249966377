#pragma once
// Quoting user text in messages. A description may hold any bytes: a name
// with a byte that is not UTF-8, a terminal escape sequence, a newline. Every
// message that repeats user text passes it through printable() (or quote()),
// so that what reaches a terminal, a log or the manifest (JSON, which must be
// UTF-8) is valid UTF-8 without control characters, and the user still sees
// which byte was at fault:
//
//   printable("caf\xE9")      -> caf\xE9    (a Latin-1 byte, not UTF-8)
//   printable("a\x1B[31mb")   -> a\x1B[31mb (ESC)
//   printable("µs")           -> µs         (valid UTF-8 is kept)
//
// Valid UTF-8 other than control characters is kept as it is; every other
// byte becomes \xNN (two upper-case hex digits). printable() is idempotent,
// so text may be escaped where it is quoted and again where it is printed.

#include <string>
#include <string_view>

namespace bgsim {

// `text` with every byte that is not part of valid UTF-8, and every control
// character (U+0000-U+001F, U+007F), written as \xNN.
std::string printable(std::string_view text);

// printable(text) between double quotes: the form messages quote names and
// values in ("unknown model \"lif\"").
std::string quote(std::string_view text);

}  // namespace bgsim
