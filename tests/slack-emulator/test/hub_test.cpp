// Slack rules checked on the hub directly, with fake connections and a manual clock: no sockets, no sleeps
// except where a compressed ack timer must fire (driven by io_context::run_for).
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <set>

#include "hub.hpp"

using namespace slack_emulator;
using namespace slack_emulator::detail;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct fake_link : detail::link {
  explicit fake_link(std::uint64_t i) : id_(i) {}
  std::uint64_t id() const override { return id_; }
  void send_text(std::string f) override {
    auto j = json::parse(f, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded()) frames.push_back(j);
    raw.push_back(std::move(f));  // every frame verbatim, JSON or not (send_raw)
  }
  void begin_disconnect(std::string reason, std::chrono::milliseconds) override { disconnects.push_back(reason); }
  void drop() override { dropped = true; }
  void set_server_pings(bool e) override { pings = e; }
  void set_answer_pings(bool e) override { answer = e; }
  void schedule_refresh(std::chrono::milliseconds l) override { lifetime = l; }

  /// Envelopes (frames with an envelope_id) received so far.
  std::vector<json> envelopes() const {
    std::vector<json> out;
    for (const auto& f : frames)
      if (f.contains("envelope_id")) out.push_back(f);
    return out;
  }
  std::uint64_t id_;
  std::vector<json> frames;
  std::vector<std::string> raw;
  std::vector<std::string> disconnects;
  bool dropped = false, pings = false, answer = false;
  std::chrono::milliseconds lifetime{0};
};

struct fixture {
  explicit fixture(settings s = quiet()) : clk(std::make_shared<manual_clock>()) {
    s.clock = clk;
    h = std::make_unique<hub>(ioc, s);
    h->set_origin("https://127.0.0.1:4443");
    user = h->control("create_user", {{"name", "rainer"}})["user"];
    channel = h->control("create_channel", {{"name", "general"}, {"members", {user}}})["channel"];
  }
  static settings quiet() {
    settings s;
    s.log_to_stderr = false;
    return s;
  }
  std::shared_ptr<fake_link> connect(std::uint64_t id = 1) {
    auto l = std::make_shared<fake_link>(id);
    h->attach(l, false);
    return l;
  }
  /// Call a Web API method with a form body (what Node's WebClient sends).
  json form(const std::string& method, const std::map<std::string, std::string>& args,
            const std::string& token = "xoxb-emulator-bot-token", http_response* raw = nullptr) {
    std::string body;
    for (auto& [k, v] : args) body += (body.empty() ? "" : "&") + k + "=" + v;
    http_request r{"POST", "/api/" + method, "application/x-www-form-urlencoded",
                   token.empty() ? "" : "Bearer " + token, body};
    auto res = h->handle_http(r);
    if (raw) *raw = res;
    return json::parse(res.body);
  }
  /// Call with a JSON body (what Python's WebClient sends for chat.*).
  json post_json(const std::string& method, const json& args, const std::string& token = "xoxb-emulator-bot-token") {
    http_request r{"POST", "/api/" + method, "application/json; charset=utf-8",
                   token.empty() ? "" : "Bearer " + token, args.dump()};
    return json::parse(h->handle_http(r).body);
  }
  void ack(const detail::link& l, const json& envelope, const json* payload = nullptr) {
    json a = {{"envelope_id", envelope["envelope_id"]}};
    if (payload) a["payload"] = *payload;
    h->on_client_text(l.id(), a.dump());
  }
  boost::asio::io_context ioc;
  std::shared_ptr<manual_clock> clk;
  std::unique_ptr<hub> h;
  std::string user, channel;
};

}  // namespace

// ---------------------------------------------------------------- behaviour 1: apps.connections.open

TEST_CASE("apps.connections.open follows Slack's app-token rules", "[unit][behaviour1]") {
  fixture f;
  const std::string app = "xapp-1-A0APP0001-emulator-app-token";
  auto r1 = f.form("apps.connections.open", {}, app);
  auto r2 = f.form("apps.connections.open", {}, app);
  REQUIRE(r1["ok"] == true);
  const std::string url = r1["url"];
  CHECK(url.rfind("wss://127.0.0.1:4443/link/?ticket=", 0) == 0);
  CHECK(url.find("&app_id=A0APP0001") != std::string::npos);  // always a query string (PY-SDK needs it)
  CHECK(r1["url"] != r2["url"]);                               // a fresh ticket per call

  struct row {
    const char* why;
    std::string header_token;
    std::map<std::string, std::string> body;
    std::string error;
  };
  const std::vector<row> rows = {
      {"no token at all", "", {}, "not_authed"},
      {"token in the body instead of the header", "", {{"token", app}}, "invalid_auth"},
      {"bot token where an app token is required", "xoxb-emulator-bot-token", {}, "not_allowed_token_type"},
      {"unknown app token", "xapp-1-wrong", {}, "invalid_auth"},
  };
  for (const auto& r : rows) {
    INFO(r.why);
    CHECK(f.form("apps.connections.open", r.body, r.header_token)["error"] == r.error);
  }
  http_request get{"GET", "/api/apps.connections.open", "", "Bearer " + app, ""};
  CHECK(json::parse(f.h->handle_http(get).body)["ok"] == false);  // POST only

  f.h->control("inject_failure", {{"method", "apps.connections.open"}, {"status", 429}, {"retry_after", 7}});
  http_response raw;
  auto limited = f.form("apps.connections.open", {}, app, &raw);
  CHECK(raw.status == 429);
  CHECK(limited["error"] == "ratelimited");
  CHECK(raw.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "7"}});
}

