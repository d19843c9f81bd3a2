// The whole bot (Service: HTTPS Web API client, Socket Mode client, handlers, SQLite) against the Slack
// emulator over real TLS and WebSockets on 127.0.0.1, port 0. Timings are compressed through the config
// and the emulator settings so the suite stays well under a minute or two.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <slack_emulator/emulator.hpp>
#include <sstream>
#include <thread>

#include "bot/net/net.hpp"
#include "bot/runtime/service.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Polls @p pred until true or @p timeout; the bot works asynchronously, tests wait for effects.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout = 10s) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

/// Builds the fixture index once per test binary run (docbot-index on bot/tests/fixtures/docs).
std::string fixture_index(const std::string& name = "docs", const std::string& corpus = "") {
  const fs::path dir = fs::temp_directory_path() / ("docbot-bot-it-" + std::to_string(getpid()) + "-" + name);
  if (fs::exists(dir / "done") && corpus.empty()) return dir / "index";
  fs::create_directories(dir);
  const std::string src = corpus.empty() ? std::string(DOCBOT_BOT_FIXTURES) + "/docs" : corpus;
  const std::string cmd = std::string(DOCBOT_INDEX_BIN) + " --source docs=" + src + " --index " +
                          (dir / "index").string() + " > " + (dir / "log").string() + " 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ofstream(dir / "done") << "ok";
  return dir / "index";
}

/// Plain HTTP GET on 127.0.0.1 (the health server): status line + body.
std::pair<int, std::string> http_get(std::uint16_t port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return {0, ""};
  }
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  (void)!::write(fd, req.data(), req.size());
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  const int status = out.size() > 12 ? std::atoi(out.substr(9, 3).c_str()) : 0;
  const auto body = out.find("\r\n\r\n");
  return {status, body == std::string::npos ? "" : out.substr(body + 4)};
}

slack_emulator::settings fast_emulator() {
  slack_emulator::settings s;
  s.log_to_stderr = false;
  s.server_ping_interval = 500ms;
  s.ack_timeout = 400ms;
  s.retry_delays = {100ms, 200ms, 300ms};
  s.disconnect_close_delay = 200ms;
  s.refresh_warning_lead = 300ms;
  s.rate_limits_enabled = false;  // 429s are injected where a test wants them
  return s;
}

/// One emulator + one bot, wired like production except for compressed timings.
struct Rig {
  slack_emulator::emulator emu;
  std::string asker, oncall, general, inquiry;
  std::ostringstream logs;
  docbot::bot::Log log{logs, docbot::bot::Log::Level::debug};
  std::unique_ptr<docbot::bot::Service> svc;
  std::string index;

  explicit Rig(std::string index_dir = fixture_index(), std::string extra_yaml = "")
      : emu(fast_emulator()), index(std::move(index_dir)) {
    emu.start();
    asker = emu.create_user("asker", "Ann Asker");
    oncall = emu.create_user("oncall", "Olga Oncall");
    general = emu.create_channel("general", false, {asker, oncall});
    inquiry = emu.create_channel("platform-help", false, {asker, oncall});
    const std::string yaml =
        "index: " + index + "\n" +
        "sources:\n  - name: docs\n    base_url: https://docs.example.com/\n    strip_prefix: en/\n" +
        "slack:\n  inquiry_channels: [" + inquiry + "]\n" + "escalation:\n  users: [" + oncall + "]\n" +
        "http:\n  listen: 127.0.0.1:0\n" + "state:\n  path: ':memory:'\n" +
        "tuning:\n  ping_interval_ms: 200\n  pong_timeout_ms: 1000\n  connect_timeout_ms: 3000\n"
        "  backoff_initial_ms: 50\n  backoff_max_ms: 400\n  post_interval_ms: 100\n"
        "  index_reopen_interval_ms: 100\n  drain_timeout_ms: 3000\n" +
        extra_yaml;
    std::string err;
    auto cfg = docbot::bot::parse_config(yaml, &err);
    INFO(err);
    REQUIRE(cfg);
    docbot::bot::ServiceOptions o;
    o.config = *cfg;
    o.bot_token = emu.config().bot_token;
    o.app_token = emu.config().app_token;
    o.api_url = emu.api_base_url();
    o.ca_file = emu.ca_file();
    o.seed = 7;
    svc = docbot::bot::Service::create(o, log, &err);
    INFO(err);
    REQUIRE(svc);
    svc->start();
    REQUIRE(emu.wait_for_connections(1, 5s));
  }
  ~Rig() {
    if (svc) svc->shutdown();
    emu.stop();
  }

