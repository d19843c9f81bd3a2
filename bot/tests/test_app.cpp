// App layer: config validation, result selection, and the handlers driven with a fake WebApi and fake search.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <mutex>
#include <sstream>

#include "bot/app/bot.hpp"
#include "bot/app/config.hpp"
#include "bot/app/docs.hpp"
#include "bot/app/escalation.hpp"
#include "bot/app/state.hpp"

using namespace docbot::bot;
using namespace docbot;
using nlohmann::json;

namespace {

/// Runs SQL on a database file directly (to write one as an older docbot version left it).
bool sqlite_exec(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
            sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

constexpr const char* kMinimal = "index: /tmp/idx\nescalation:\n  users: [U0ONCALL1]\n";

class FakeApi : public WebApi {
 public:
  struct Call {
    std::string method;  // "response_url" for post_url
    json body;
  };
  ApiResult call(const std::string& method, const json& args) override {
    std::lock_guard lock(mu);
    calls.push_back({method, args});
    return {200, true, "", json{{"ok", true}, {"ts", "9.9"}}, -1};
  }
  ApiResult post_url(const std::string& url, const json& body) override {
    std::lock_guard lock(mu);
    calls.push_back({"response_url", body});
    last_url = url;
    return {200, true, "", nullptr, -1};
  }
  std::vector<Call> of(const std::string& method) {
    std::vector<Call> out;
    for (auto& c : calls)
      if (c.method == method) out.push_back(c);
    return out;
  }
  std::mutex mu;
  std::vector<Call> calls;
  std::string last_url;
};

search::Result result(std::string doc, std::string type, double score, std::string title = "T") {
  search::Result r;
  r.doc = std::move(doc);
  r.type = std::move(type);
  r.score = score;
  r.title = std::move(title);
  r.url = "https://docs.example.com/" + r.doc;
  r.snippet = "some **match**";
  return r;
}

class FakeDocs : public DocSearch {
 public:
  search::Response search(const std::string& q) override {
    search::Response r;
    r.query = q;
    // Search detects the language; here any non-ASCII byte stands for Japanese.
    r.lang = std::any_of(q.begin(), q.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })
                 ? "ja"
                 : "en";
    if (q.find("unknown") != std::string::npos || q.find("不明") != std::string::npos)
      return r;  // not confident, no results
    r.confident = true;
    r.symptom = true;
    r.results = {result("ref/pods", "reference", 9), result("howto/debug", "how-to", 8),
                 result("exp/sched", "explanation", 7)};
    return r;
  }
  IndexHealth health() override { return health_; }
  IndexHealth health_{true, true, 3, "3 documents", 1.5, 0};
};

struct Harness {
  Config cfg;
  FakeDocs docs;
  FakeApi api;
  std::unique_ptr<StateStore> state;
  std::ostringstream logs;
  Log log{logs, Log::Level::debug};
  Metrics metrics;
  ManualClock clock;
  std::unique_ptr<SlackEscalator> esc;
  std::unique_ptr<Bot> bot;
  Harness() {
    cfg = *parse_config(
        "index: /tmp/idx\nslack:\n  inquiry_channels: [C0INQ]\nescalation:\n  users: [U0ONCALL1]\n  "
        "usergroup: S0PLAT\n",
        nullptr);
    std::string err;
    state = StateStore::open(":memory:", &err);
    esc = std::make_unique<SlackEscalator>(api, log, cfg.escalation_users, cfg.escalation_usergroup);
    bot = std::make_unique<Bot>(cfg, docs, api, *state, *esc, clock, log, metrics);
    bot->set_identity("U0BOT", "B0BOT");
  }
  protocol::MessageEvent msg(std::string type, std::string channel, std::string ts, std::string text,
                             std::string thread_ts = "", std::string user = "U0HUMAN") {
    protocol::MessageEvent m;
    m.event_id = "Ev" + std::to_string(++next_event);
    m.type = std::move(type);
    m.channel = std::move(channel);
    m.channel_type = "channel";
    m.ts = std::move(ts);
    m.text = std::move(text);
    m.thread_ts = std::move(thread_ts);
    m.user = std::move(user);
    return m;
  }
  int next_event = 0;
};

}  // namespace

TEST_CASE("config: a valid file loads with defaults", "[unit][config]") {
  std::string err;
  auto c = parse_config(kMinimal, &err);
  REQUIRE(c);
  CHECK(c->index == "/tmp/idx");
  CHECK(c->max_results == 3);
  CHECK(c->follow_up == FollowUp::mention_only);
  auto ex = load_config(std::string(DOCBOT_BOT_FIXTURES) + "/../../../config/docbot.example.yaml", &err);
  INFO(err);
  CHECK(ex);  // the example config in the repo stays valid
}

