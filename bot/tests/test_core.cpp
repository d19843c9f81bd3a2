// Time-driven policies with a ManualClock: dedupe TTL, per-channel pacing, 429 gates, backoff, metrics.
#include <catch2/catch.hpp>
#include <deque>
#include <sstream>

#include "bot/core/limits.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/web_api.hpp"

using namespace docbot::bot;
using namespace std::chrono_literals;

namespace {

/// Scripted transport: returns queued results per call and records what was called when.
class ScriptedApi : public WebApi {
 public:
  explicit ScriptedApi(Clock& c) : clock(c) {}
  ApiResult call(const std::string& method, const nlohmann::json& args) override {
    calls.push_back({method, args, clock.now()});
    if (!script.empty()) {
      auto r = script.front();
      script.pop_front();
      return r;
    }
    return ok();
  }
  ApiResult post_url(const std::string&, const nlohmann::json&) override { return ok(); }
  static ApiResult ok() { return {200, true, "", nlohmann::json{{"ok", true}}, -1}; }
  static ApiResult limited(int s) { return {429, false, "ratelimited", nlohmann::json{{"ok", false}}, s}; }
  struct Call {
    std::string method;
    nlohmann::json args;
    Clock::time_point at;
  };
  Clock& clock;
  std::deque<ApiResult> script;
  std::vector<Call> calls;
};

}  // namespace

TEST_CASE("DedupeCache remembers keys for the TTL only", "[unit][core]") {
  ManualClock clock;
  DedupeCache d(clock, 10min);
  CHECK(d.insert("Ev1"));
  CHECK_FALSE(d.insert("Ev1"));  // redelivery within the TTL is a duplicate
  clock.advance(9min);
  CHECK_FALSE(d.insert("Ev1"));  // Slack's last retry comes ~5 min later: still caught
  clock.advance(2min);
  CHECK(d.insert("Ev1"));  // expired: memory is bounded in time
  DedupeCache small(clock, 10min, 2);
  CHECK(small.insert("a"));
  CHECK(small.insert("b"));
  CHECK(small.insert("c"));
  CHECK(small.size() <= 3);
}

TEST_CASE("ChannelPacer spaces posts per channel, channels independent", "[unit][core]") {
  ManualClock clock;
  ChannelPacer p(clock, 1s);
  const auto t0 = clock.now();
  CHECK(p.reserve("C1") == t0);
  CHECK(p.reserve("C1") == t0 + 1s);
  CHECK(p.reserve("C1") == t0 + 2s);
  CHECK(p.reserve("C2") == t0);  // another channel is not slowed down
  clock.advance(10s);
  CHECK(p.reserve("C1") == t0 + 10s);  // idle channel: no stale backlog
}

TEST_CASE("MethodGate blocks only the limited method", "[unit][core]") {
  ManualClock clock;
  MethodGate g(clock);
  const auto t0 = clock.now();
  g.limited("chat.postMessage", 3s);
  CHECK(g.open_at("chat.postMessage") == t0 + 3s);
  CHECK(g.open_at("reactions.add") <= t0);
  g.limited("chat.postMessage", 1s);  // a shorter later limit does not shorten the wait
  CHECK(g.open_at("chat.postMessage") == t0 + 3s);
}

TEST_CASE("Backoff grows exponentially with jitter and is capped", "[unit][core]") {
  Backoff b(100ms, 2s, 42);
  std::vector<long long> d;
  for (int i = 0; i < 8; ++i) d.push_back(b.next().count());
  CHECK(d[0] >= 50);
  CHECK(d[0] <= 100);
  CHECK(d[1] >= 100);
  CHECK(d[1] <= 200);
  CHECK(d[3] >= 400);
  CHECK(d[3] <= 800);
  for (auto x : d) CHECK(x <= 2000);
  CHECK(d[7] >= 1000);  // capped base 2 s, jitter in [1 s, 2 s]
  b.reset();
  CHECK(b.next().count() <= 100);
  Backoff same(100ms, 2s, 42);
  CHECK(same.next().count() == d[0]);  // deterministic for a seed
}

TEST_CASE("RateLimitedWebApi: 429 waits Retry-After and delivers once", "[unit][core]") {
  ManualClock clock;
  std::ostringstream logs;
  Log log(logs);
  Metrics metrics;
  ScriptedApi inner(clock);
  inner.script = {ScriptedApi::limited(2), ScriptedApi::ok()};
  RateLimitedWebApi api(inner, clock, log, metrics);
  const auto t0 = clock.now();
  auto r = api.call("chat.postMessage", {{"channel", "C1"}, {"text", "hi"}});
  CHECK(r.ok);
  REQUIRE(inner.calls.size() == 2);
  CHECK(inner.calls[1].at - inner.calls[0].at >= 2s);  // waited Retry-After
  CHECK(inner.calls[1].at - t0 < 3s);
  CHECK(metrics.rate_limited == 1);
  CHECK_THAT(logs.str(), Catch::Contains("chat.postMessage: HTTP 429"));
}

TEST_CASE("RateLimitedWebApi: 1 message per second per channel, ok:false logged with the method",
          "[unit][core]") {
  ManualClock clock;
  std::ostringstream logs;
  Log log(logs);
  Metrics metrics;
  ScriptedApi inner(clock);
  RateLimitedWebApi api(inner, clock, log, metrics);
  for (int i = 0; i < 3; ++i) api.call("chat.postMessage", {{"channel", "C1"}});
  api.call("chat.postMessage", {{"channel", "C2"}});
  REQUIRE(inner.calls.size() == 4);
  CHECK(inner.calls[1].at - inner.calls[0].at >= 1s);
  CHECK(inner.calls[2].at - inner.calls[1].at >= 1s);
  inner.script = {{200, false, "channel_not_found", nlohmann::json{{"ok", false}}, -1}};
  auto r = api.call("reactions.add", {{"channel", "C9"}});
  CHECK_FALSE(r.ok);
  CHECK_THAT(logs.str(), Catch::Contains("reactions.add failed: channel_not_found"));
  // Gives up after max_attempts of 429 rather than looping forever.
  inner.script = {ScriptedApi::limited(1), ScriptedApi::limited(1), ScriptedApi::limited(1),
                  ScriptedApi::limited(1)};
  CHECK_FALSE(api.call("chat.update", {}).ok);
}

TEST_CASE("Metrics render in Prometheus text format", "[unit][core]") {
  Metrics m;
  ++m.events;
  ++m.rate_limited;
  m.search_latency.observe(0.003);
  m.search_latency.observe(0.2);
  const std::string t = m.render();
  CHECK_THAT(t, Catch::Contains("# TYPE docbot_events_total counter\ndocbot_events_total 1\n"));
  CHECK_THAT(t, Catch::Contains("docbot_rate_limited_total 1"));
  CHECK_THAT(t, Catch::Contains("docbot_search_latency_seconds_bucket{le=\"0.005\"} 1"));
  CHECK_THAT(t, Catch::Contains("docbot_search_latency_seconds_bucket{le=\"+Inf\"} 2"));
  CHECK_THAT(t, Catch::Contains("docbot_search_latency_seconds_count 2"));
}
