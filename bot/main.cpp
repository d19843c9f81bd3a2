// docbot — entry point. The only place that wires the subcommands together.
#include <cstring>
#include <iostream>

#include "search/cli.hpp"

namespace {
void usage(std::ostream& out) {
  out << "usage: docbot <command> [options]\n"
         "commands:\n"
         "  search   search an index: docbot search --index DIR [--limit N] [--json] QUERY\n";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(std::cerr);
    return 2;
  }
  if (std::strcmp(argv[1], "search") == 0) return docbot::search::run_search_cli(argc - 1, argv + 1);
  if (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0) {
    usage(std::cout);
    return 0;
  }
  std::cerr << "docbot: unknown command '" << argv[1] << "'\n";
  usage(std::cerr);
  return 2;
}