TEST_CASE("config: errors are one line naming the key", "[unit][config]") {
  struct Case {
    const char* why;
    std::string yaml;
    std::string expect;
  };
  const std::string idx = "index: /i\n";
  const std::string esc = "escalation:\n  users: [U0A]\n";
  const Case cases[] = {
      {"index is required", esc, "config: index: is required"},
      {"typo in a key", idx + esc + "slak: {}\n", "config: slak: unknown key"},
      {"tokens never in the file", idx + esc + "slack:\n  bot_token: xoxb-1\n",
       "config: slack.bot_token: tokens are not read"},
      {"bad user id", idx + "escalation:\n  users: [U0A, bob]\n",
       "config: escalation.users[1]: 'bob' is not a Slack user id"},
      {"nobody to escalate to", idx, "config: escalation: needs users and/or usergroup"},
      {"bad group", idx + "escalation:\n  usergroup: U1\n",
       "config: escalation.usergroup: 'U1' is not a Slack user group id"},
      {"max results range", idx + esc + "reply:\n  max_results: 9\n",
       "config: reply.max_results: 9 is out of range"},
      {"language", idx + esc + "reply:\n  language: fr\n", "config: reply.language: 'fr' must be en or ja"},
      {"listen address", idx + esc + "http:\n  listen: nowhere\n",
       "config: http.listen: 'nowhere' must be HOST:PORT"},
      {"follow-up mode", idx + esc + "slack:\n  follow_up: sometimes\n",
       "config: slack.follow_up: 'sometimes' must be"},
      {"channel ids", idx + esc + "slack:\n  inquiry_channels: ['#help']\n",
       "config: slack.inquiry_channels[0]: '#help' is not"},
      {"base url scheme", idx + esc + "sources:\n  - name: k8s\n    base_url: ftp://x\n",
       "config: sources[0].base_url: 'ftp://x' must start"},
      {"url style", idx + esc + "sources:\n  - name: k8s\n    url_style: jekyll\n",
       "config: sources[0].url_style: 'jekyll' must be"},
      {"not a number", idx + esc + "tuning:\n  workers: many\n",
       "config: tuning.workers: 'many' is not a whole number"},
      {"watchdog vs ping", idx + esc + "tuning:\n  ping_interval_ms: 1000\n  pong_timeout_ms: 500\n",
       "config: tuning.pong_timeout_ms: must be longer"},
      {"YAML syntax", "index: [unclosed\n", "config: invalid YAML at line"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    std::string err;
    CHECK_FALSE(parse_config(c.yaml, &err));
    CHECK_THAT(err, Catch::StartsWith(c.expect));
    CHECK(err.find('\n') == std::string::npos);
  }
  std::string err;
  CHECK_FALSE(load_config("/nonexistent/docbot.yaml", &err));
  CHECK_THAT(err, Catch::Contains("cannot read"));
}

TEST_CASE("select_hits: one per page, ordered by what the intent suggests", "[unit][app]") {
  search::Response r;
  r.results = {result("a", "reference", 9), result("a", "how-to", 8.5),    result("b", "explanation", 8),
               result("c", "how-to", 7),    result("d", "explanation", 6), result("e", "tutorial", 5)};
  SECTION("symptom: how-to first, then reference, then one explanation") {
    r.symptom = true;
    auto h = select_hits(r, 4);
    REQUIRE(h.size() == 4);
    CHECK(h[0].type == "how-to");
    CHECK(h[1].type == "reference");
    CHECK(h[2].type == "explanation");
    CHECK(h[3].type == "tutorial");  // only one explanation for a symptom
  }
  SECTION("reference intent puts reference first") {
    r.intent = search::Intent::reference;
    CHECK(select_hits(r, 3)[0].type == "reference");
  }
  SECTION("no intent keeps score order, one per page") {
    auto h = select_hits(r, 5);
    REQUIRE(h.size() == 5);
    CHECK(h[0].url == "https://docs.example.com/a");
    CHECK(h[1].url == "https://docs.example.com/b");
  }
  SECTION("never more than 5") {
    for (int i = 0; i < 20; ++i) r.results.push_back(result("p" + std::to_string(i), "how-to", 1));
    CHECK(select_hits(r, 99).size() == 5);
  }
}

TEST_CASE("mention → threaded answer, the duplicate message event → nothing", "[unit][app]") {
  Harness h;
  auto mention = h.msg("app_mention", "C0GEN", "100.1", "<@U0BOT> pod stuck pending");
  h.bot->handle(mention);
  auto as_message = h.msg("message", "C0GEN", "100.1", "<@U0BOT> pod stuck pending");
  h.bot->handle(as_message);  // not an inquiry channel: ignored anyway
  h.bot->handle(mention);     // redelivery with the same event_id
  auto posts = h.api.of("chat.postMessage");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].body["channel"] == "C0GEN");
  CHECK(posts[0].body["thread_ts"] == "100.1");
  CHECK(posts[0].body["blocks"][1]["text"]["text"].get<std::string>().find("How-to") != std::string::npos);
  CHECK(h.metrics.duplicates == 1);
}