TEST_CASE("tickets gate the upgrade: unknown, reused and expired tickets are refused", "[unit][behaviour2]") {
  fixture f;
  auto url = f.form("apps.connections.open", {}, "xapp-1-A0APP0001-emulator-app-token")["url"].get<std::string>();
  const std::string target = url.substr(url.find("/link/"));
  bool debug = true;
  CHECK(f.h->accept_ticket(target, debug));
  CHECK_FALSE(debug);
  CHECK_FALSE(f.h->accept_ticket(target, debug));  // single use
  CHECK_FALSE(f.h->accept_ticket("/link/?ticket=made-up", debug));
  auto url2 = f.form("apps.connections.open", {}, "xapp-1-A0APP0001-emulator-app-token")["url"].get<std::string>();
  f.clk->advance(61s);
  CHECK_FALSE(f.h->accept_ticket(url2.substr(url2.find("/link/")), debug));  // ticket_ttl
  auto url3 = f.form("apps.connections.open", {}, "xapp-1-A0APP0001-emulator-app-token")["url"].get<std::string>();
  CHECK(f.h->accept_ticket(url3.substr(url3.find("/link/")) + "&debug_reconnects=true", debug));
  CHECK(debug);
}

// ---------------------------------------------------------------- behaviour 3: hello

TEST_CASE("hello is the first frame, with num_connections, app_id and debug_info", "[unit][behaviour3]") {
  fixture f;
  auto a = f.connect(1);
  auto b = f.connect(2);
  REQUIRE(a->frames.size() == 1);
  const json& hello = a->frames[0];
  CHECK(hello["type"] == "hello");
  CHECK(hello["num_connections"] == 1);
  CHECK(b->frames[0]["num_connections"] == 2);
  CHECK(hello["connection_info"]["app_id"] == "A0APP0001");
  CHECK(hello["debug_info"]["approximate_connection_time"] == 18060);
  CHECK(hello["debug_info"].contains("host"));
  CHECK(hello["debug_info"].contains("build_number"));
  CHECK(a->lifetime == 18060s);
  auto d = std::make_shared<fake_link>(3);
  f.h->attach(d, true);  // debug_reconnects=true
  CHECK(d->frames[0]["debug_info"]["approximate_connection_time"] == 360);
  CHECK(d->lifetime == 360s);
}

// ---------------------------------------------------------------- behaviour 5 and 6: refresh, cap, routing

TEST_CASE("forced refresh sends warning first, then refresh_requested - link_disabled too", "[unit][behaviour5]") {
  settings s = fixture::quiet();
  s.refresh_warning_lead = 20ms;
  fixture f(s);
  auto l = f.connect();
  f.h->control("force_disconnect", {{"reason", "refresh_requested"}, {"with_warning", true}});
  CHECK(l->disconnects == std::vector<std::string>{"warning"});
  CHECK(f.h->open_connections() == 1);  // still routable until refresh_requested
  f.ioc.run_for(200ms);
  CHECK(l->disconnects == std::vector<std::string>{"warning", "refresh_requested"});
  CHECK(f.h->open_connections() == 0);
  auto m = f.connect(2);
  f.h->control("force_disconnect", {{"reason", "link_disabled"}});
  CHECK(m->disconnects == std::vector<std::string>{"link_disabled"});
  CHECK(f.h->control("force_disconnect", {{"reason", "bogus"}})["error"] == "invalid_reason");
}

TEST_CASE("at most 10 connections - the 11th gets too_many_websockets - each envelope goes to one", "[unit][behaviour6]") {
  fixture f;
  std::vector<std::shared_ptr<fake_link>> links;
  for (int i = 1; i <= 10; ++i) links.push_back(f.connect(i));
  auto eleventh = f.connect(11);
  CHECK(eleventh->frames.empty());  // no hello
  CHECK(eleventh->disconnects == std::vector<std::string>{"too_many_websockets"});
  CHECK(f.h->open_connections() == 10);
  for (int i = 0; i < 20; ++i) f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "hi"}});
  std::size_t total = 0;
  std::set<std::string> ids;
  for (auto& l : links) {
    CHECK(l->envelopes().size() == 2);  // round robin: 20 envelopes over 10 sockets
    for (auto& e : l->envelopes()) ids.insert(e["envelope_id"]);
    total += l->envelopes().size();
  }
  CHECK(total == 20);
  CHECK(ids.size() == 20);  // never broadcast

  settings s = fixture::quiet();
  s.max_connections = 2;
  s.too_many_target = over_cap_target::oldest;
  fixture g(s);
  auto a = g.connect(1), b = g.connect(2), c = g.connect(3);
  CHECK(a->disconnects == std::vector<std::string>{"too_many_websockets"});
  CHECK(c->frames.at(0)["type"] == "hello");
  CHECK(g.h->open_connections() == 2);
}

