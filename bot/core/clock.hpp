#pragma once
/// @file clock.hpp
/// @brief Injected time (Envoy's TimeSource idea): logic asks a Clock, tests move a ManualClock.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace docbot::bot {

/// @brief Monotonic time source for rate limiting, backoff, dedupe TTLs and latency figures.
class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;
  virtual ~Clock() = default;
  virtual time_point now() const = 0;
  /// @brief Blocks the calling thread until @p t (a ManualClock returns when advanced past it).
  virtual void sleep_until(time_point t) = 0;
};

/// @brief The real steady clock.
class SystemClock final : public Clock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
  void sleep_until(time_point t) override { std::this_thread::sleep_until(t); }
};

/// @brief A clock that only moves when told to. sleep_until() advances it (simulated time: a test that
/// waits for a 429's Retry-After finishes instantly and can assert how long the bot "waited").
class ManualClock final : public Clock {
 public:
  time_point now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void sleep_until(time_point t) override {
    std::lock_guard lock(mu_);
    if (t > now_) now_ = t;
  }
  void advance(duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  time_point now_{std::chrono::hours(1)};
};

}  // namespace docbot::bot