TEST_CASE("inquiry channel: top-level auto-reply, mention+message deduped by channel+ts", "[unit][app]") {
  Harness h;
  h.bot->handle(h.msg("message", "C0INQ", "200.1", "<@U0BOT> pod pending"));
  h.bot->handle(
      h.msg("app_mention", "C0INQ", "200.1", "<@U0BOT> pod pending"));  // same message, other event_id
  CHECK(h.api.of("chat.postMessage").size() == 1);
  h.bot->handle(
      h.msg("message", "C0INQ", "200.2", "thanks, trying that", "200.1"));  // thread reply: no butting in
  h.bot->handle(h.msg("message", "C0OTHER", "300.1", "pod pending"));       // not an inquiry channel
  CHECK(h.api.of("chat.postMessage").size() == 1);
}

TEST_CASE("inquiry channel follow_up: all answers thread replies", "[unit][app]") {
  Harness h;
  h.cfg.follow_up = FollowUp::all;
  h.bot->handle(h.msg("message", "C0INQ", "200.2", "and what about pending?", "200.1"));
  auto posts = h.api.of("chat.postMessage");
  REQUIRE(posts.size() == 1);
  CHECK(posts[0].body["thread_ts"] == "200.1");
}

TEST_CASE("never answers itself, bots, edits or joins", "[unit][app]") {
  Harness h;
  struct Case {
    const char* why;
    protocol::MessageEvent m;
  };
  auto own = h.msg("message", "C0INQ", "1.1", "my own answer", "", "U0BOT");
  auto bot = h.msg("message", "C0INQ", "1.2", "another bot", "", "U0OTHERBOT");
  bot.bot_id = "B0OTHER";
  auto own_bot_id = h.msg("message", "C0INQ", "1.3", "x", "", "");
  own_bot_id.bot_id = "B0BOT";
  auto edit = h.msg("message", "C0INQ", "1.4", "edited");
  edit.subtype = "message_changed";
  auto join = h.msg("message", "C0INQ", "1.5", "<@U0HUMAN> has joined");
  join.subtype = "channel_join";
  auto bot_mention = h.msg("app_mention", "C0GEN", "1.6", "<@U0BOT> hi from a bot", "", "U0OTHERBOT");
  bot_mention.bot_id = "B0OTHER";
  for (const auto& m : {own, bot, own_bot_id, edit, join, bot_mention}) h.bot->handle(m);
  CHECK(h.api.calls.empty());
}

TEST_CASE("not confident → one line, then escalation with mentions and digest", "[unit][app]") {
  Harness h;
  h.bot->handle(h.msg("app_mention", "C0GEN", "5.1", "<@U0BOT> unknown thing <!channel>"));
  auto posts = h.api.of("chat.postMessage");
  REQUIRE(posts.size() == 2);
  CHECK_THAT(posts[0].body["text"].get<std::string>(), Catch::Contains("couldn't find a confident answer"));
  const std::string esc = posts[1].body["text"];
  CHECK_THAT(esc, Catch::Contains("<@U0ONCALL1>"));
  CHECK_THAT(esc, Catch::Contains("<!subteam^S0PLAT>"));
  CHECK_THAT(esc, Catch::Contains("&lt;!channel&gt;"));
  CHECK(esc.find("<!channel>") == std::string::npos);
  CHECK(posts[1].body["thread_ts"] == "5.1");
  CHECK(h.metrics.escalations == 1);
}

