#include <chrono>
#include <ctime>
#include <iomanip>

#include "bot/core/limits.hpp"
#include "bot/core/log.hpp"

namespace docbot::bot {

void Log::write(Level l, std::string_view component, std::string_view msg) {
  if (l < min_) return;
  static constexpr const char* kNames[] = {"debug", "info", "warn", "error"};
  const auto now = std::chrono::system_clock::now();
  const auto t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream line;
  line << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S") << '.' << std::setw(3) << std::setfill('0') << ms << "Z "
       << kNames[static_cast<int>(l)] << ' ' << component << ": " << msg << '\n';
  std::lock_guard lock(mu_);
  out_ << line.str() << std::flush;
}

void DedupeCache::expire(Clock::time_point now) {
  while (!order_.empty() && (order_.front().first + ttl_ <= now || order_.size() > max_keys_)) {
    auto it = seen_.find(order_.front().second);
    if (it != seen_.end() && it->second == order_.front().first) seen_.erase(it);
    order_.pop_front();
  }
}

bool DedupeCache::insert(const std::string& key) {
  std::lock_guard lock(mu_);
  const auto now = clock_.now();
  expire(now);
  auto [it, fresh] = seen_.try_emplace(key, now);
  if (!fresh) return false;
  order_.emplace_back(now, key);
  return true;
}

bool DedupeCache::contains(const std::string& key) {
  std::lock_guard lock(mu_);
  expire(clock_.now());
  return seen_.count(key) > 0;
}

std::size_t DedupeCache::size() {
  std::lock_guard lock(mu_);
  expire(clock_.now());
  return seen_.size();
}

Clock::time_point ChannelPacer::reserve(const std::string& channel) {
  std::lock_guard lock(mu_);
  const auto now = clock_.now();
  auto& next = next_[channel];
  const auto slot = next > now ? next : now;
  next = slot + interval_;
  // Forget idle channels so the map does not grow without bound.
  if (next_.size() > 10000)
    for (auto it = next_.begin(); it != next_.end();) it = it->second < now ? next_.erase(it) : std::next(it);
  return slot;
}

Clock::time_point MethodGate::open_at(const std::string& method) {
  std::lock_guard lock(mu_);
  auto it = until_.find(method);
  return it == until_.end() ? clock_.now() : it->second;
}

void MethodGate::limited(const std::string& method, std::chrono::milliseconds retry_after) {
  std::lock_guard lock(mu_);
  const auto t = clock_.now() + retry_after;
  auto& u = until_[method];
  if (t > u) u = t;
}

std::chrono::milliseconds Backoff::next() {
  // base = initial * 2^attempt, capped; delay uniform in [base/2, base].
  double base = static_cast<double>(initial_.count());
  for (int i = 0; i < attempt_ && base < static_cast<double>(max_.count()); ++i) base *= 2;
  if (base > static_cast<double>(max_.count())) base = static_cast<double>(max_.count());
  ++attempt_;
  std::uniform_real_distribution<double> d(base / 2, base);
  return std::chrono::milliseconds(static_cast<long long>(d(rng_)));
}

}  // namespace docbot::bot