  /// Bot messages in a thread (the parent excluded).
  json bot_replies(const std::string& channel, const std::string& ts) {
    json out = json::array();
    for (const auto& m : emu.replies(channel, ts))
      if (m.value("ts", "") != ts && m.contains("bot_id")) out.push_back(m);
    return out;
  }
  std::size_t bot_messages_in(const std::string& channel) {
    std::size_t n = 0;
    for (const auto& m : emu.history(channel)) {
      if (m.contains("bot_id")) ++n;
      n += bot_replies(channel, m.value("ts", "")).size();
    }
    return n;
  }
  std::string mention() const { return "<@" + emu.config().bot_user_id + ">"; }
  std::string dump_logs() const { return logs.str(); }
};

}  // namespace

TEST_CASE("mention → one threaded answer (app_mention + message deduped), health and metrics",
          "[integration]") {
  Rig rig;
  const auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " my pod is stuck in Pending");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  std::this_thread::sleep_for(
      500ms);  // the duplicate `message` event and the bot's own echo must not add replies
  auto replies = rig.bot_replies(rig.general, ts);
  INFO(rig.dump_logs());
  REQUIRE(replies.size() == 1);
  const std::string blocks = replies[0]["blocks"].dump();
  CHECK_THAT(blocks, Catch::Contains("Fix a Pod stuck in Pending"));
  CHECK_THAT(blocks, Catch::Contains("https://docs.example.com/"));
  CHECK_THAT(blocks, Catch::Contains("docbot_solved"));
  CHECK(replies[0]["thread_ts"] == ts);

  auto [hs, hbody] = http_get(rig.svc->http_port(), "/healthz");
  CHECK(hs == 200);
  CHECK_THAT(hbody, Catch::Contains("\"socket\":\"connected\""));
  CHECK_THAT(hbody, Catch::Contains("\"status\":\"open\""));
  auto [ms, metrics] = http_get(rig.svc->http_port(), "/metrics");
  CHECK(ms == 200);
  CHECK_THAT(metrics, Catch::Contains("docbot_replies_total 1"));
  CHECK_THAT(metrics, Catch::Contains("docbot_search_latency_seconds_count"));
  CHECK(http_get(rig.svc->http_port(), "/nope").first == 404);
  // Every envelope was acked in time.
  CHECK(rig.emu.stats().ack_timeouts == 0);
}

TEST_CASE("/docs → ephemeral answer, Share posts it in the channel, /docs help", "[integration]") {
  Rig rig;
  rig.emu.run_slash_command(rig.asker, rig.general, "/docs", "help");
  REQUIRE(wait_until([&] { return rig.emu.ephemerals(rig.general, rig.asker).size() >= 1; }));
  CHECK_THAT(rig.emu.ephemerals(rig.general, rig.asker)[0]["text"].get<std::string>(),
             Catch::Contains("Usage: /docs"));

  rig.emu.run_slash_command(rig.asker, rig.general, "/docs", "exceeded quota");
  REQUIRE(wait_until([&] { return rig.emu.ephemerals(rig.general, rig.asker).size() >= 2; }));
  const json answer = rig.emu.ephemerals(rig.general, rig.asker)[1];
  CHECK_THAT(answer["blocks"].dump(), Catch::Contains("docbot_share"));
  CHECK(rig.emu.history(rig.general).empty());  // private until shared

  rig.emu.click_button(rig.asker, rig.general, answer["ts"], "docbot_share");
  REQUIRE(wait_until([&] { return !rig.emu.history(rig.general).empty(); }));
  const json shared = rig.emu.history(rig.general)[0];
  CHECK_THAT(shared["blocks"].dump(), Catch::Contains("shared what the docs say"));
  CHECK_THAT(shared["blocks"].dump(), Catch::Contains("Fix a Pod stuck in Pending"));
  CHECK(rig.emu.stats().slash_timeouts == 0);
}

