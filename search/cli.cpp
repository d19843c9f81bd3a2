#include "search/cli.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "search/search.hpp"

namespace docbot::search {
namespace {

constexpr const char* kUsage =
    "usage: docbot search --index DIR [--limit N] [--json] [--queries FILE] [QUERY...]\n"
    "  QUERY words are joined with spaces. Without QUERY or --queries, questions are read from\n"
    "  standard input, one per line (an interactive prompt on a terminal).\n"
    "  --json: one JSON object per query: {query, lang, intent, confident, did_you_mean, results[...]}\n";

nlohmann::json to_json(const Response& r) {
  nlohmann::json j;
  j["query"] = r.query;
  j["lang"] = r.lang;
  j["intent"] = r.intent ? nlohmann::json(std::string(to_string(*r.intent))) : nlohmann::json(nullptr);
  j["confident"] = r.confident;
  j["did_you_mean"] = r.did_you_mean ? nlohmann::json(*r.did_you_mean) : nlohmann::json(nullptr);
  j["results"] = nlohmann::json::array();
  for (const auto& x : r.results)
    j["results"].push_back({{"doc", x.doc}, {"anchor", x.anchor}, {"title", x.title}, {"section", x.section},
                            {"type", x.type}, {"lang", x.lang}, {"url", x.url}, {"score", x.score},
                            {"snippet", x.snippet}});
  return j;
}

void print_human(const Response& r, std::ostream& out) {
  if (r.did_you_mean) out << "Did you mean: " << *r.did_you_mean << "\n";
  out << "[" << r.lang << (r.intent ? std::string(", ") + std::string(to_string(*r.intent)) : "")
      << (r.confident ? "" : ", not confident") << "] " << r.results.size() << " result(s)\n";
  int n = 0;
  for (const auto& x : r.results) {
    out << ++n << ". " << x.title;
    if (!x.section.empty()) out << " \xE2\x80\xBA " << x.section;
    out << "  (" << (x.type.empty() ? "untyped" : x.type) << ", " << x.lang << ", " << x.score << ")\n"
        << "   " << x.url << "\n";
    if (!x.snippet.empty()) out << "   " << x.snippet << "\n";
  }
}

}  // namespace

int run_search_cli(int argc, char** argv) {
  std::string index, queries_file, query;
  int limit = 10;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--index" && i + 1 < argc) {
      index = argv[++i];
    } else if (a == "--limit" && i + 1 < argc) {
      char* end = nullptr;
      const long n = std::strtol(argv[++i], &end, 10);
      if (*end || n < 1 || n > 100) {
        std::cerr << "docbot search: --limit needs a number from 1 to 100\n" << kUsage;
        return 2;
      }
      limit = static_cast<int>(n);
    } else if (a == "--json") {
      json = true;
    } else if (a == "--queries" && i + 1 < argc) {
      queries_file = argv[++i];
    } else if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
      std::cerr << "docbot search: unknown or incomplete option '" << a << "'\n" << kUsage;
      return 2;
    } else {
      if (!query.empty()) query += ' ';
      query += a;
    }
  }
  if (index.empty()) {
    std::cerr << "docbot search: --index is required\n" << kUsage;
    return 2;
  }
  if (!query.empty() && !queries_file.empty()) {
    std::cerr << "docbot search: give either QUERY or --queries, not both\n" << kUsage;
    return 2;
  }
  std::string error;
  auto searcher = Searcher::open(index, &error);
  if (!searcher) {
    std::cerr << "docbot search: " << error << "\n";
    return 1;
  }
  Options opt;
  opt.limit = limit;
  auto answer = [&](const std::string& q) {
    const Response r = searcher->search(q, opt);
    if (json) std::cout << to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else print_human(r, std::cout);
    std::cout.flush();
  };
  if (!query.empty()) {
    answer(query);
    return 0;
  }
  std::istream* in = &std::cin;
  std::ifstream f;
  if (!queries_file.empty() && queries_file != "-") {
    f.open(queries_file);
    if (!f) {
      std::cerr << "docbot search: cannot read " << queries_file << ": " << std::strerror(errno) << "\n";
      return 2;
    }
    in = &f;
  }
  const bool prompt = in == &std::cin && ::isatty(STDIN_FILENO) && !json;
  if (prompt) std::cout << "docbot search on " << index << " — type a question, Ctrl-D to quit\n";
  std::string line;
  while (true) {
    if (prompt) std::cout << "docbot> " << std::flush;
    if (!std::getline(*in, line)) break;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    answer(line);
  }
  if (prompt) std::cout << "\n";
  return 0;
}

}  // namespace docbot::search