// ---------------------------------------------------------------- behaviour 7: envelope formats

TEST_CASE("envelopes have Slack's shapes per type", "[unit][behaviour7]") {
  fixture f;
  auto l = f.connect();
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "hello"}});
  json ev = l->envelopes().at(0);
  CHECK(ev["type"] == "events_api");
  CHECK(ev["accepts_response_payload"] == false);
  CHECK(ev["retry_attempt"] == 0);
  CHECK(ev["retry_reason"] == "");
  const json& p = ev["payload"];
  CHECK(p["type"] == "event_callback");
  CHECK(p["api_app_id"] == "A0APP0001");
  CHECK(p["team_id"] == "T0TEAM001");
  CHECK(p["event_id"].get<std::string>().rfind("Ev", 0) == 0);
  CHECK(p["event_time"].is_number_integer());
  CHECK(p["authorizations"].size() == 1);
  CHECK(p["authorizations"][0]["user_id"] == "U0BOT0001");
  CHECK(p["authorizations"][0]["is_bot"] == true);
  CHECK(p["event"]["event_ts"] == p["event"]["ts"]);

  auto r = f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"},
                                          {"text", "build flags"}});
  json sc = l->envelopes().at(1);
  CHECK(sc["type"] == "slash_commands");
  CHECK(sc["accepts_response_payload"] == true);
  CHECK_FALSE(sc.contains("retry_attempt"));
  for (const char* k : {"token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
                        "command", "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id"}) {
    INFO(k);
    CHECK(sc["payload"][k].is_string());  // slash-command fields are all strings
  }
  CHECK(sc["payload"]["response_url"] == r["response_url"]);

  auto post = f.form("chat.postMessage",
                     {{"channel", f.channel},
                      {"text", "answer"},
                      {"blocks", R"([{"type":"actions","block_id":"feedback","elements":[{"type":"button","action_id":"helpful","value":"yes","text":{"type":"plain_text","text":"Helpful"}}]}])"}});
  REQUIRE(post["ok"] == true);
  f.h->control("click_button", {{"user", f.user}, {"channel", f.channel}, {"message_ts", post["ts"]},
                                {"action_id", "helpful"}});
  json ia = l->envelopes().back();
  CHECK(ia["type"] == "interactive");
  CHECK(ia["accepts_response_payload"] == false);
  CHECK(ia["payload"]["type"] == "block_actions");
  CHECK(ia["payload"]["container"]["message_ts"] == post["ts"]);
  CHECK(ia["payload"]["container"]["is_ephemeral"] == false);
  CHECK(ia["payload"]["actions"][0]["action_id"] == "helpful");
  CHECK(ia["payload"]["actions"][0]["block_id"] == "feedback");
  CHECK(ia["payload"]["actions"][0]["value"] == "yes");
  CHECK(ia["payload"]["message"]["ts"] == post["ts"]);
}

// ---------------------------------------------------------------- behaviour 8: ack parsing

TEST_CASE("acks with and without payload are accepted - unknown ids are ignored", "[unit][behaviour8]") {
  fixture f;
  auto l = f.connect();
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "one"}});
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "two"}});
  auto envs = l->envelopes();
  const json empty = json::object();
  f.ack(*l, envs[0]);          // PY-SDK: no payload key
  f.ack(*l, envs[1], &empty);  // Node: "payload": {}
  f.h->on_client_text(l->id(), R"({"envelope_id":"never-sent"})");
  f.h->on_client_text(l->id(), "not json");
  auto c = f.h->stats();
  CHECK(c.envelopes_acked == 2);
  CHECK(c.unknown_acks == 1);
  CHECK(c.ack_latencies_ms.size() == 2);
  auto log = f.h->control("envelopes", json::object())["envelopes"];
  CHECK(log[0]["acked"] == true);
  CHECK(log[0]["ack_payload"].is_null());
  CHECK(log[1]["ack_payload"] == json::object());
  CHECK(log[0].contains("ack_latency_ms"));
}

// ---------------------------------------------------------------- behaviour 9: redelivery

TEST_CASE("an unacked event is redelivered with retry_attempt 1..3 and retry_reason timeout", "[unit][behaviour9]") {
  settings s = fixture::quiet();
  s.ack_timeout = 20ms;
  s.retry_delays = {5ms, 5ms, 5ms};
  fixture f(s);
  auto l = f.connect();
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "nobody acks"}});
  f.ioc.run_for(400ms);
  auto envs = l->envelopes();
  REQUIRE(envs.size() == 4);
  std::set<std::string> envelope_ids;
  for (int i = 0; i < 4; ++i) {
    INFO("attempt " << i);
    CHECK(envs[i]["retry_attempt"] == i);
    CHECK(envs[i]["retry_reason"] == (i == 0 ? "" : "timeout"));
    CHECK(envs[i]["payload"]["event_id"] == envs[0]["payload"]["event_id"]);  // dedupe key is stable
    envelope_ids.insert(envs[i]["envelope_id"]);
  }
  CHECK(envelope_ids.size() == 4);  // renew_envelope_id_on_retry = true
  auto c = f.h->stats();
  CHECK(c.redeliveries == 3);
  CHECK(c.ack_timeouts == 4);
  f.ack(*l, envs[0]);  // a late ack is accepted silently
  CHECK(f.h->stats().late_acks == 1);
}