TEST_CASE("inquiry channel: auto-reply to a top-level message, nothing for a thread reply or elsewhere",
          "[integration]") {
  Rig rig;
  const auto ts =
      rig.emu.post_message(rig.asker, rig.inquiry, "pods stay pending after deploy, exceeded quota?");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.inquiry, ts).size() >= 1; }));
  rig.emu.post_message(rig.asker, rig.inquiry, "thanks, looking", ts);         // thread reply: no butting in
  rig.emu.post_message(rig.asker, rig.general, "pods stay pending here too");  // not an inquiry channel
  std::this_thread::sleep_for(800ms);
  INFO(rig.dump_logs());
  CHECK(rig.bot_replies(rig.inquiry, ts).size() == 1);
  CHECK(rig.bot_messages_in(rig.general) == 0);
}

TEST_CASE("withheld ack → redelivery → exactly one reply", "[integration]") {
  Rig rig;
  rig.emu.set_ack_mode(slack_emulator::ack_mode::drop);
  const auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " pod phases");
  REQUIRE(wait_until([&] { return rig.emu.stats().redeliveries >= 2; }));
  rig.emu.set_ack_mode(slack_emulator::ack_mode::normal);
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  std::this_thread::sleep_for(600ms);
  INFO(rig.dump_logs());
  CHECK(rig.bot_replies(rig.general, ts).size() == 1);
  CHECK(rig.svc->metrics().duplicates >= 2);
}

TEST_CASE("refresh_requested (with warning) → new connection before the old closes, no event lost",
          "[integration]") {
  Rig rig;
  const auto before = rig.emu.stats().connections_opened;
  rig.emu.force_disconnect("refresh_requested", /*with_warning=*/true);
  std::vector<std::string> asked;
  for (int i = 0; i < 5; ++i) {  // questions keep coming during the refresh
    asked.push_back(rig.emu.post_message(rig.asker, rig.general, rig.mention() + " pod phases"));
    std::this_thread::sleep_for(150ms);
  }
  REQUIRE(wait_until([&] { return rig.emu.stats().connections_opened > before; }));
  INFO(rig.dump_logs());
  for (const auto& ts : asked) {
    REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
    CHECK(rig.bot_replies(rig.general, ts).size() == 1);
  }
  REQUIRE(wait_until([&] { return rig.emu.open_connections() == 1 && rig.svc->socket_connected(); }));
}

TEST_CASE("killed connection → reconnect with backoff, the event sent meanwhile is answered",
          "[integration]") {
  Rig rig;
  const auto before = rig.emu.stats().connections_opened;
  rig.emu.drop_connections();
  const auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " exceeded quota");
  REQUIRE(wait_until([&] { return rig.emu.stats().connections_opened > before; }));
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  std::this_thread::sleep_for(300ms);
  CHECK(rig.bot_replies(rig.general, ts).size() == 1);
  CHECK(rig.svc->metrics().reconnects >= 1);
}

TEST_CASE("dropped pongs → dead connection detected by the watchdog and replaced", "[integration]") {
  Rig rig;
  const auto before = rig.emu.stats().connections_opened;
  const auto t0 = std::chrono::steady_clock::now();
  rig.emu.set_answer_pings(false);  // effective at once: the emulator swallows its pongs, keeps reading
  // An event crossing the connection while its pongs are silent is still acked and answered once.
  const auto first = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " exceeded quota");
  // pong_timeout is 1 s and the watchdog ticks every 200 ms: detection within ~1.5 s.
  INFO(rig.dump_logs());
  REQUIRE(wait_until([&] { return rig.svc->metrics().dead_connections >= 1; }, 5s));
  const auto detected = std::chrono::steady_clock::now() - t0;
  CHECK(detected < 2500ms);
  rig.emu.set_answer_pings(true);
  REQUIRE(wait_until(
      [&] { return rig.emu.stats().connections_opened > before && rig.svc->socket_connected(); }, 5s));
  const auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " pod phases");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() == 1; }));
  CHECK(rig.bot_replies(rig.general, first).size() == 1);  // the event that crossed the dying connection
}