TEST_CASE("/docs: help, ephemeral answer with Share, share posts in channel", "[unit][app]") {
  Harness h;
  protocol::SlashCommand c{"/docs", "help", "U0HUMAN", "me", "C0GEN", "https://hooks/1", "t"};
  h.bot->handle(c);
  REQUIRE(h.api.of("response_url").size() == 1);
  CHECK_THAT(h.api.of("response_url")[0].body["text"].get<std::string>(), Catch::Contains("Usage: /docs"));
  c.text = "pod pending";
  h.bot->handle(c);
  auto r = h.api.of("response_url");
  REQUIRE(r.size() == 2);
  CHECK(r[1].body["response_type"] == "ephemeral");
  const auto& actions = r[1].body["blocks"].back()["elements"];
  CHECK(actions[0]["action_id"] == "docbot_share");
  const std::string answer_id = actions[0]["value"];
  protocol::BlockAction share{"U0HUMAN",         "C0GEN", "7.7",          "",       true,
                              "https://hooks/2", "t",     "docbot_share", answer_id};
  h.bot->handle(share);
  r = h.api.of("response_url");
  REQUIRE(r.size() == 3);
  CHECK(r[2].body["response_type"] == "in_channel");
  CHECK_THAT(r[2].body["blocks"][0]["text"]["text"].get<std::string>(), Catch::Contains("<@U0HUMAN> shared"));
}

TEST_CASE("buttons: Solved reacts and thanks, Not helpful asks why, reason recorded, human escalates once",
          "[unit][app]") {
  Harness h;
  h.bot->handle(h.msg("app_mention", "C0GEN", "8.1", "<@U0BOT> pod pending"));
  const std::string id = h.api.of("chat.postMessage")[0].body["blocks"].back()["elements"][0]["value"];
  auto click = [&](const char* action) {
    h.bot->handle(
        protocol::BlockAction{"U0HUMAN", "C0GEN", "9.9", "8.1", false, "https://hooks/x", "t", action, id});
  };
  click("docbot_solved");
  auto reactions = h.api.of("reactions.add");
  REQUIRE(reactions.size() == 1);
  CHECK(reactions[0].body["timestamp"] == "8.1");
  CHECK(reactions[0].body["name"] == "white_check_mark");
  click("docbot_not_helpful");
  auto posts = h.api.of("chat.postMessage");
  CHECK(posts.back().body["blocks"][1]["elements"].size() == 4);
  click("docbot_reason_outdated");
  click("docbot_human");
  click("docbot_human");  // a second click does not ping on-call twice
  posts = h.api.of("chat.postMessage");
  int escalations = 0;
  for (auto& p : posts)
    if (p.body["text"].get<std::string>().find("<@U0ONCALL1>") != std::string::npos) {
      ++escalations;
      CHECK_THAT(p.body["text"].get<std::string>(), Catch::Contains("Why: outdated"));
      CHECK_THAT(p.body["text"].get<std::string>(), Catch::Contains("didn't help"));
      CHECK(p.body["thread_ts"] == "8.1");
    }
  CHECK(escalations == 1);
  CHECK(h.state->count("feedback") >= 4);
}

TEST_CASE("unknown answer id in a button → polite note, no crash", "[unit][app]") {
  Harness h;
  h.bot->handle(protocol::BlockAction{"U0HUMAN", "C0GEN", "9.9", "", true, "https://hooks/x", "t",
                                      "docbot_solved", "nope"});
  REQUIRE(h.api.of("response_url").size() == 1);
  CHECK_THAT(h.api.of("response_url")[0].body["text"].get<std::string>(), Catch::Contains("expired"));
}

TEST_CASE("StateStore persists answers and feedback", "[unit][app]") {
  std::string err;
  auto s = StateStore::open(":memory:", &err);
  REQUIRE(s);
  AnswerRecord a;
  a.surface = "thread";
  a.channel = "C1";
  a.question = "q";
  a.hits = json::array({{{"title", "T"}}});
  const auto id = s->add_answer(a);
  auto back = s->answer(id);
  REQUIRE(back);
  CHECK(back->hits[0]["title"] == "T");
  s->add_feedback(id, "U1", "not_helpful", "");
  s->add_feedback(id, "U1", "reason", "outdated");
  CHECK(s->feedback_lines(id) == std::vector<std::string>{"Not helpful", "Why: outdated"});
  CHECK(s->mark_escalated(id, "asked"));
  CHECK_FALSE(s->mark_escalated(id, "asked"));
  CHECK_FALSE(StateStore::open("/nonexistent/dir/x.db", &err));
}

// ---------------------------------------------------------------- Japanese replies