TEST_CASE("envelope ids can be kept on retry - events wait for a connection", "[unit][behaviour9]") {
  settings s = fixture::quiet();
  s.ack_timeout = 20ms;
  s.retry_delays = {5ms};
  s.renew_envelope_id_on_retry = false;
  fixture f(s);
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "while offline"}});
  auto l = f.connect();  // queued events flow right after hello
  REQUIRE(l->frames.size() == 2);
  CHECK(l->frames[0]["type"] == "hello");
  f.ioc.run_for(200ms);
  auto envs = l->envelopes();
  REQUIRE(envs.size() == 2);
  CHECK(envs[1]["envelope_id"] == envs[0]["envelope_id"]);
  CHECK(envs[1]["retry_attempt"] == 1);
}

TEST_CASE("ack_mode drop and delay exercise the client's retry handling", "[unit][behaviour9]") {
  settings s = fixture::quiet();
  s.ack_timeout = 200ms;
  s.retry_delays = {5ms};
  fixture f(s);
  auto l = f.connect();
  f.h->control("set_ack_mode", {{"mode", "drop"}});
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "x"}});
  f.ack(*l, l->envelopes()[0]);
  CHECK(f.h->stats().dropped_acks == 1);
  f.ioc.run_for(300ms);
  CHECK(l->envelopes().size() == 2);  // redelivered although the client acked
  f.h->control("set_ack_mode", {{"mode", "delay"}, {"delay_ms", 10}});
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "y"}});
  f.ack(*l, l->envelopes().back());
  CHECK(f.h->stats().envelopes_acked == 0);  // not yet: the ack is held back
  f.ioc.restart();
  f.ioc.run_for(60ms);
  CHECK(f.h->stats().envelopes_acked == 1);
}

// ---------------------------------------------------------------- behaviour 10: slash / interactive acks

TEST_CASE("slash-command ack payloads post ephemeral or in_channel - no ack means operation_timeout", "[unit][behaviour10]") {
  settings s = fixture::quiet();
  s.ack_timeout = 20ms;
  fixture f(s);
  auto l = f.connect();
  f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"}, {"text", "a"}});
  const json eph = {{"text", "Searching…"}};
  f.ack(*l, l->envelopes().back(), &eph);
  auto e = f.h->control("ephemerals", {{"channel", f.channel}, {"user", f.user}})["messages"];
  REQUIRE(e.size() == 1);
  CHECK(e[0]["text"] == "Searching…");

  f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"}, {"text", "b"}});
  const json pub = {{"response_type", "in_channel"}, {"text", "Found 3 pages"}};
  f.ack(*l, l->envelopes().back(), &pub);
  auto hist = f.h->control("history", {{"channel", f.channel}})["messages"];
  CHECK(hist.back()["text"] == "Found 3 pages");
  CHECK(hist.back()["bot_id"] == "B0BOT0001");

  const std::size_t before = l->envelopes().size();
  f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"}, {"text", "c"}});
  f.ioc.run_for(200ms);
  // The in_channel post echoed one message event; the unacked slash command is never retried.
  std::size_t slash_after = 0;
  for (std::size_t i = before; i < l->envelopes().size(); ++i)
    if (l->envelopes()[i]["type"] == "slash_commands") ++slash_after;
  CHECK(slash_after == 1);
  CHECK(f.h->stats().slash_timeouts == 1);
  e = f.h->control("ephemerals", {{"channel", f.channel}, {"user", f.user}})["messages"];
  CHECK(e.back()["text"] == "/docs failed with the error \"operation_timeout\"");
}

