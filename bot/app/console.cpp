#include "bot/app/console.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "bot/app/bot.hpp"
#include "bot/app/config.hpp"
#include "bot/app/docs.hpp"
#include "bot/core/clock.hpp"
#include "bot/protocol/answer.hpp"
#include "bot/protocol/mrkdwn.hpp"

namespace docbot::bot {
namespace {

int usage(const std::string& msg) {
  if (!msg.empty()) std::cerr << "docbot console: " << msg << "\n";
  std::cerr << "usage: docbot console --index DIR [--config FILE] [--max-results N]\n"
               "  Type questions as if in an inquiry channel; answers are printed as text.\n"
               "  When stdin is not a terminal, reads one question per line (scriptable).\n";
  return 2;
}

std::vector<search::SourceUrl> urls_of(const Config& c) {
  std::vector<search::SourceUrl> out;
  for (const auto& s : c.sources) out.push_back({s.name, s.base_url, s.url_style, s.strip_prefix});
  return out;
}

}  // namespace

int run_console(int argc, char** argv) {
  std::string index, config_path;
  int max_results = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--index") {
      const char* v = value();
      if (!v) return usage("--index needs a directory");
      index = v;
    } else if (a == "--config") {
      const char* v = value();
      if (!v) return usage("--config needs a file");
      config_path = v;
    } else if (a == "--max-results") {
      const char* v = value();
      if (!v || std::atoi(v) < 1 || std::atoi(v) > 5)
        return usage("--max-results needs a number from 1 to 5");
      max_results = std::atoi(v);
    } else if (a == "-h" || a == "--help") {
      usage("");
      return 0;
    } else {
      return usage("unknown argument '" + a + "'");
    }
  }
  Config cfg;
  if (!config_path.empty()) {
    std::string err;
    auto c = load_config(config_path, &err);
    if (!c) {
      std::cerr << "docbot console: " << err << "\n";
      return 2;
    }
    cfg = *c;
    if (index.empty()) index = cfg.index;
    max_results = cfg.max_results;
  }
  if (index.empty()) return usage("--index is required");

  std::string err;
  auto searcher = search::Searcher::open(index, &err);
  if (!searcher) {
    std::cerr << "docbot console: " << err << "\n";
    return 1;
  }
  if (!cfg.sources.empty()) searcher->set_urls(urls_of(cfg));
  SystemClock clock;
  Log log(std::cerr, Log::Level::warn);
  Metrics metrics;
  IndexSearch docs(std::move(searcher), clock, log, metrics, std::chrono::seconds(5));

  const bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  if (tty)
    std::cout << "docbot console — ask a question as if in an inquiry channel (Ctrl-D to quit).\n> "
              << std::flush;
  std::string line;
  while (std::getline(std::cin, line)) {
    const std::string q = protocol::squash_space(line);
    if (q.empty()) {
      if (tty) std::cout << "> " << std::flush;
      continue;
    }
    Composed c = compose(docs, q, max_results);
    protocol::Message m;
    const auto lang = protocol::reply_lang(c.response.lang, protocol::Lang::en);  // as the bot would reply
    if (c.confident) {
      protocol::Answer a{q, c.response.did_you_mean.value_or(""), c.hits, "console", "", lang};
      m = protocol::build_answer(a, protocol::Surface::thread);
    } else {
      m = protocol::build_not_found(q, "console", /*offer_human=*/true, lang);
    }
    std::cout << (tty ? "" : "Q: " + q + "\n") << protocol::render_text(m) << "\n";
    if (tty) std::cout << "> ";
    std::cout << std::flush;
  }
  if (tty) std::cout << "\n";
  return 0;
}

}  // namespace docbot::bot