TEST_CASE("Japanese question → every bot-authored string of the flow is Japanese", "[unit][app]") {
  Harness h;
  h.bot->handle(h.msg("app_mention", "C0GEN", "8.1", "<@U0BOT> Pod が Pending のまま"));
  auto posts = h.api.of("chat.postMessage");
  REQUIRE(posts.size() == 1);
  CHECK_THAT(posts[0].body["text"].get<std::string>(),
             Catch::StartsWith("「Pod が Pending のまま」に関する"));
  CHECK(posts[0].body["blocks"].back()["elements"][0]["text"]["text"] == "解決した");
  const std::string id = posts[0].body["blocks"].back()["elements"][0]["value"];
  auto click = [&](const char* action) {
    h.bot->handle(
        protocol::BlockAction{"U0HUMAN", "C0GEN", "9.9", "8.1", false, "https://hooks/x", "t", action, id});
  };
  // Follow-ups keep the answer's language (stored with it), whatever the button's own text.
  click("docbot_not_helpful");
  click("docbot_reason_outdated");
  click("docbot_human");
  click("docbot_solved");
  posts = h.api.of("chat.postMessage");
  REQUIRE(posts.size() == 5);
  CHECK(posts[1].body["text"] == "お役に立てずすみません。どこが問題でしたか?");
  CHECK_THAT(posts[2].body["text"].get<std::string>(), Catch::Contains("(情報が古い)"));
  const std::string esc = posts[3].body["text"];
  CHECK_THAT(esc, Catch::Contains("<@U0ONCALL1>"));
  CHECK_THAT(esc, Catch::Contains("提示したページでは解決しませんでした。"));
  CHECK_THAT(esc, Catch::Contains("質問者のコメント: 役に立たなかった; 理由: 情報が古い"));
  CHECK_THAT(posts[4].body["text"].get<std::string>(), Catch::StartsWith("解決してよかったです"));
  for (const auto& p : posts) {
    const std::string all = p.body.dump();
    for (const char* english : {"Solved", "Not helpful", "Talk to a human", "Why:", "Question:", "Thanks"})
      CHECK(all.find(english) == std::string::npos);
  }
}

TEST_CASE("Japanese: not confident → one Japanese line + Japanese digest, /docs offers a human privately",
          "[unit][app]") {
  Harness h;
  h.bot->handle(h.msg("app_mention", "C0GEN", "8.2", "<@U0BOT> 不明なエラー"));
  auto posts = h.api.of("chat.postMessage");
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].body["text"] ==
        "「不明なエラー」について、ドキュメントに確かな回答が見つかりませんでした。");
  CHECK_THAT(posts[1].body["text"].get<std::string>(),
             Catch::Contains("ドキュメントに該当する内容がありません"));
  CHECK_THAT(posts[1].body["text"].get<std::string>(), Catch::Contains("ボットの提案: 確かな候補なし"));
  h.bot->handle(
      protocol::SlashCommand{"/docs", "不明なこと", "U0HUMAN", "ann", "C0GEN", "https://hooks/1", "t"});
  auto r = h.api.of("response_url");
  REQUIRE(r.size() == 1);
  CHECK(r[0].body["response_type"] == "ephemeral");
  CHECK(r[0].body["blocks"][1]["elements"][0]["text"]["text"] == "担当者に相談");
}

