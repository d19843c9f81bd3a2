// The emulator over real TLS sockets: the embeddable library started on 127.0.0.1 port 0, a C++ WSS client
// verifying the generated CA. Timings are compressed through settings.
#include <catch2/catch.hpp>

#include <thread>

#include "slack_emulator/emulator.hpp"
#include "ws_client.hpp"

using namespace slack_emulator;
using namespace test_support;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

settings fast() {
  settings s;
  s.ack_timeout = 300ms;
  s.retry_delays = {50ms, 50ms, 50ms};
  s.server_ping_interval = 100ms;
  s.disconnect_close_delay = 100ms;
  s.log_to_stderr = true;
  return s;
}

std::string open_url(emulator& emu) {
  auto r = https_call(emu.port(), emu.ca_file(), "POST", "/api/apps.connections.open",
                      "application/x-www-form-urlencoded", "", "Bearer " + emu.config().app_token);
  REQUIRE(r.status == 200);
  return r.json()["url"];
}

std::unique_ptr<wss_client> connect(emulator& emu, const std::string& suffix = "") {
  auto c = std::make_unique<wss_client>(emu.port(), emu.ca_file());
  std::string err;
  REQUIRE(c->connect(open_url(emu) + suffix, &err));
  return c;
}

/// Read frames until one satisfies `pred` (skipping others) or the deadline passes.
std::optional<json> read_until(wss_client& c, const std::function<bool(const json&)>& pred,
                               std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto f = c.read_json(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    if (!f) return std::nullopt;
    if (pred(*f)) return f;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("over TLS: hello first, envelope, ack, redelivery when the ack is withheld", "[integration][behaviour2][behaviour9]") {
  emulator emu(fast());
  emu.start();
  CHECK(emu.api_base_url() == "https://127.0.0.1:" + std::to_string(emu.port()) + "/api/");
  const std::string user = emu.create_user("rainer");
  const std::string channel = emu.create_channel("general", false, {user});
  auto c = connect(emu);
  auto hello = c->read_json(3s);
  REQUIRE(hello);
  CHECK((*hello)["type"] == "hello");
  REQUIRE(emu.wait_for_connections(1, 2s));

  emu.post_message(user, channel, "<@U0BOT0001> hi");
  auto m1 = read_until(*c, [](const json& j) { return j.contains("envelope_id"); });
  auto m2 = read_until(*c, [](const json& j) { return j.contains("envelope_id"); });
  REQUIRE(m1);
  REQUIRE(m2);
  c->send_json({{"envelope_id", (*m1)["envelope_id"]}, {"payload", json::object()}});
  c->send_json({{"envelope_id", (*m2)["envelope_id"]}});
  emu.post_message(user, channel, "withhold");
  auto first = read_until(*c, [](const json& j) { return j.contains("envelope_id"); });
  REQUIRE(first);
  auto retry = read_until(*c, [](const json& j) { return j.value("retry_attempt", 0) == 1; }, 3s);
  REQUIRE(retry);
  CHECK((*retry)["retry_reason"] == "timeout");
  CHECK((*retry)["payload"]["event_id"] == (*first)["payload"]["event_id"]);
  c->send_json({{"envelope_id", (*retry)["envelope_id"]}, {"payload", json::object()}});
  c->pump(100ms);
  auto st = emu.stats();
  CHECK(st.envelopes_acked == 3);
  CHECK(st.redeliveries == 1);
  c->close();
}

TEST_CASE("upgrade without a valid ticket is refused - tickets are single-use", "[integration][behaviour2]") {
  emulator emu(fast());
  emu.start();
  wss_client bad(emu.port(), emu.ca_file());
  CHECK_FALSE(bad.connect("wss://127.0.0.1/link/?ticket=made-up&app_id=A0APP0001"));
  const std::string url = open_url(emu);
  wss_client ok(emu.port(), emu.ca_file());
  REQUIRE(ok.connect(url));
  wss_client reuse(emu.port(), emu.ca_file());
  CHECK_FALSE(reuse.connect(url));
  auto dbg = connect(emu, "&debug_reconnects=true");
  auto hello = dbg->read_json(2s);
  REQUIRE(hello);
  CHECK((*hello)["debug_info"]["approximate_connection_time"] == 360);
}

TEST_CASE("ping/pong: pongs echo the payload - server pings can be stopped - pings can go unanswered", "[integration][behaviour4]") {
  emulator emu(fast());
  emu.start();
  auto c = connect(emu);
  REQUIRE(c->read_json(2s));
  c->ping("sdk-ping-pong:123.5");
  c->pump(200ms);
  REQUIRE_FALSE(c->pongs().empty());
  CHECK(c->pongs().front() == "sdk-ping-pong:123.5");  // PY-SDK checks the echo
  c->pump(450ms);
  const int pings = c->server_pings();
  CHECK(pings >= 3);  // 100 ms interval
  emu.set_server_pings(false);
  c->pump(150ms);
  const int after_off = c->server_pings();
  c->pump(400ms);
  CHECK(c->server_pings() == after_off);
  emu.set_answer_pings(false);
  c->pump(50ms);
  // Takes effect at once — no client data frame needed — and only pongs stop: the server keeps reading.
  const auto pongs_before = c->pongs().size();
  c->ping("unanswered");
  c->pump(300ms);
  CHECK(c->pongs().size() == pongs_before);
  const auto unknown_before = emu.stats().unknown_acks;
  c->send_json({{"envelope_id", "read-while-silent"}});
  c->pump(100ms);
  CHECK(emu.stats().unknown_acks == unknown_before + 1);  // the ack was read and processed
  c->ping("still unanswered");
  c->pump(200ms);
  CHECK(c->pongs().size() == pongs_before);
  emu.set_answer_pings(true);
  c->pump(50ms);
  c->ping("answered again");
  c->pump(300ms);
  REQUIRE(c->pongs().size() == pongs_before + 1);  // swallowed pongs are gone for good, new ones flow
  CHECK(c->pongs().back() == "answered again");
  CHECK(emu.stats().pings_received >= 4);
}

TEST_CASE("refresh cycle: warning, refresh_requested, then the server closes", "[integration][behaviour5]") {
  settings s = fast();
  s.connection_lifetime = 600ms;
  s.refresh_warning_lead = 300ms;
  emulator emu(s);
  emu.start();
  auto c = connect(emu);
  auto hello = c->read_json(2s);
  REQUIRE(hello);
  CHECK((*hello)["debug_info"]["approximate_connection_time"] == 0);  // 600 ms rounds down to 0 s
  auto warning = c->read_json(2s);
  REQUIRE(warning);
  CHECK((*warning)["type"] == "disconnect");
  CHECK((*warning)["reason"] == "warning");
  auto refresh = c->read_json(2s);
  REQUIRE(refresh);
  CHECK((*refresh)["reason"] == "refresh_requested");
  CHECK(emu.open_connections() == 0);  // no new envelopes go to a refreshing socket
  c->pump(1s);
  CHECK(c->closed());  // closed by the server after disconnect_close_delay

  // The client may close first, as Node does; the server completes the close handshake.
  auto d = connect(emu);
  REQUIRE(d->read_json(2s));
  emu.force_disconnect("link_disabled");
  auto ld = d->read_json(2s);
  REQUIRE(ld);
  CHECK((*ld)["reason"] == "link_disabled");
  d->close();
  CHECK(d->closed());
}

TEST_CASE("connection cap over real sockets - drop_connections closes without a message", "[integration][behaviour6]") {
  settings s = fast();
  s.max_connections = 2;
  emulator emu(s);
  emu.start();
  auto a = connect(emu), b = connect(emu);
  REQUIRE(a->read_json(2s));
  REQUIRE(b->read_json(2s));
  auto c = connect(emu);
  auto msg = c->read_json(2s);
  REQUIRE(msg);
  CHECK((*msg)["type"] == "disconnect");
  CHECK((*msg)["reason"] == "too_many_websockets");
  c->pump(500ms);
  CHECK(c->closed());
  CHECK(emu.open_connections() == 2);
  emu.drop_connections();
  a->pump(300ms);
  CHECK(a->closed());
  CHECK(emu.open_connections() == 0);
}

TEST_CASE("Web API and control API over HTTPS: 429 + Retry-After on the wire, JSON control ops", "[integration][behaviour13]") {
  emulator emu(fast());
  emu.start();
  const std::string base = "/api/";
  auto ctl = [&](const std::string& op, const json& args) {
    return https_call(emu.port(), emu.ca_file(), "POST", "/_emulator/" + op, "application/json", args.dump());
  };
  auto u = ctl("create_user", {{"name", "rainer"}});
  REQUIRE(u.status == 200);
  const std::string user = u.json()["user"];
  const std::string channel = ctl("create_channel", {{"name", "general"}, {"members", {user}}}).json()["channel"];
  CHECK(ctl("inject_failure", {{"method", "chat.postMessage"}, {"status", 429}, {"retry_after", 2}}).status == 200);
  const std::string body = "channel=" + channel + "&text=hi";
  auto limited = https_call(emu.port(), emu.ca_file(), "POST", base + "chat.postMessage",
                            "application/x-www-form-urlencoded", body, "Bearer xoxb-emulator-bot-token");
  CHECK(limited.status == 429);
  CHECK(limited.headers["Retry-After"] == "2");
  CHECK(limited.json()["error"] == "ratelimited");
  auto ok = https_call(emu.port(), emu.ca_file(), "POST", base + "chat.postMessage",
                       "application/x-www-form-urlencoded", body, "Bearer xoxb-emulator-bot-token");
  CHECK(ok.status == 200);
  CHECK(ok.json()["ok"] == true);
  CHECK(ok.headers["Content-Type"].find("application/json") == 0);
  auto hist = ctl("history", {{"channel", channel}}).json();
  CHECK(hist["messages"].size() == 1);
  auto counters = https_call(emu.port(), emu.ca_file(), "GET", "/_emulator/counters").json();
  CHECK(counters["rate_limited"] == 1);
  CHECK(ctl("no_such_op", json::object()).status == 400);
}

TEST_CASE("send_raw over TLS: the exact text arrives as one frame, in process and over the control API", "[integration]") {
  emulator emu(fast());
  emu.start();
  auto c = connect(emu);
  REQUIRE(c->read_json(2s));  // hello
  REQUIRE(emu.wait_for_connections(1, 2s));
  // In process: not JSON, multi-byte UTF-8 kept byte for byte.
  const std::string garbage = "}{ not json — ひらがな";
  CHECK(emu.send_raw(garbage) >= 1);
  auto got = c->read_text(2s);
  REQUIRE(got);
  CHECK(*got == garbage);
  // Over HTTPS, like any control op.
  auto r = https_call(emu.port(), emu.ca_file(), "POST", "/_emulator/send_raw", "application/json",
                      json{{"text", R"({"type":"events_api"})"}}.dump());
  CHECK(r.status == 200);
  auto got2 = c->read_text(2s);
  REQUIRE(got2);
  CHECK(*got2 == R"({"type":"events_api"})");
  CHECK(https_call(emu.port(), emu.ca_file(), "POST", "/_emulator/send_raw", "application/json",
                   json{{"text", "x"}, {"index", 5}}.dump())
            .status == 400);
  CHECK(emu.stats().raw_frames_sent == 2);
  // The connection is still an ordinary Socket Mode connection afterwards.
  const std::string user = emu.create_user("rainer");
  const std::string channel = emu.create_channel("general", false, {user});
  emu.post_message(user, channel, "<@U0BOT0001> still there?");
  auto env = read_until(*c, [](const json& j) { return j.contains("envelope_id"); });
  REQUIRE(env);
  c->close();
  for (int i = 0; i < 200 && emu.open_connections() > 0; ++i) std::this_thread::sleep_for(10ms);
  CHECK_THROWS(emu.send_raw("nobody listening"));  // no open connection: a test bug, reported loudly
}
