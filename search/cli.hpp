#pragma once
/// @file cli.hpp
/// @brief `docbot search` — the command-line contract other tools depend on (see README).
namespace docbot::search {
/// Runs `docbot search ...`; argv[0] is "search". Returns the process exit code:
/// 0 success (also with zero results), 2 usage error, 1 index missing/unreadable.
int run_search_cli(int argc, char** argv);
}  // namespace docbot::search
