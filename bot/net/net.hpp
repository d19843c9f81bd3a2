#pragma once
/// @file net.hpp
/// @brief The network layer: HTTPS Web API client, Socket Mode client, health/metrics HTTP server.
/// Beast, Asio and OpenSSL stay in the .cpp files (each costs ~10 s to compile); this header is std-only.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/web_api.hpp"
#include "bot/protocol/events.hpp"

namespace docbot::bot::net {

/// @brief TLS trust: the system store, or one CA file (the emulator's) when set.
struct TlsOptions {
  std::string ca_file;
};

/// @brief HTTPS Web API client: persistent keep-alive connections (a small pool, one in use per calling
/// thread), JSON bodies, bearer token, a timeout on every phase. Thread-safe.
class HttpsWebApi final : public WebApi {
 public:
  struct Options {
    std::string api_base_url = "https://slack.com/api/";
    std::string token;  ///< never logged
    TlsOptions tls;
    std::chrono::milliseconds timeout{10000};
  };
  explicit HttpsWebApi(Options options);
  ~HttpsWebApi() override;
  ApiResult call(const std::string& method, const nlohmann::json& args) override;
  ApiResult post_url(const std::string& url, const nlohmann::json& body) override;
  /// @brief Connections opened so far (a persistent client opens few).
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// @brief Socket Mode client (PROTOCOL §1–2): apps.connections.open, `hello`, ack every envelope before
/// anything else, own ping + pong watchdog, new-before-old refresh, reconnect with backoff and jitter.
class SocketModeClient {
 public:
  struct Options {
    TlsOptions tls;
    std::chrono::milliseconds ping_interval{5000};
    std::chrono::milliseconds pong_timeout{15000};
    std::chrono::milliseconds connect_timeout{10000};  ///< TCP+TLS+upgrade+hello
    std::chrono::milliseconds backoff_initial{1000};
    std::chrono::milliseconds backoff_max{30000};
    std::size_t max_message_bytes = 16u << 20;  ///< larger frames are read and dropped, not fatal
    std::uint64_t seed = 0;                     ///< jitter seed (0 = random)
  };
  /// @brief Fetches a fresh wss:// URL (apps.connections.open with the app token). Called off the I/O thread.
  using OpenUrl = std::function<ApiResult()>;
  /// @brief Receives each envelope after its ack has been queued (on the I/O thread: hand off quickly).
  using OnEnvelope = std::function<void(protocol::Frame)>;

  SocketModeClient(Options options, OpenUrl open_url, OnEnvelope on_envelope, Log& log, Metrics& metrics);
  ~SocketModeClient();
  SocketModeClient(const SocketModeClient&) = delete;
  SocketModeClient& operator=(const SocketModeClient&) = delete;

  /// @brief Starts the I/O thread and the first connection.
  void start();
  /// @brief Drain, step 1: envelopes that arrive from now on are neither acked nor handled (Slack
  /// redelivers).
  void stop_taking();
  /// @brief Drain, step 2: Close frames on every socket, wait up to @p timeout, stop the thread.
  void close(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
  /// @brief A connection has received `hello` and is open.
  bool connected() const;
  /// @brief Total sockets that received `hello`.
  std::uint64_t hellos() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

/// @brief Minimal HTTP/1.1 server for GET /healthz and GET /metrics (plain HTTP on a local address).
class StatusServer {
 public:
  struct Reply {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
  };
  using Handler = std::function<Reply(const std::string& method, const std::string& target)>;
  /// @brief Binds HOST:PORT (port 0 = any); throws std::runtime_error with one line on failure.
  StatusServer(const std::string& listen, Handler handler, Log& log);
  ~StatusServer();
  std::uint16_t port() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace docbot::bot::net
