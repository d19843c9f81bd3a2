#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace slack_emulator::detail {

int rate_limiter::acquire(const std::string& key, const rate_tier& tier) {
  const auto now = clock_.now();
  const double burst = std::max(1.0, tier.burst);
  auto [it, inserted] = buckets_.try_emplace(key, bucket{burst, now});
  bucket& b = it->second;
  const double per_second = tier.per_minute / 60.0;
  const double elapsed = std::chrono::duration<double>(now - b.last).count();
  b.tokens = std::min(burst, b.tokens + elapsed * per_second);
  b.last = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  if (per_second <= 0) return 60;
  const double wait = (1.0 - b.tokens) / per_second;
  return std::max(1, static_cast<int>(std::ceil(wait)));
}

}  // namespace slack_emulator::detail
