#pragma once
/// @file log.hpp
/// @brief One-line log records to a stream (stderr in production). Passed by reference, not a global.
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>

namespace docbot::bot {

/// @brief Thread-safe line logger. Secrets never reach it: callers log method names and ids, not headers.
class Log {
 public:
  enum class Level { debug = 0, info = 1, warn = 2, error = 3 };
  explicit Log(std::ostream& out = std::cerr, Level min = Level::info) : out_(out), min_(min) {}
  void set_level(Level l) { min_ = l; }
  bool enabled(Level l) const { return l >= min_; }
  void write(Level l, std::string_view component, std::string_view msg);
  void debug(std::string_view c, std::string_view m) { write(Level::debug, c, m); }
  void info(std::string_view c, std::string_view m) { write(Level::info, c, m); }
  void warn(std::string_view c, std::string_view m) { write(Level::warn, c, m); }
  void error(std::string_view c, std::string_view m) { write(Level::error, c, m); }

 private:
  std::mutex mu_;
  std::ostream& out_;
  Level min_;
};

}  // namespace docbot::bot
