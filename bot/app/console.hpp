#pragma once
/// @file console.hpp
/// @brief `docbot console`: ask questions in a terminal and see the answer as the bot would render it.
namespace docbot::bot {
/// @brief argv[0] is "console". Exit codes: 0 ok, 1 index missing/unreadable, 2 usage or config error.
int run_console(int argc, char** argv);
}  // namespace docbot::bot
