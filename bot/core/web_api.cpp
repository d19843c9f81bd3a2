#include "bot/core/web_api.hpp"

#include <algorithm>

namespace docbot::bot {

RateLimitedWebApi::RateLimitedWebApi(WebApi& inner, Clock& clock, Log& log, Metrics& metrics, Options options)
    : inner_(inner),
      clock_(clock),
      log_(log),
      metrics_(metrics),
      opt_(options),
      pacer_(clock, options.post_interval),
      gate_(clock) {}

ApiResult RateLimitedWebApi::call(const std::string& method, const nlohmann::json& args) {
  if (method == "chat.postMessage" && args.contains("channel") && args["channel"].is_string())
    clock_.sleep_until(pacer_.reserve(args["channel"].get<std::string>()));
  ApiResult r;
  for (int attempt = 1; attempt <= opt_.max_attempts; ++attempt) {
    clock_.sleep_until(gate_.open_at(method));
    r = inner_.call(method, args);
    if (r.http_status != 429) break;
    ++metrics_.rate_limited;
    auto wait =
        r.retry_after_s >= 0 ? std::chrono::milliseconds(r.retry_after_s * 1000) : opt_.default_retry_after;
    wait = std::min(wait, opt_.max_retry_after);
    gate_.limited(method, wait);
    log_.warn("webapi", method + ": HTTP 429, retry after " + std::to_string(wait.count()) + " ms (attempt " +
                            std::to_string(attempt) + ")");
  }
  if (!r.ok) log_.warn("webapi", method + " failed: " + (r.error.empty() ? "unknown error" : r.error));
  return r;
}

ApiResult RateLimitedWebApi::post_url(const std::string& url, const nlohmann::json& body) {
  ApiResult r = inner_.post_url(url, body);
  // Never log the URL: a response_url is a bearer credential for 30 minutes.
  if (!r.ok) log_.warn("webapi", "response_url post failed: " + r.error);
  return r;
}

}  // namespace docbot::bot