TEST_CASE("block_actions ack payloads are ignored - view_submission response_action is honoured", "[unit][behaviour10]") {
  fixture f;
  auto l = f.connect();
  auto post = f.form("chat.postMessage",
                     {{"channel", f.channel}, {"text", "t"},
                      {"blocks", R"([{"type":"section","text":{"type":"mrkdwn","text":"q"},"accessory":{"type":"button","action_id":"open","text":{"type":"plain_text","text":"Open"}}}])"}});
  auto click = f.h->control("click_button", {{"user", f.user}, {"channel", f.channel}, {"message_ts", post["ts"]},
                                             {"action_id", "open"}});
  const json ignored = {{"text", "nope"}};
  f.ack(*l, l->envelopes().back(), &ignored);
  auto log = f.h->control("envelopes", json::object())["envelopes"];
  CHECK(log.back()["ack_payload_ignored"] == true);
  CHECK(f.h->control("history", {{"channel", f.channel}})["messages"].size() == 1);

  // views.open with the click's trigger_id, then submit with errors.
  auto opened = f.form("views.open", {{"trigger_id", click["trigger_id"]},
                                      {"view", R"({"type":"modal","title":{"type":"plain_text","text":"Feedback"},"blocks":[]})"}});
  REQUIRE(opened["ok"] == true);
  const std::string view_id = opened["view"]["id"];
  f.h->control("submit_view", {{"user", f.user}, {"view_id", view_id}, {"values", {{"b", {{"a", {{"value", "x"}}}}}}}});
  json sub = l->envelopes().back();
  CHECK(sub["accepts_response_payload"] == true);
  CHECK(sub["payload"]["type"] == "view_submission");
  CHECK(sub["payload"]["view"]["state"]["values"]["b"]["a"]["value"] == "x");
  const json errors = {{"response_action", "errors"}, {"errors", {{"b", "Please say more"}}}};
  f.ack(*l, sub, &errors);
  auto views = f.h->control("views", json::object())["views"];
  CHECK(views[0]["state"] == "open");
  CHECK(views[0]["last_response_action"]["response_action"] == "errors");
  f.h->control("submit_view", {{"user", f.user}, {"view_id", view_id}});
  const json clear = {{"response_action", "clear"}};
  f.ack(*l, l->envelopes().back(), &clear);
  CHECK(f.h->control("views", json::object())["views"][0]["state"] == "closed");
}

// ---------------------------------------------------------------- behaviour 11: response_url and trigger_id

TEST_CASE("response_url works 5 times within 30 minutes, then answers non-2xx", "[unit][behaviour11]") {
  fixture f;
  auto l = f.connect();
  auto r = f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"}, {"text", ""}});
  const std::string path = r["response_url"].get<std::string>().substr(std::string("https://127.0.0.1:4443").size());
  auto post = [&](const json& body) {
    return f.h->handle_http({"POST", path, "application/json", "", body.dump()});
  };
  CHECK(post({{"text", "eph"}}).body == "ok");
  CHECK(post({{"text", "pub"}, {"response_type", "in_channel"}}).status == 200);
  for (int i = 0; i < 3; ++i) CHECK(post({{"text", "more"}}).status == 200);
  auto sixth = post({{"text", "too many"}});
  CHECK(sixth.status == 404);
  CHECK(f.h->control("ephemerals", {{"channel", f.channel}, {"user", f.user}})["messages"][0]["text"] == "eph");
  CHECK(f.h->control("history", {{"channel", f.channel}})["messages"][0]["text"] == "pub");

  auto r2 = f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"}, {"text", ""}});
  const std::string path2 = r2["response_url"].get<std::string>().substr(std::string("https://127.0.0.1:4443").size());
  f.clk->advance(30min + 1s);
  CHECK(f.h->handle_http({"POST", path2, "application/json", "", R"({"text":"late"})"}).status == 404);
  CHECK(f.h->handle_http({"POST", "/hooks/commands/T/unknown", "application/json", "", "{}"}).status == 404);
}

TEST_CASE("response_url replace_original / delete_original act on the clicked message", "[unit][behaviour11]") {
  fixture f;
  auto l = f.connect();
  auto post = f.form("chat.postMessage",
                     {{"channel", f.channel}, {"text", "q"},
                      {"blocks", R"([{"type":"actions","elements":[{"type":"button","action_id":"helpful","text":{"type":"plain_text","text":"Helpful"}}]}])"}});
  auto click = f.h->control("click_button", {{"user", f.user}, {"channel", f.channel}, {"message_ts", post["ts"]},
                                             {"action_id", "helpful"}});
  const std::string path = click["response_url"].get<std::string>().substr(std::string("https://127.0.0.1:4443").size());
  CHECK(f.h->handle_http({"POST", path, "application/json", "", R"({"replace_original":true,"text":"Thanks!"})"}).status == 200);
  auto hist = f.h->control("history", {{"channel", f.channel}})["messages"];
  REQUIRE(hist.size() == 1);
  CHECK(hist[0]["text"] == "Thanks!");
  CHECK_FALSE(hist[0].contains("blocks"));
  CHECK(f.h->handle_http({"POST", path, "application/json", "", R"({"delete_original":true})"}).status == 200);
  CHECK(f.h->control("history", {{"channel", f.channel}})["messages"].empty());
}

TEST_CASE("trigger_id is single-use and valid for 3 seconds", "[unit][behaviour11]") {
  fixture f;
  f.connect();
  const std::string view = R"({"type":"modal","title":{"type":"plain_text","text":"T"},"blocks":[]})";
  auto t1 = f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"}, {"text", ""}})["trigger_id"];
  CHECK(f.form("views.open", {{"trigger_id", t1}, {"view", view}})["ok"] == true);
  CHECK(f.form("views.open", {{"trigger_id", t1}, {"view", view}})["error"] == "exchanged_trigger_id");
  auto t2 = f.h->control("slash_command", {{"user", f.user}, {"channel", f.channel}, {"command", "/docs"}, {"text", ""}})["trigger_id"];
  f.clk->advance(3001ms);
  CHECK(f.form("views.open", {{"trigger_id", t2}, {"view", view}})["error"] == "expired_trigger_id");
  CHECK(f.form("views.open", {{"trigger_id", "1.2.3"}, {"view", view}})["error"] == "invalid_trigger_id");
}