TEST_CASE("429 on chat.postMessage → reply delivered once after Retry-After", "[integration]") {
  Rig rig;
  rig.emu.inject_failure("chat.postMessage", 429, 1, 1);
  const auto t0 = std::chrono::steady_clock::now();
  const auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " pod phases");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  CHECK(std::chrono::steady_clock::now() - t0 >= 1s);
  std::this_thread::sleep_for(300ms);
  CHECK(rig.bot_replies(rig.general, ts).size() == 1);
  CHECK(rig.svc->metrics().rate_limited == 1);
  CHECK(rig.emu.stats().rate_limited == 1);
}

TEST_CASE("huge envelope (39k-character mention) is answered and the connection survives", "[integration]") {
  Rig rig;
  const auto conns = rig.emu.stats().connections_opened;
  // ~39k characters of pasted log in a mention: a large envelope, answered (question cut for search).
  std::string huge = rig.mention() + " pod stuck Pending ";
  while (huge.size() < 39000) huge += "E1234 something failed at line 42 <!channel> & more ";
  const auto ts = rig.emu.post_message(rig.asker, rig.general, huge);
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  for (const auto& r : rig.bot_replies(rig.general, ts))
    CHECK(r.dump().find("<!channel>") == std::string::npos);
  // The connection still carries events afterwards.
  const auto next = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " pod phases");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, next).size() == 1; }));
  CHECK(rig.emu.stats().connections_opened == conns);  // same connection throughout
  CHECK(rig.svc->socket_connected());
  CHECK(rig.emu.stats().ack_timeouts == 0);
}

TEST_CASE("<!channel> in a question never pings, not confident → one line + escalation digest",
          "[integration]") {
  Rig rig;
  const auto ts = rig.emu.post_message(rig.asker, rig.general,
                                       rig.mention() + " <!channel> how do I frobnicate the quux?");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 2; }));
  auto replies = rig.bot_replies(rig.general, ts);
  INFO(replies.dump(2));
  for (const auto& r : replies) {
    CHECK(r.dump().find("<!channel>") == std::string::npos);
    CHECK(r.dump().find("<!here>") == std::string::npos);
  }
  CHECK_THAT(replies[0]["text"].get<std::string>(), Catch::Contains("couldn't find a confident answer"));
  const std::string esc = replies[1]["text"];
  CHECK_THAT(esc, Catch::Contains("<@" + rig.oncall + ">"));
  CHECK_THAT(esc, Catch::Contains("frobnicate the quux"));
  CHECK_THAT(esc, Catch::Contains("nothing confident"));
}

TEST_CASE("buttons: Not helpful → reason → Talk to a human posts the digest with what the asker said",
          "[integration]") {
  Rig rig;
  const auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " exceeded quota");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  const std::string answer_ts = rig.bot_replies(rig.general, ts)[0]["ts"];
  rig.emu.click_button(rig.asker, rig.general, answer_ts, "docbot_not_helpful");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 2; }));
  const std::string ask_ts = rig.bot_replies(rig.general, ts)[1]["ts"];
  rig.emu.click_button(rig.asker, rig.general, ask_ts, "docbot_reason_outdated");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 3; }));
  rig.emu.click_button(rig.asker, rig.general, answer_ts, "docbot_human");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 4; }));
  const std::string esc = rig.bot_replies(rig.general, ts)[3]["text"];
  CHECK_THAT(esc, Catch::Contains("<@" + rig.oncall + ">"));
  CHECK_THAT(esc, Catch::Contains("exceeded quota"));
  CHECK_THAT(esc, Catch::Contains("Fix a Pod stuck in Pending"));
  CHECK_THAT(esc, Catch::Contains("Why: outdated"));
  // Solved reacts on the question.
  rig.emu.click_button(rig.asker, rig.general, answer_ts, "docbot_solved");
  REQUIRE(wait_until([&] {
    for (const auto& m : rig.emu.history(rig.general))
      if (m.value("ts", "") == ts && m.contains("reactions")) return true;
    return false;
  }));
}

