#include "networks/loader.hpp"

#include <fstream>
#include <sstream>
#include <vector>

#include "core/printable.hpp"
#include "networks/connection_arrays.hpp"

namespace bgsim::networks {

namespace fs = std::filesystem;

std::optional<json> parse_json(const std::string& text, const std::string& name,
                               Diagnostics& diag) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // Line and column of the byte the parser stopped at (1-based).
    const std::size_t at = std::min<std::size_t>(e.byte ? e.byte - 1 : 0, text.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    // nlohmann's text reads "[json.exception.parse_error.101] parse error at line 3, column 5:
    // ...".
    const auto colon = what.find(": ", what.find("parse error"));
    diag.error("",
               "syntax error at line " + std::to_string(line) + ", column " +
                   std::to_string(column) +
                   (colon == std::string::npos ? "" : ": " + what.substr(colon + 2)),
               name);
    return std::nullopt;
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    std::string what = e.what();
    const auto bracket = what.find("] ");
    diag.error("", bracket == std::string::npos ? what : what.substr(bracket + 2), name);
    return std::nullopt;
  }
}

namespace {

struct Loader {
  Diagnostics& diag;
  std::vector<fs::path> stack;  // files being loaded, for cycle detection

  std::optional<json> read(const fs::path& file, const std::string& shown,
                           const std::string& pointer, const std::string& from) {
    // Only a regular file is read: a device (/dev/zero) or a pipe would be
    // read for ever.
    std::error_code ec;
    if (fs::exists(file, ec) && !fs::is_regular_file(file, ec)) {
      diag.error(pointer, "cannot read " + quote(shown) + ": not a regular file", from);
      return std::nullopt;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      diag.error(pointer, "cannot read " + quote(shown), from);
      return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_json(ss.str(), shown, diag);
  }

  // Loads `file` and everything it includes into `out`.
  void load(const fs::path& file, const std::string& shown, LoadedDescription& out,
            const std::string& pointer, const std::string& from, bool top) {
    // A name the system refuses (too long, say) is a file that cannot be
    // read, not an exception (found by fuzz_experiment).
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(file, ec);
    if (ec) {
      diag.error(pointer, "cannot read " + quote(shown) + ": " + ec.message(), from);
      return;
    }
    for (const auto& f : stack)
      if (f == canonical) {
        std::string cycle;
        for (const auto& g : stack)
          cycle += g.filename().string() + " -> ";
        diag.error(pointer, "include cycle: " + cycle + canonical.filename().string(), from);
        return;
      }
    auto doc = read(file, shown, pointer, from);
    if (!doc) return;
    if (!doc->is_object()) {
      diag.error("", "a description must be a JSON object", shown);
      return;
    }
    stack.push_back(canonical);
    const std::string me = top ? "" : shown;
    if (auto inc = doc->find("include"); inc != doc->end()) {
      std::vector<std::pair<std::string, std::string>> files;  // path, pointer
      if (inc->is_string()) {
        files.emplace_back(inc->get<std::string>(), "/include");
      } else if (inc->is_array()) {
        for (std::size_t i = 0; i < inc->size(); ++i) {
          if ((*inc)[i].is_string())
            files.emplace_back((*inc)[i].get<std::string>(), "/include/" + std::to_string(i));
          else
            diag.error("/include/" + std::to_string(i), "expected a file name", me);
        }
      } else {
        diag.error("/include", "expected a file name or a list of file names", me);
      }
      for (const auto& [name, ptr] : files) {
        const fs::path path = file.parent_path() / name;
        load(path, (file.parent_path() / name).lexically_normal().string(), out, ptr, me, false);
      }
      doc->erase("include");
    }
    // Connection files are named relative to the file that names them.
    absolute_connection_paths(*doc, fs::absolute(file).parent_path());
    merge(*doc, out, me);
    stack.pop_back();
  }

  void merge(const json& doc, LoadedDescription& out, const std::string& from) {
    json& d = out.document;
    for (const auto& [key, value] : doc.items()) {
      if ((key == "populations" || key == "neuromodulators") && value.is_object()) {
        if (!d.contains(key)) d[key] = json::object();
        const std::string what = key == "populations" ? "population" : "neuromodulator";
        for (const auto& [name, pop] : value.items()) {
          const std::string ptr = "/" + key + "/" + pointer_key(name);
          if (d[key].contains(name)) {
            const auto prev =
                out.origin.count(ptr) ? out.origin[ptr] : std::string("the main file");
            diag.error(ptr,
                       what + " " + quote(name) + " is defined twice (also in " +
                           (prev.empty() ? "the main file" : prev) + ")",
                       from);
            continue;
          }
          d[key][name] = pop;
          out.origin[ptr] = from;
        }
      } else if ((key == "projections" || key == "stimuli" || key == "recorders") &&
                 value.is_array()) {
        if (!d.contains(key)) d[key] = json::array();
        for (const auto& item : value) {
          out.origin["/" + key + "/" + std::to_string(d[key].size())] = from;
          d[key].push_back(item);
        }
      } else {
        d[key] = value;  // scalars and anything else: the later (including) file wins
      }
    }
  }
};

}  // namespace

LoadedDescription load_description(const fs::path& file, Diagnostics& diag) {
  LoadedDescription out;
  out.document = json::object();
  Loader loader{diag, {}};
  loader.load(file, file.string(), out, "", "", true);
  return out;
}

NetworkSpec read_network_file(const fs::path& file) {
  Diagnostics diag;
  LoadedDescription loaded = load_description(file, diag);
  if (!diag.ok()) throw DescriptionError(std::move(diag));
  NetworkSpec spec = read_network(loaded.document, diag, loaded.origin);
  if (!diag.ok()) throw DescriptionError(std::move(diag));
  return spec;
}

}  // namespace bgsim::networks