// ---------------------------------------------------------------- behaviour 12: Web API transport

TEST_CASE("Web API transport: form, JSON, query - Slack's error shapes", "[unit][behaviour12]") {
  settings s = fixture::quiet();
  s.bot_scopes = {"chat:write", "channels:history", "users:read"};
  fixture f(s);
  // JSON bodies need the token in the header.
  http_request json_body_token{"POST", "/api/auth.test", "application/json; charset=utf-8", "",
                               R"({"token":"xoxb-emulator-bot-token"})"};
  CHECK(json::parse(f.h->handle_http(json_body_token).body)["error"] == "not_authed");
  // Form bodies may carry it.
  CHECK(f.form("auth.test", {{"token", "xoxb-emulator-bot-token"}}, "")["ok"] == true);
  auto at = f.form("auth.test", {});
  CHECK(at["user_id"] == "U0BOT0001");
  CHECK(at["bot_id"] == "B0BOT0001");
  CHECK(at["team_id"] == "T0TEAM001");
  CHECK(f.form("auth.test", {}, "xoxb-wrong")["error"] == "invalid_auth");
  CHECK(f.form("auth.test", {}, "xapp-1-A0APP0001-emulator-app-token")["error"] == "not_allowed_token_type");
  CHECK(f.form("no.such.method", {})["error"] == "unknown_method");
  // GET with a query string.
  http_request get{"GET", "/api/users.info?user=" + f.user, "", "Bearer xoxb-emulator-bot-token", ""};
  auto ui = json::parse(f.h->handle_http(get).body);
  CHECK(ui["user"]["name"] == "rainer");
  CHECK(f.form("users.info", {{"user", "UNOPE"}})["error"] == "user_not_found");
  // missing_scope carries needed/provided.
  auto ms = f.form("reactions.add", {{"channel", f.channel}, {"name", "eyes"}, {"timestamp", "1.000001"}});
  CHECK(ms["error"] == "missing_scope");
  CHECK(ms["needed"] == "reactions:write");
  CHECK(ms["provided"] == "chat:write,channels:history,users:read");
  // JSON write with blocks as a real array; JSON without charset gets a warning.
  http_request no_charset{"POST", "/api/chat.postMessage", "application/json", "Bearer xoxb-emulator-bot-token",
                          json{{"channel", f.channel}, {"text", "hi"}}.dump()};
  auto nc = json::parse(f.h->handle_http(no_charset).body);
  CHECK(nc["ok"] == true);
  CHECK(nc["warning"] == "missing_charset");
  CHECK(nc["response_metadata"]["warnings"][0] == "missing_charset");
  http_request bad_json{"POST", "/api/chat.postMessage", "application/json; charset=utf-8",
                        "Bearer xoxb-emulator-bot-token", "{nope"};
  CHECK(json::parse(f.h->handle_http(bad_json).body)["error"] == "invalid_json");
  CHECK(f.form("chat.postMessage", {{"channel", f.channel}, {"blocks", "[not json"}})["error"] == "invalid_blocks_format");
}

TEST_CASE("conversations.replies paginates with a cursor", "[unit][behaviour12]") {
  fixture f;
  auto parent = f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "q"}})["ts"];
  for (int i = 0; i < 4; ++i)
    f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "r"}, {"thread_ts", parent}});
  auto page1 = f.form("conversations.replies", {{"channel", f.channel}, {"ts", parent}, {"limit", "3"}});
  CHECK(page1["messages"].size() == 3);
  CHECK(page1["has_more"] == true);
  const std::string cursor = page1["response_metadata"]["next_cursor"];
  auto page2 = f.form("conversations.replies", {{"channel", f.channel}, {"ts", parent}, {"limit", "3"}, {"cursor", cursor}});
  CHECK(page2["messages"].size() == 2);
  CHECK(page2["has_more"] == false);
  CHECK(page2["response_metadata"]["next_cursor"] == "");
  CHECK(f.form("conversations.replies", {{"channel", f.channel}, {"ts", parent}, {"cursor", "junk"}})["error"] == "invalid_cursor");
}

// ---------------------------------------------------------------- behaviour 13: rate limits

TEST_CASE("chat.postMessage is limited per channel with 429 + Retry-After", "[unit][behaviour13]") {
  fixture f;
  const std::string other = f.h->control("create_channel", {{"name", "random"}})["channel"];
  http_response raw;
  for (int i = 0; i < 3; ++i) CHECK(f.form("chat.postMessage", {{"channel", f.channel}, {"text", "x"}})["ok"] == true);
  auto limited = f.form("chat.postMessage", {{"channel", f.channel}, {"text", "x"}}, "xoxb-emulator-bot-token", &raw);
  CHECK(raw.status == 429);
  CHECK(limited == json{{"ok", false}, {"error", "ratelimited"}});
  CHECK(raw.headers.back() == std::pair<std::string, std::string>{"Retry-After", "1"});
  CHECK(f.form("chat.postMessage", {{"channel", other}, {"text", "x"}})["ok"] == true);  // per channel
  f.clk->advance(1s);
  CHECK(f.form("chat.postMessage", {{"channel", f.channel}, {"text", "x"}})["ok"] == true);
  CHECK(f.h->stats().rate_limited == 1);
  // Injected 5xx for one call.
  f.h->control("inject_failure", {{"method", "users.info"}, {"status", 503}, {"count", 1}});
  f.form("users.info", {{"user", f.user}}, "xoxb-emulator-bot-token", &raw);
  CHECK(raw.status == 503);
  f.form("users.info", {{"user", f.user}}, "xoxb-emulator-bot-token", &raw);
  CHECK(raw.status == 200);
}

