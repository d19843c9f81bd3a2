#pragma once
/// @file web_api.hpp
/// @brief The Slack Web API as an interface, so handlers test without sockets. The HTTPS implementation
/// lives in net/; RateLimitedWebApi adds Slack's rules (429 per method, 1 msg/s per channel) to any of them.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "bot/core/clock.hpp"
#include "bot/core/limits.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"

namespace docbot::bot {

/// @brief Outcome of one call. Transport errors have http_status 0 and error "transport: …".
struct ApiResult {
  int http_status = 0;
  bool ok = false;
  std::string error;       ///< Slack's `error` code or a transport/HTTP description
  nlohmann::json body;     ///< parsed response (null for non-JSON bodies such as response_url's "ok")
  int retry_after_s = -1;  ///< Retry-After on 429, -1 when absent
};

/// @brief Slack Web API transport.
class WebApi {
 public:
  virtual ~WebApi() = default;
  /// @brief POST /api/<method> with a JSON body and the token in the Authorization header.
  virtual ApiResult call(const std::string& method, const nlohmann::json& args) = 0;
  /// @brief POST JSON to a response_url (no auth header).
  virtual ApiResult post_url(const std::string& url, const nlohmann::json& body) = 0;
};

/// @brief Decorator: waits for the per-method 429 gate, retries after Retry-After (bounded), paces
/// chat.postMessage per channel, logs `ok:false` errors with the method name, counts 429s.
class RateLimitedWebApi final : public WebApi {
 public:
  struct Options {
    std::chrono::milliseconds post_interval{1000};        ///< per channel
    std::chrono::milliseconds default_retry_after{5000};  ///< 429 without a usable Retry-After
    std::chrono::milliseconds max_retry_after{60000};     ///< never wait longer than this per attempt
    int max_attempts = 4;
  };
  RateLimitedWebApi(WebApi& inner, Clock& clock, Log& log, Metrics& metrics, Options options);
  RateLimitedWebApi(WebApi& inner, Clock& clock, Log& log, Metrics& metrics)
      : RateLimitedWebApi(inner, clock, log, metrics, Options{}) {}
  ApiResult call(const std::string& method, const nlohmann::json& args) override;
  ApiResult post_url(const std::string& url, const nlohmann::json& body) override;

 private:
  WebApi& inner_;
  Clock& clock_;
  Log& log_;
  Metrics& metrics_;
  Options opt_;
  ChannelPacer pacer_;
  MethodGate gate_;
};

}  // namespace docbot::bot