TEST_CASE("index updated in place → picked up without restart", "[integration]") {
  const fs::path corpus = fs::temp_directory_path() / ("docbot-bot-it-corpus-" + std::to_string(getpid()));
  fs::remove_all(corpus);
  fs::copy(std::string(DOCBOT_BOT_FIXTURES) + "/docs", corpus, fs::copy_options::recursive);
  const std::string index = fixture_index("reopen", corpus.string());
  Rig rig(index);
  auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " zanzibar gateway certificate");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  CHECK_THAT(rig.bot_replies(rig.general, ts)[0]["text"].get<std::string>(),
             Catch::Contains("couldn't find"));
  std::ofstream(corpus / "en/how-to/zanzibar.md")
      << "---\ntitle: \"Renew the Zanzibar gateway certificate\"\ndiataxis: how-to\nlang: en\n---\n\n"
         "## Renew it {#renew-it}\n\nThe zanzibar gateway certificate is renewed by running the renew job.\n";
  fixture_index("reopen", corpus.string());  // the indexer rebuilds aside and swaps
  std::this_thread::sleep_for(300ms);        // > index_reopen_interval_ms
  ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " zanzibar gateway certificate");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  INFO(rig.dump_logs());
  CHECK_THAT(rig.bot_replies(rig.general, ts)[0]["blocks"].dump(),
             Catch::Contains("Renew the Zanzibar gateway certificate"));
  CHECK(rig.svc->metrics().index_reopens >= 1);
  fs::remove_all(corpus);
}

TEST_CASE("SIGTERM path: drain finishes in-flight replies and closes the socket cleanly", "[integration]") {
  Rig rig;
  std::vector<std::string> asked;
  for (int i = 0; i < 3; ++i)
    asked.push_back(rig.emu.post_message(rig.asker, rig.general, rig.mention() + " pod phases"));
  REQUIRE(wait_until([&] { return rig.emu.stats().envelopes_acked >= 6; }));  // app_mention + message each
  rig.svc->shutdown();
  for (const auto& ts : asked) CHECK(rig.bot_replies(rig.general, ts).size() == 1);
  CHECK(wait_until([&] { return rig.emu.open_connections() == 0; },
                   3s));  // the emulator unregisters asynchronously
  CHECK_THAT(rig.dump_logs(), Catch::Contains("closed cleanly"));
}

TEST_CASE("HTTPS Web API client keeps one persistent connection and reports ok:false with the error",
          "[integration]") {
  slack_emulator::emulator emu(fast_emulator());
  emu.start();
  docbot::bot::net::HttpsWebApi api({emu.api_base_url(), emu.config().bot_token, {emu.ca_file()}, 5000ms});
  for (int i = 0; i < 5; ++i) {
    auto r = api.call("auth.test", json::object());
    REQUIRE(r.ok);
    CHECK(r.body["user_id"] == emu.config().bot_user_id);
  }
  CHECK(api.connections_opened() == 1);  // keep-alive: no new TLS handshake per call
  auto bad = api.call("chat.postMessage", {{"channel", "C_NOPE"}, {"text", "x"}});
  CHECK_FALSE(bad.ok);
  CHECK(bad.error == "channel_not_found");
  docbot::bot::net::HttpsWebApi wrong_ca(
      {emu.api_base_url(), emu.config().bot_token, {"/etc/ssl/certs/ca-certificates.crt"}, 5000ms});
  auto untrusted = wrong_ca.call("auth.test", json::object());
  CHECK_FALSE(untrusted.ok);  // verify_peer: a certificate from an unknown CA is refused
  CHECK_THAT(untrusted.error, Catch::Contains("transport"));
  emu.stop();
}

