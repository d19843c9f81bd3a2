// Minimal HTTPS and WSS clients for the integration tests (verify_peer against the emulator's CA, host-name
// check on "localhost"). Beast stays inside ws_client.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace test_support {

struct https_result {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

/// @brief One HTTPS request to 127.0.0.1:port. Throws on transport/TLS errors.
https_result https_call(std::uint16_t port, const std::string& ca_file, const std::string& method,
                        const std::string& target, const std::string& content_type = "",
                        const std::string& body = "", const std::string& authorization = "");

/// @brief A WSS client whose reads run in the calling thread with deadlines.
class wss_client {
 public:
  wss_client(std::uint16_t port, std::string ca_file);
  ~wss_client();
  /// @brief Connect to a `wss://…/link/?ticket=…` URL; false (with `error`) if the upgrade fails.
  bool connect(const std::string& url, std::string* error = nullptr);
  /// @brief Next text frame as JSON, or nullopt on timeout or close.
  std::optional<nlohmann::json> read_json(std::chrono::milliseconds timeout);
  /// @brief Next text frame verbatim (need not be JSON), or nullopt on timeout or close.
  std::optional<std::string> read_text(std::chrono::milliseconds timeout);
  void send_json(const nlohmann::json& j);
  void ping(const std::string& payload);
  /// @brief Run I/O for `d` (answers server pings, collects pongs).
  void pump(std::chrono::milliseconds d);
  void close();
  bool closed() const;
  std::vector<std::string> pongs() const;
  int server_pings() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace test_support