// ---------------------------------------------------------------- behaviour 14: store and echo events

TEST_CASE("one message store behind postMessage, update, reactions, replies and permalinks", "[unit][behaviour14]") {
  fixture f;
  auto l = f.connect();
  auto parent_ts = f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "question"}})["ts"].get<std::string>();
  auto reply = f.form("chat.postMessage", {{"channel", f.channel}, {"text", "answer"}, {"thread_ts", parent_ts},
                                           {"blocks", R"([{"type":"section","text":{"type":"mrkdwn","text":"*answer*"}}])"}});
  REQUIRE(reply["ok"] == true);
  CHECK(reply["message"]["blocks"][0].contains("block_id"));  // assigned when omitted
  CHECK(reply["message"]["thread_ts"] == parent_ts);
  CHECK(reply["message"]["parent_user_id"] == f.user);
  CHECK(reply["ts"].get<std::string>() > parent_ts);  // monotonic ts

  // Echo: plain message event with bot_id/app_id/bot_profile, user = bot user, no subtype.
  json echo = l->envelopes().back()["payload"]["event"];
  CHECK(echo["type"] == "message");
  CHECK_FALSE(echo.contains("subtype"));
  CHECK(echo["user"] == "U0BOT0001");
  CHECK(echo["bot_id"] == "B0BOT0001");
  CHECK(echo["app_id"] == "A0APP0001");
  CHECK(echo["bot_profile"]["id"] == "B0BOT0001");
  CHECK_FALSE(echo.contains("client_msg_id"));

  auto replies = f.form("conversations.replies", {{"channel", f.channel}, {"ts", parent_ts}});
  REQUIRE(replies["messages"].size() == 2);
  CHECK(replies["messages"][0]["reply_count"] == 1);
  CHECK(replies["messages"][0]["latest_reply"] == reply["ts"]);
  CHECK(replies["messages"][1]["ts"] == reply["ts"]);

  auto up = f.form("chat.update", {{"channel", f.channel}, {"ts", reply["ts"]}, {"text", "better answer"}});
  CHECK(up["ok"] == true);
  json changed = l->envelopes().back()["payload"]["event"];
  CHECK(changed["subtype"] == "message_changed");
  CHECK(changed["message"]["text"] == "better answer");
  CHECK(changed["previous_message"]["text"] == "answer");
  CHECK(f.form("conversations.replies", {{"channel", f.channel}, {"ts", parent_ts}})["messages"][1]["text"] == "better answer");
  CHECK(f.form("chat.update", {{"channel", f.channel}, {"ts", parent_ts}, {"text", "x"}})["error"] == "cant_update_message");
  CHECK(f.form("chat.update", {{"channel", f.channel}, {"ts", "1.000001"}, {"text", "x"}})["error"] == "message_not_found");

  CHECK(f.form("reactions.add", {{"channel", f.channel}, {"name", "eyes"}, {"timestamp", parent_ts}})["ok"] == true);
  CHECK(f.form("reactions.add", {{"channel", f.channel}, {"name", "eyes"}, {"timestamp", parent_ts}})["error"] == "already_reacted");
  CHECK(f.form("reactions.add", {{"channel", f.channel}, {"name", "eyes"}, {"timestamp", "nope"}})["error"] == "bad_timestamp");
  CHECK(f.form("conversations.replies", {{"channel", f.channel}, {"ts", parent_ts}})["messages"][0]["reactions"][0]["name"] == "eyes");

  auto link = f.form("chat.getPermalink", {{"channel", f.channel}, {"message_ts", reply["ts"]}});
  std::string p = reply["ts"];
  p.erase(p.find('.'), 1);
  CHECK(link["permalink"] == "https://example.slack.com/archives/" + f.channel + "/p" + p + "?thread_ts=" + parent_ts +
                                 "&cid=" + f.channel);

  auto bc = f.form("chat.postMessage", {{"channel", f.channel}, {"text", "also here"}, {"thread_ts", parent_ts},
                                        {"reply_broadcast", "true"}});
  CHECK(bc["message"]["subtype"] == "thread_broadcast");
  CHECK(l->envelopes().back()["payload"]["event"]["subtype"] == "thread_broadcast");

  const std::string outside = f.h->control("create_channel", {{"name", "outside"}, {"bot_member", false}})["channel"];
  CHECK(f.form("chat.postMessage", {{"channel", outside}, {"text", "x"}})["error"] == "not_in_channel");
  CHECK(f.form("chat.postMessage", {{"channel", "CNOPE"}, {"text", "x"}})["error"] == "channel_not_found");
  CHECK(f.form("chat.postMessage", {{"channel", f.channel}})["error"] == "no_text");

  auto eph = f.form("chat.postEphemeral", {{"channel", f.channel}, {"user", f.user}, {"text", "only you"}});
  CHECK(eph["ok"] == true);
  CHECK(eph.contains("message_ts"));
  auto eph_list = f.h->control("ephemerals", {{"channel", f.channel}, {"user", f.user}})["messages"];
  CHECK(eph_list.back()["text"] == "only you");
  const std::string stranger = f.h->control("create_user", {{"name", "stranger"}})["user"];
  CHECK(f.form("chat.postEphemeral", {{"channel", f.channel}, {"user", stranger}, {"text", "x"}})["error"] == "user_not_in_channel");
}

