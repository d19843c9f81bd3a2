// docbot — entry point. The only place that dispatches the subcommands.
#include <cstring>
#include <iostream>

#include "bot/app/console.hpp"
#include "bot/runtime/service.hpp"
#include "search/cli.hpp"

namespace {
void usage(std::ostream& out) {
  out << "usage: docbot <command> [options]\n"
         "commands:\n"
         "  search   search an index: docbot search --index DIR [--limit N] [--json] QUERY\n"
         "  console  ask questions in the terminal: docbot console --index DIR [--config FILE]\n"
         "  serve    run the Slack bot: docbot serve --config FILE [--ca-file PEM]\n"
         "           (SLACK_BOT_TOKEN, SLACK_APP_TOKEN or *_FILE; SLACK_API_URL for a local emulator)\n";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  if (std::strcmp(argv[1], "search") == 0) return docbot::search::run_search_cli(argc - 1, argv + 1);
  if (std::strcmp(argv[1], "console") == 0) return docbot::bot::run_console(argc - 1, argv + 1);
  if (std::strcmp(argv[1], "serve") == 0) return docbot::bot::run_serve(argc - 1, argv + 1);
  if (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    usage(std::cout);
    return 0;
  }
  std::cerr << "docbot: unknown command '" << argv[1] << "'\n";
  usage(std::cerr);
  return 2;
}
