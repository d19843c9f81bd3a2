#pragma once
/// @file limits.hpp
/// @brief Time-based policies, all driven by an injected Clock&: dedupe cache, per-channel pacing,
/// per-method 429 gates, reconnect backoff with jitter.
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <unordered_map>

#include "bot/core/clock.hpp"

namespace docbot::bot {

/// @brief Remembers keys for a TTL. `insert` returns false when the key was already seen (a duplicate).
/// Thread-safe. Default TTL 10 min: Slack's last retry comes ~5 min after the first delivery (PROTOCOL §3.5).
class DedupeCache {
 public:
  DedupeCache(Clock& clock, std::chrono::milliseconds ttl = std::chrono::minutes(10),
              std::size_t max_keys = 100000)
      : clock_(clock), ttl_(ttl), max_keys_(max_keys) {}
  /// @brief true the first time @p key is seen within the TTL.
  bool insert(const std::string& key);
  bool contains(const std::string& key);
  std::size_t size();

 private:
  void expire(Clock::time_point now);
  Clock& clock_;
  std::chrono::milliseconds ttl_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Clock::time_point> seen_;
  std::deque<std::pair<Clock::time_point, std::string>> order_;
};

/// @brief chat.postMessage pacing: at most one message per interval per channel (Slack: ~1/s/channel).
/// `reserve` books the next slot for a channel and returns when the caller may send.
class ChannelPacer {
 public:
  ChannelPacer(Clock& clock, std::chrono::milliseconds interval = std::chrono::seconds(1))
      : clock_(clock), interval_(interval) {}
  Clock::time_point reserve(const std::string& channel);

 private:
  Clock& clock_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::map<std::string, Clock::time_point> next_;
};

/// @brief Per-method gate opened by HTTP 429 + Retry-After (Slack rate limits are per method).
class MethodGate {
 public:
  explicit MethodGate(Clock& clock) : clock_(clock) {}
  /// @brief When calls of @p method may go out again (now or earlier when not limited).
  Clock::time_point open_at(const std::string& method);
  /// @brief Record a 429 for @p method with its Retry-After.
  void limited(const std::string& method, std::chrono::milliseconds retry_after);

 private:
  Clock& clock_;
  std::mutex mu_;
  std::map<std::string, Clock::time_point> until_;
};

/// @brief Exponential backoff with full jitter in [base/2, base] (so reconnecting clients spread out).
/// Deterministic for a given seed.
class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
          std::uint64_t seed = std::random_device{}())
      : initial_(initial), max_(max), rng_(seed) {}
  std::chrono::milliseconds next();
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  std::chrono::milliseconds initial_, max_;
  std::mt19937_64 rng_;
  int attempt_ = 0;
};

}  // namespace docbot::bot