// ---------------------------------------------------------------- behaviour 15: fan-out and Block Kit

TEST_CASE("a channel @-mention gives app_mention and message - a DM gives message.im only", "[unit][behaviour15]") {
  fixture f;
  auto l = f.connect();
  f.h->control("post_message", {{"user", f.user}, {"channel", f.channel}, {"text", "<@U0BOT0001> how do I build?"}});
  auto envs = l->envelopes();
  REQUIRE(envs.size() == 2);
  json mention = envs[0]["payload"], message = envs[1]["payload"];
  CHECK(mention["event"]["type"] == "app_mention");
  CHECK(message["event"]["type"] == "message");
  CHECK(message["event"]["channel_type"] == "channel");
  CHECK(mention["event_id"] != message["event_id"]);
  CHECK(mention["event"]["ts"] == message["event"]["ts"]);
  CHECK(mention["event"].contains("client_msg_id"));
  CHECK(mention["event"]["blocks"][0]["elements"][0]["elements"][0] == json{{"type", "user"}, {"user_id", "U0BOT0001"}});

  const std::string dm = f.h->control("open_dm", {{"user", f.user}})["channel"];
  f.h->control("post_message", {{"user", f.user}, {"channel", dm}, {"text", "<@U0BOT0001> private question"}});
  envs = l->envelopes();
  REQUIRE(envs.size() == 3);
  CHECK(envs[2]["payload"]["event"]["type"] == "message");
  CHECK(envs[2]["payload"]["event"]["channel_type"] == "im");

  const std::string outside = f.h->control("create_channel", {{"name", "outside"}, {"bot_member", false}})["channel"];
  f.h->control("post_message", {{"user", f.user}, {"channel", outside}, {"text", "<@U0BOT0001> hi"}});
  CHECK(l->envelopes().size() == 3);  // the bot is not in that channel: no events

  auto inv = f.form("chat.postMessage", {{"channel", f.channel}, {"text", "x"},
                                         {"blocks", R"([{"type":"header","text":{"type":"plain_text","text":")" +
                                                        std::string(151, 'h') + R"("}}])"}});
  CHECK(inv["error"] == "invalid_blocks");
  CHECK(inv["response_metadata"]["messages"][0].get<std::string>().find("/blocks/0/text/text") != std::string::npos);
}

// ---------------------------------------------------------------- test control: raw frames

TEST_CASE("send_raw writes any text verbatim to the chosen connection - no envelope, no ack expected", "[unit]") {
  fixture f;
  CHECK(f.h->control("send_raw", {{"text", "x"}})["error"] == "no_connection");  // nothing open yet
  auto a = f.connect(1), b = f.connect(2);
  const auto frames_a = a->raw.size(), frames_b = b->raw.size();  // hello
  // Not JSON at all, exactly as given (why: a client must survive frames it cannot parse).
  auto r = f.h->control("send_raw", {{"text", "{not json"}});
  CHECK(r["ok"] == true);
  CHECK(r["connection"] == 1);
  REQUIRE(a->raw.size() == frames_a + 1);
  CHECK(a->raw.back() == "{not json");
  CHECK(b->raw.size() == frames_b);
  // index picks the connection in attach order (why: multi-connection clients route per socket).
  CHECK(f.h->control("send_raw", {{"text", R"({"type":"surprise"})"}, {"index", 1}})["connection"] == 2);
  CHECK(b->raw.back() == R"({"type":"surprise"})");
  CHECK(f.h->control("send_raw", {{"text", "x"}, {"index", 2}})["error"] == "no_such_connection");
  CHECK(f.h->control("send_raw", json::object())["error"] == "missing_text");
  CHECK(f.h->control("send_raw", {{"text", 7}})["error"] == "missing_text");
  // A raw frame shaped like an envelope is not tracked: no ack timeout, no redelivery.
  f.h->control("send_raw", {{"text", R"({"type":"events_api","envelope_id":"raw-1","payload":{}})"}});
  f.ioc.run_for(50ms);
  const auto st = f.h->stats();
  CHECK(st.raw_frames_sent == 3);
  CHECK(st.envelopes_sent == 0);
  CHECK(f.h->control("envelopes", json::object())["envelopes"].empty());
}
