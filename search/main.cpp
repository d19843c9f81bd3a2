// docbot-search — the `docbot search` command on its own, without the bot's Slack code, so it
// builds in seconds (the eval scripts and the search benchmarks use it).
#include "search/cli.hpp"

int main(int argc, char** argv) { return docbot::search::run_search_cli(argc, argv); }
