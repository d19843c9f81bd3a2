// Token buckets keyed by name ("chat.update", "chat.postMessage#C0CHAN001", …). Pure logic on an injected
// clock, so the limits are unit-tested without sleeping.
#pragma once

#include <chrono>
#include <map>
#include <string>

#include "slack_emulator/emulator.hpp"

namespace slack_emulator::detail {

class rate_limiter {
 public:
  explicit rate_limiter(const slack_emulator::clock& clk) : clock_(clk) {}

  /// @brief Take one token from bucket `key` (created full). Returns 0 when allowed, otherwise the whole
  /// number of seconds (≥ 1) until a token is available — the value for `Retry-After`.
  int acquire(const std::string& key, const rate_tier& tier);

  void reset() { buckets_.clear(); }

 private:
  struct bucket {
    double tokens;
    std::chrono::steady_clock::time_point last;
  };
  const slack_emulator::clock& clock_;
  std::map<std::string, bucket> buckets_;
};

}  // namespace slack_emulator::detail