TEST_CASE("reply.language: ja → Japanese for English questions, help and notes too", "[unit][app]") {
  struct Case {
    const char* why;
    const char* language;
    const char* help_arg;
    const char* expect_help;
  };
  const Case cases[] = {
      {"default en: /docs help is English", "en", "help", "Usage: /docs"},
      {"default ja: /docs help is Japanese", "ja", "help", "使い方: /docs"},
      {"'/docs ヘルプ' asks in Japanese, so the help is Japanese", "en", "ヘルプ", "使い方: /docs"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    Harness h;
    h.cfg.language = c.language;
    h.bot = std::make_unique<Bot>(h.cfg, h.docs, h.api, *h.state, *h.esc, h.clock, h.log, h.metrics);
    h.bot->set_identity("U0BOT", "B0BOT");
    h.bot->handle(
        protocol::SlashCommand{"/docs", c.help_arg, "U0HUMAN", "ann", "C0GEN", "https://hooks/1", "t"});
    REQUIRE(h.api.of("response_url").size() == 1);
    CHECK_THAT(h.api.of("response_url")[0].body["text"].get<std::string>(), Catch::StartsWith(c.expect_help));
  }
  Harness h;
  h.cfg.language = "ja";
  h.bot = std::make_unique<Bot>(h.cfg, h.docs, h.api, *h.state, *h.esc, h.clock, h.log, h.metrics);
  h.bot->set_identity("U0BOT", "B0BOT");
  h.bot->handle(h.msg("app_mention", "C0GEN", "8.3", "<@U0BOT> pod pending"));
  h.bot->handle(h.msg("app_mention", "C0GEN", "8.4", "<@U0BOT>"));
  auto posts = h.api.of("chat.postMessage");
  REQUIRE(posts.size() == 2);
  CHECK_THAT(posts[0].body["text"].get<std::string>(), Catch::StartsWith("「pod pending」に関する"));
  CHECK_THAT(posts[1].body["text"].get<std::string>(),
             Catch::StartsWith("プラットフォームのドキュメントについて"));
  h.bot->handle(protocol::BlockAction{"U0HUMAN", "C0GEN", "9.9", "", true, "https://hooks/x", "t",
                                      "docbot_solved", "nope"});
  CHECK_THAT(h.api.of("response_url").back().body["text"].get<std::string>(), Catch::Contains("有効期限"));
}

TEST_CASE("StateStore keeps each answer's language and upgrades a database from before it", "[unit][app]") {
  std::string err;
  auto s = StateStore::open(":memory:", &err);
  REQUIRE(s);
  AnswerRecord a;
  a.question = "質問";
  a.lang = protocol::Lang::ja;
  const auto id = s->add_answer(a);
  CHECK(s->answer(id)->lang == protocol::Lang::ja);
  s->add_feedback(id, "U1", "reason", protocol::reason::incomplete);
  CHECK(s->feedback_lines(id, protocol::Lang::ja) ==
        std::vector<std::string>{"理由: 内容は合っているが解決しない"});
  CHECK(s->has_feedback(id, "reason"));
  CHECK_FALSE(s->has_feedback(id, "solved"));

  // A file written by the previous version (no lang column) opens, and its answers read as English.
  const std::string path = "/tmp/docbot-state-migrate-" + std::to_string(::getpid()) + ".sqlite3";
  std::remove(path.c_str());
  REQUIRE(sqlite_exec(path,
                      "CREATE TABLE answers (id TEXT PRIMARY KEY, surface TEXT, channel TEXT, "
                      "thread_ts TEXT, question_ts TEXT, user TEXT, question TEXT, hits TEXT, "
                      "confident INTEGER, created INTEGER);"
                      "INSERT INTO answers VALUES ('aold','thread','C1','1.1','1.1','U1','q','[]',1,0);"));
  auto old = StateStore::open(path, &err);
  INFO(err);
  REQUIRE(old);
  REQUIRE(old->answer("aold"));
  CHECK(old->answer("aold")->lang == protocol::Lang::en);
  AnswerRecord b;
  b.lang = protocol::Lang::ja;
  CHECK(old->answer(old->add_answer(b))->lang == protocol::Lang::ja);
  old.reset();
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
}

// ---------------------------------------------------------------- /healthz

TEST_CASE("health_report: 200 only with the socket up and a usable index, JSON says which part is down",
          "[unit][app]") {
  const IndexHealth good{true, true, 42, "42 documents", 12.3456, 2};
  const IndexHealth unusable{true, false, 0, "index schema '2', this docbot reads 3", 5, 0};
  const IndexHealth closed{false, false, 0, "no index open", -1, 0};
  struct Case {
    const char* why;
    bool socket;
    IndexHealth index;
    int status;
    const char* index_status;
  };
  const Case cases[] = {
      {"all good", true, good, 200, "open"},
      {"socket down: Slack cannot reach us", false, good, 503, "open"},
      {"index unusable: every answer would fail", true, unusable, 503, "unusable"},
      {"no index at all", true, closed, 503, "closed"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    const auto r = health_report(c.socket, c.index);
    CHECK(r.status == c.status);
    CHECK(r.body["ok"] == (c.status == 200));
    CHECK(r.body["socket"] == (c.socket ? "connected" : "disconnected"));
    CHECK(r.body["index"]["status"] == c.index_status);
    CHECK(r.body["index"]["detail"] == c.index.detail);
  }
  const auto r = health_report(true, good);
  CHECK(r.body["index"]["documents"] == 42);
  CHECK(r.body["index"]["reopens"] == 2);
  CHECK(r.body["index"]["seconds_since_reopen"] == 12.346);
  CHECK(health_report(true, closed).body["index"]["seconds_since_reopen"].is_null());
}