TEST_CASE(
    "bad frames (not JSON, unknown type, missing fields, garbage event) are logged and counted, the "
    "connection survives and the next mention gets one reply",
    "[integration]") {
  Rig rig;
  const auto conns = rig.emu.stats().connections_opened;
  struct Case {
    const char* why;
    std::string frame;
    const char* logged;  // what the warning says
  };
  const Case cases[] = {
      {"a frame that is not JSON must not kill the read loop", "{this is not json",
       "malformed frame ignored"},
      {"an envelope type Slack may add later is acked and skipped",
       R"({"type":"mystery_envelope","envelope_id":"raw-unknown","payload":{}})", "unknown frame ignored"},
      {"an envelope without envelope_id/payload cannot be acked or handled",
       R"({"type":"events_api","retry_attempt":0})", "envelope without envelope_id/payload"},
      {"an events_api envelope whose event is garbage is acked, then dropped by the handler",
       R"({"type":"events_api","envelope_id":"raw-garbage","payload":{"type":"event_callback","event_id":"EvRaw","event":"garbage"}})",
       "malformed envelope ignored"},
  };
  std::uint64_t expected = 0;
  for (const auto& c : cases) {
    INFO(c.why);
    rig.emu.send_raw(c.frame);
    ++expected;
    REQUIRE(wait_until([&] { return rig.svc->metrics().malformed >= expected; }, 3s));
    CHECK_THAT(rig.dump_logs(), Catch::Contains(c.logged));
  }
  // The same connection carries the next question, answered exactly once.
  const auto ts = rig.emu.post_message(rig.asker, rig.general, rig.mention() + " pod phases");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 1; }));
  std::this_thread::sleep_for(400ms);  // the `message` twin of the mention must not add a second reply
  INFO(rig.dump_logs());
  CHECK(rig.bot_replies(rig.general, ts).size() == 1);
  CHECK(rig.emu.stats().connections_opened == conns);
  CHECK(rig.svc->socket_connected());
  CHECK(rig.svc->metrics().malformed == expected);
  CHECK(rig.svc->metrics().reconnects == 0);
  auto [ms, metrics] = http_get(rig.svc->http_port(), "/metrics");
  CHECK_THAT(metrics, Catch::Contains("docbot_malformed_frames_total 4"));
}

TEST_CASE("/healthz tells the truth: index open with its document count, 503 once the socket is down",
          "[integration]") {
  Rig rig;
  auto [status, body] = http_get(rig.svc->http_port(), "/healthz");
  CHECK(status == 200);
  const json h = json::parse(body);
  INFO(body);
  CHECK(h["ok"] == true);
  CHECK(h["socket"] == "connected");
  CHECK(h["index"]["status"] == "open");
  CHECK(h["index"]["documents"].get<int>() >= 3);  // the three fixture pages, one document per section
  CHECK(h["index"]["seconds_since_reopen"].get<double>() >= 0);
  CHECK(h["index"]["reopens"] == 0);
  CHECK(rig.svc->healthy());
  // Slack unreachable: the socket goes down and stays down (the emulator is gone) → 503.
  rig.emu.stop();
  REQUIRE(wait_until([&] { return !rig.svc->socket_connected(); }, 5s));
  auto [down, down_body] = http_get(rig.svc->http_port(), "/healthz");
  INFO(down_body);
  CHECK(down == 503);
  const json d = json::parse(down_body);
  CHECK(d["ok"] == false);
  CHECK(d["socket"] == "disconnected");
  CHECK(d["index"]["status"] == "open");  // says which half is down
  CHECK_FALSE(rig.svc->healthy());
}

TEST_CASE("a Japanese question is answered in Japanese end to end (search detects the language)",
          "[integration]") {
  Rig rig;  // reply.language defaults to en: the question alone decides
  const auto ts = rig.emu.post_message(rig.asker, rig.general,
                                       rig.mention() + " ザンジバルゲートウェイの証明書を更新したい");
  REQUIRE(wait_until([&] { return rig.bot_replies(rig.general, ts).size() >= 2; }));
  const auto replies = rig.bot_replies(rig.general, ts);
  INFO(replies.dump(2));
  // The fixture docs are English only: not confident → one Japanese line, then the Japanese digest.
  CHECK_THAT(replies[0]["text"].get<std::string>(),
             Catch::Contains("ドキュメントに確かな回答が見つかりませんでした"));
  const std::string esc = replies[1]["text"];
  CHECK_THAT(esc, Catch::Contains("<@" + rig.oncall + ">"));
  CHECK_THAT(esc, Catch::Contains("さんがサポートを必要としています"));
  CHECK_THAT(esc, Catch::Contains("質問: ザンジバルゲートウェイの証明書を更新したい"));
  CHECK(esc.find("Question:") == std::string::npos);
}
