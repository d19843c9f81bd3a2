#pragma once
/// @file service.hpp
/// @brief `docbot serve` assembled: config → index, state, Web API, handlers, Socket Mode, health server.
/// main.cpp reads flags/env and calls this; integration tests and the benchmark build the same object.
#include <cstdint>
#include <memory>
#include <string>

#include "bot/app/config.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"

namespace docbot::bot {

struct ServiceOptions {
  Config config;
  std::string bot_token;  ///< xoxb-…
  std::string app_token;  ///< xapp-…
  std::string api_url = "https://slack.com/api/";
  std::string ca_file;     ///< extra trust (the emulator's CA); "" = system store
  std::uint64_t seed = 0;  ///< backoff jitter seed (0 = random)
};

class Service {
 public:
  /// @brief Opens index and state, checks the bot token with auth.test. nullptr + one-line *error on failure.
  static std::unique_ptr<Service> create(ServiceOptions options, Log& log, std::string* error);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// @brief Starts the health server, the workers and the Socket Mode connection.
  void start();
  /// @brief SIGTERM path: stop taking events, finish in-flight replies, close the socket cleanly.
  void shutdown();

  bool healthy() const;
  bool socket_connected() const;
  std::uint16_t http_port() const;
  Metrics& metrics();
  const std::string& bot_user_id() const;

 private:
  struct Impl;
  explicit Service(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// @brief `docbot serve` command line; argv[0] is "serve". Blocks until SIGTERM/SIGINT.
int run_serve(int argc, char** argv);

}  // namespace docbot::bot
