#pragma once
/// @file metrics.hpp
/// @brief Counters and a latency histogram, rendered in Prometheus text format for GET /metrics.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace docbot::bot {

/// @brief Fixed-bucket histogram (seconds), thread-safe.
class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1,    2.5,   5};
  void observe(double seconds);
  /// @brief Prometheus lines for metric @p name (with _bucket, _sum, _count).
  std::string render(const std::string& name, const std::string& help) const;
  std::uint64_t count() const;

 private:
  mutable std::mutex mu_;
  std::array<std::uint64_t, kBounds.size() + 1> buckets_{};
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

/// @brief Everything /metrics exposes. Plain atomics: the hot path only increments.
struct Metrics {
  std::atomic<std::uint64_t> events{0};        ///< envelopes received (all types)
  std::atomic<std::uint64_t> acks{0};          ///< acks written
  std::atomic<std::uint64_t> duplicates{0};    ///< events dropped by dedupe
  std::atomic<std::uint64_t> malformed{0};     ///< frames that were not valid envelopes
  std::atomic<std::uint64_t> replies{0};       ///< answers/notes posted successfully
  std::atomic<std::uint64_t> reply_errors{0};  ///< Web API calls that failed for good
  std::atomic<std::uint64_t> escalations{0};
  std::atomic<std::uint64_t> reconnects{0};        ///< new Socket Mode connections after the first
  std::atomic<std::uint64_t> dead_connections{0};  ///< detected by the pong watchdog
  std::atomic<std::uint64_t> rate_limited{0};      ///< HTTP 429 responses
  std::atomic<std::uint64_t> index_reopens{0};
  std::atomic<std::uint64_t> feedback_solved{0};
  std::atomic<std::uint64_t> feedback_not_helpful{0};
  Histogram search_latency;

  std::string render() const;
};

}  // namespace docbot::bot
