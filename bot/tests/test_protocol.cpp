// Protocol layer: frames → typed events, acks, mrkdwn safety, Block Kit built within Slack's limits.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "bot/protocol/answer.hpp"
#include "bot/protocol/events.hpp"
#include "bot/protocol/mrkdwn.hpp"
#include "bot/protocol/texts.hpp"
#include "golden.hpp"

using namespace docbot::bot::protocol;
using nlohmann::json;

namespace {

/// Every Block Kit limit the bot must respect (PROTOCOL §6.2), checked independently of the builder.
void check_limits(const Message& m) {
  REQUIRE(m.blocks.is_array());
  CHECK(m.blocks.size() <= 50);
  CHECK(!m.text.empty());
  CHECK(char_count(m.text) <= 4000);
  for (const auto& b : m.blocks) {
    const std::string type = b["type"];
    if (b.contains("block_id")) CHECK(char_count(b["block_id"].get<std::string>()) <= 255);
    if (type == "section") {
      const auto n = char_count(b["text"]["text"].get<std::string>());
      CHECK(n >= 1);
      CHECK(n <= 3000);
    } else if (type == "context") {
      CHECK(b["elements"].size() <= 10);
      for (const auto& e : b["elements"]) CHECK(char_count(e["text"].get<std::string>()) <= 3000);
    } else if (type == "actions") {
      CHECK(b["elements"].size() <= 25);
      std::set<std::string> ids;
      for (const auto& e : b["elements"]) {
        CHECK(char_count(e["text"]["text"].get<std::string>()) <= 75);
        CHECK(char_count(e["value"].get<std::string>()) <= 2000);
        CHECK(ids.insert(e["action_id"].get<std::string>()).second);
      }
    }
  }
}

bool valid_utf8(const std::string& s) {
  return !json(s).dump(-1, ' ', false, json::error_handler_t::replace).empty() &&
         json::parse(json(s).dump(-1, ' ', false, json::error_handler_t::strict), nullptr, false).is_string();
}

std::vector<Hit> sample_hits() {
  return {
      {"Debug Pods", "Debug Pods › My pod stays pending", "how-to",
       "https://docs.example.com/tasks/debug/debug-pods/#my-pod-stays-pending",
       "If a Pod is stuck in **Pending** it means that it can not be scheduled onto a node."},
      {"Pod Lifecycle", "Pod Lifecycle › Pod phase", "reference",
       "https://docs.example.com/concepts/pod-lifecycle/#pod-phase",
       "**Pending**: The Pod has been accepted by the cluster, but one or more of the containers has not "
       "been set up."},
      {"Scheduling", "", "explanation", "https://docs.example.com/concepts/scheduling/",
       "The scheduler <decides> where & why."},
  };
}

}  // namespace

TEST_CASE("parse_frame classifies every kind of frame", "[unit][protocol]") {
  struct Case {
    const char* why;
    std::string text;
    FrameKind kind;
  };
  const Case cases[] = {
      {"hello is the first frame",
       R"({"type":"hello","num_connections":1,"debug_info":{"approximate_connection_time":18060}})",
       FrameKind::hello},
      {"disconnect carries a reason", R"({"type":"disconnect","reason":"refresh_requested"})",
       FrameKind::disconnect},
      {"events_api with id and payload",
       R"({"type":"events_api","envelope_id":"e1","payload":{},"retry_attempt":2,"retry_reason":"timeout"})",
       FrameKind::envelope},
      {"slash_commands", R"({"type":"slash_commands","envelope_id":"e2","payload":{"command":"/docs"}})",
       FrameKind::envelope},
      {"interactive", R"({"type":"interactive","envelope_id":"e3","payload":{"type":"block_actions"}})",
       FrameKind::envelope},
      {"unknown type is not an envelope", R"({"type":"brand_new_thing","envelope_id":"e4","payload":{}})",
       FrameKind::unknown},
      {"envelope without payload", R"({"type":"events_api","envelope_id":"e5"})", FrameKind::unknown},
      {"payload of the wrong type", R"({"type":"events_api","envelope_id":"e6","payload":"x"})",
       FrameKind::unknown},
      {"not JSON", "{not json", FrameKind::malformed},
      {"JSON but not an object", "[1,2,3]", FrameKind::malformed},
      {"empty frame", "", FrameKind::malformed},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    CHECK(parse_frame(c.text).kind == c.kind);
  }
  auto f = parse_frame(
      R"({"type":"events_api","envelope_id":"e1","payload":{},"retry_attempt":2,"retry_reason":"timeout"})");
  CHECK(f.retry_attempt == 2);
  CHECK(f.retry_reason == "timeout");
  CHECK(parse_frame(R"({"type":"hello","debug_info":{"approximate_connection_time":360}})")
            .approximate_connection_time == 360);
  CHECK(parse_frame(R"({"type":"disconnect","reason":"warning"})").disconnect_reason == "warning");
}

TEST_CASE("parse_frame rejects huge frames without parsing them", "[unit][protocol]") {
  std::string big =
      R"({"type":"events_api","envelope_id":"e","payload":{"x":")" + std::string(2 << 20, 'a') + "\"}}";
  auto f = parse_frame(big);
  CHECK(f.kind == FrameKind::malformed);
  CHECK_THAT(f.error, Catch::Contains("exceeds"));
}

TEST_CASE("build_ack: envelope_id, payload only when given", "[unit][protocol]") {
  CHECK(json::parse(build_ack("abc")) == json{{"envelope_id", "abc"}});
  CHECK(json::parse(build_ack("abc", json::object())) ==
        json{{"envelope_id", "abc"}, {"payload", json::object()}});
}

TEST_CASE("to_event: app_mention, message, slash command, block_actions", "[unit][protocol]") {
  const std::string mention =
      R"({"envelope_id":"env1","type":"events_api","accepts_response_payload":false,"retry_attempt":0,"retry_reason":"",
    "payload":{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","user":"U0HUMAN01","text":"<@U0BOT0001> pod pending",
    "ts":"1610241741.000200","channel":"C0CHAN001","event_ts":"1610241741.000200"}}})";
  auto ev = to_event(parse_frame(mention));
  auto* m = std::get_if<MessageEvent>(&ev);
  REQUIRE(m);
  CHECK(m->type == "app_mention");
  CHECK(m->event_id == "Ev1");
  CHECK(m->channel == "C0CHAN001");
  CHECK(m->thread_ts.empty());

  const std::string bot_msg =
      R"({"envelope_id":"env2","type":"events_api","payload":{"type":"event_callback","event_id":"Ev2",
    "event":{"type":"message","user":"U0BOT0001","bot_id":"B0BOT0001","text":"hi","ts":"1.2","channel":"C1","thread_ts":"1.1"}}})";
  ev = to_event(parse_frame(bot_msg));
  m = std::get_if<MessageEvent>(&ev);
  REQUIRE(m);
  CHECK(m->bot_id == "B0BOT0001");
  CHECK(m->thread_ts == "1.1");

  const std::string slash =
      R"({"envelope_id":"env3","type":"slash_commands","accepts_response_payload":true,"payload":{"command":"/docs",
    "text":"pod pending","user_id":"U1","channel_id":"C1","response_url":"https://h/x","trigger_id":"t"}})";
  ev = to_event(parse_frame(slash));
  auto* s = std::get_if<SlashCommand>(&ev);
  REQUIRE(s);
  CHECK(s->text == "pod pending");
  CHECK(s->response_url == "https://h/x");

  const std::string click =
      R"({"envelope_id":"env4","type":"interactive","payload":{"type":"block_actions","user":{"id":"U1"},
    "container":{"type":"message","message_ts":"5.5","channel_id":"C1","is_ephemeral":true,"thread_ts":"4.4"},
    "response_url":"https://h/y","actions":[{"type":"button","action_id":"docbot_solved","value":"a1"}]}})";
  ev = to_event(parse_frame(click));
  auto* a = std::get_if<BlockAction>(&ev);
  REQUIRE(a);
  CHECK(a->action_id == "docbot_solved");
  CHECK(a->value == "a1");
  CHECK(a->is_ephemeral);
  CHECK(a->thread_ts == "4.4");

  struct Bad {
    const char* why;
    std::string text;
    bool malformed;  // broken envelope (warn + count) rather than a valid event we do not act on
  };
  const Bad bad[] = {
      {"other event types are ignored",
       R"({"type":"events_api","envelope_id":"x","payload":{"type":"event_callback","event_id":"E","event":{"type":"reaction_added"}}})",
       false},
      {"event_id missing",
       R"({"type":"events_api","envelope_id":"x","payload":{"type":"event_callback","event":{"type":"message","channel":"C","ts":"1"}}})",
       true},
      {"fields of the wrong type",
       R"({"type":"events_api","envelope_id":"x","payload":{"type":"event_callback","event_id":5,"event":{"type":"message","channel":7,"ts":1}}})",
       true},
      {"event is a string, not an object",
       R"({"type":"events_api","envelope_id":"x","payload":{"type":"event_callback","event_id":"E","event":"garbage"}})",
       true},
      {"event without a type",
       R"({"type":"events_api","envelope_id":"x","payload":{"type":"event_callback","event":{}}})", true},
      {"payload without a type",
       R"({"type":"events_api","envelope_id":"x","payload":{"event":{"type":"message"}}})", true},
      {"url_verification is not an event_callback",
       R"({"type":"events_api","envelope_id":"x","payload":{"type":"url_verification"}})", false},
      {"block_actions without actions",
       R"({"type":"interactive","envelope_id":"x","payload":{"type":"block_actions","user":{"id":"U"}}})",
       true},
      {"view_submission is not handled",
       R"({"type":"interactive","envelope_id":"x","payload":{"type":"view_submission"}})", false},
      {"slash command without user",
       R"({"type":"slash_commands","envelope_id":"x","payload":{"command":"/docs"}})", true},
  };
  for (const auto& b : bad) {
    INFO(b.why);
    const auto ev = to_event(parse_frame(b.text));
    REQUIRE(std::holds_alternative<IgnoredEvent>(ev));
    CHECK(std::get<IgnoredEvent>(ev).malformed == b.malformed);
  }
}

TEST_CASE("escape: only & < > and & first", "[unit][protocol]") {
  CHECK(escape("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;");
  CHECK(escape("a&amp;b") == "a&amp;amp;b");  // already-encoded text is encoded again: it is echoed literally
  CHECK(escape("\"quotes\" 'stay'") == "\"quotes\" 'stay'");
  CHECK(unescape("&lt;b&gt; &amp;amp;") == "<b> &amp;");
}

TEST_CASE("truncation is UTF-8 safe and counts characters", "[unit][protocol]") {
  const std::string ja = "ポッドが起動しません";  // 10 characters, 30 bytes
  CHECK(char_count(ja) == 10);
  CHECK(truncate_chars(ja, 10) == ja);
  CHECK(truncate_chars(ja, 5) == "ポッドが…");
  CHECK(char_count(truncate_chars(ja, 5)) == 5);
  CHECK(valid_utf8(truncate_chars(ja, 4)));
  // Entities are never split by the cut and count with their full length.
  CHECK(escape_truncate("a<b", 3) == "a…");
  CHECK(escape_truncate("a<b", 6) == "a&lt;b");
  CHECK(escape_truncate("a<b", 5) == "a…");
  for (std::size_t n = 0; n < 20; ++n) {
    const auto s = escape_truncate("日本<語>&テキスト", n);
    CHECK(char_count(s) <= n);
    CHECK(valid_utf8(s));
  }
}

TEST_CASE("snippet_to_mrkdwn: **bold** → *bold*, escaped, balanced when cut", "[unit][protocol]") {
  CHECK(snippet_to_mrkdwn("pod is **Pending** now", 100) == "pod is *Pending* now");
  CHECK(snippet_to_mrkdwn("a **<b>** & c", 100) == "a *&lt;b&gt;* &amp; c");
  CHECK(snippet_to_mrkdwn("stray *star* and **bold **", 100) == "stray star and *bold*");
  CHECK(snippet_to_mrkdwn("line1\n\nline2", 100) == "line1 line2");
  for (std::size_t n = 2; n < 30; ++n) {
    const auto s = snippet_to_mrkdwn("x **Pending** **ポッド** y", n);
    CHECK(char_count(s) <= n);
    CHECK(std::count(s.begin(), s.end(), '*') % 2 == 0);
    CHECK(valid_utf8(s));
  }
}

TEST_CASE("question_from_text strips the bot mention only", "[unit][protocol]") {
  CHECK(question_from_text("<@U0BOT> why is my pod &lt;pending&gt;?", "U0BOT") == "why is my pod <pending>?");
  CHECK(question_from_text("<@U0BOT|docbot> hi <@U0BOTX>", "U0BOT") == "hi <@U0BOTX>");
  CHECK(question_from_text("  <@U0BOT>  ", "U0BOT").empty());
}

TEST_CASE("golden: answer in a thread", "[unit][protocol][golden]") {
  Answer a{"why is my pod pending?", "", sample_hits(), "a0001", ""};
  auto m = build_answer(a, Surface::thread);
  check_limits(m);
  check_golden("answer_thread", {{"text", m.text}, {"blocks", m.blocks}});
}

TEST_CASE("golden: /docs ephemeral answer with did-you-mean and share", "[unit][protocol][golden]") {
  Answer a{"pod pnding", "pod pending", sample_hits(), "a0002", ""};
  auto m = build_answer(a, Surface::ephemeral);
  check_limits(m);
  check_golden("answer_ephemeral", {{"text", m.text}, {"blocks", m.blocks}});
  auto shared = build_answer({"pod pending", "", sample_hits(), "a0002", "U0HUMAN01"}, Surface::shared);
  check_limits(shared);
  check_golden("answer_shared", {{"text", shared.text}, {"blocks", shared.blocks}});
}

TEST_CASE("golden: not found, ask reason, help, escalation", "[unit][protocol][golden]") {
  auto nf = build_not_found("how do I frobnicate the <!here> cluster?", "a0003", false);
  check_limits(nf);
  check_golden("not_found_thread", {{"text", nf.text}, {"blocks", nf.blocks}});
  auto nf2 = build_not_found("frobnicate", "a0004", true);
  check_limits(nf2);
  check_golden("not_found_ephemeral", {{"text", nf2.text}, {"blocks", nf2.blocks}});
  auto ar = build_ask_reason("a0005");
  check_limits(ar);
  check_golden("ask_reason", {{"text", ar.text}, {"blocks", ar.blocks}});
  auto h = build_help("/docs");
  check_limits(h);
  check_golden("help", {{"text", h.text}, {"blocks", h.blocks}});
  Digest d{"U0HUMAN01",   "pod pending <!channel>",   sample_hits(), {"Not helpful", "Why: outdated"},
           "not_helpful", {"U0ONCALL1", "U0ONCALL2"}, "S0PLATFORM"};
  auto e = build_escalation(d);
  check_limits(e);
  check_golden("escalation", {{"text", e.text}, {"blocks", e.blocks}});
  // The full request body, as sent to chat.postMessage.
  check_golden("escalation_post_body", post_message_body("C0CHAN001", "1610241741.000200", e));
}

TEST_CASE("user text never pings: <!channel>, <!here>, <@U…> are escaped everywhere", "[unit][protocol]") {
  const std::string evil = "<!channel> <!here> <@U0BOSS> <!subteam^S1> <https://evil|click>";
  Answer a{evil, evil, {{evil, evil, "how-to", "https://ok.example/a", evil}}, "a1", ""};
  for (auto surface : {Surface::thread, Surface::ephemeral}) {
    auto m = build_answer(a, surface);
    const std::string all = json{{"t", m.text}, {"b", m.blocks}}.dump();
    CHECK(all.find("<!channel>") == std::string::npos);
    CHECK(all.find("<!here>") == std::string::npos);
    CHECK(all.find("<@U0BOSS>") == std::string::npos);
    CHECK(all.find("<!subteam") == std::string::npos);
    CHECK(all.find("<https://evil") == std::string::npos);
  }
  Digest d{"U1", evil, {}, {evil}, "asked", {"U0ONCALL1"}, ""};
  const std::string esc = json(build_escalation(d).blocks).dump() + build_escalation(d).text;
  CHECK(esc.find("<!channel>") == std::string::npos);
  CHECK(esc.find("<@U0BOSS>") == std::string::npos);
  CHECK(esc.find("<@U0ONCALL1>") != std::string::npos);  // the configured people are pinged
}

TEST_CASE("limits hold by construction for hostile sizes", "[unit][protocol]") {
  const std::string huge(100000, 'x');
  const std::string huge_ja = [] {
    std::string s;
    for (int i = 0; i < 20000; ++i) s += "起";
    return s;
  }();
  const std::string amps(20000, '&');
  std::vector<Hit> hits;
  for (int i = 0; i < 40; ++i)
    hits.push_back({huge_ja, amps, "how-to", "https://docs.example.com/" + std::string(5000, 'p'),
                    huge + "**" + huge_ja + "**"});
  Answer a{huge, huge_ja, hits, std::string(5000, 'i'), "U1"};
  for (auto surface : {Surface::thread, Surface::ephemeral, Surface::shared}) {
    auto m = build_answer(a, surface);
    check_limits(m);
    CHECK(m.blocks.size() <= 10);  // at most 5 results
  }
  Digest d{"U1", huge, hits, std::vector<std::string>(50, amps), "asked", std::vector<std::string>(30, "U0X"),
           "S0Y"};
  check_limits(build_escalation(d));
  check_limits(build_not_found(huge_ja, std::string(3000, 'z'), true));
  // Invalid UTF-8 from a user never makes serialisation throw.
  Answer bad{"\xff\xfe broken", "", {{"t\xc3", "", "", "", "\xe3\x81"}}, "a", ""};
  CHECK_NOTHROW(dump(post_message_body("C1", "", build_answer(bad, Surface::thread))));
}

TEST_CASE("render_text shows links as label (url) and decodes entities", "[unit][protocol]") {
  Answer a{"a & b", "", {sample_hits()[0]}, "x", ""};
  const std::string t = render_text(build_answer(a, Surface::thread));
  CHECK_THAT(t, Catch::Contains("Debug Pods › My pod stays pending "
                                "(https://docs.example.com/tasks/debug/debug-pods/#my-pod-stays-pending)"));
  CHECK_THAT(t, Catch::Contains("“a & b”"));
  CHECK_THAT(t, Catch::Contains("[Solved] [Not helpful] [Talk to a human]"));
}

// ---------------------------------------------------------------- Japanese replies

namespace {

std::vector<Hit> sample_hits_ja() {
  return {{"Pod が Pending のままになる", "Pod が Pending のままになる › クォータを確認する", "how-to",
           "https://docs.example.com/ja/how-to/fix-pending-pod/#check-quota",
           "**Pending** の Pod は **ResourceQuota** を超えていることがあります"},
          {"Pod のフェーズ", "", "reference", "https://docs.example.com/ja/reference/pod-phases/",
           "Pending、Running、Succeeded、Failed、Unknown"}};
}

/// Placeholders used by a template ("{1}{3}" → {1,3}): both languages must take the same arguments.
std::set<char> placeholders(std::string_view s) {
  std::set<char> out;
  for (std::size_t i = 0; i + 2 < s.size(); ++i)
    if (s[i] == '{' && s[i + 1] >= '1' && s[i + 1] <= '9' && s[i + 2] == '}') out.insert(s[i + 1]);
  return out;
}

}  // namespace

TEST_CASE("texts: both tables are complete and take the same placeholders", "[unit][protocol]") {
  // Texts is a struct of const char*; walk it as an array so a field added to one language only fails here.
  static_assert(sizeof(Texts) % sizeof(const char*) == 0);
  constexpr std::size_t n = sizeof(Texts) / sizeof(const char*);
  const auto* en = reinterpret_cast<const char* const*>(&texts(Lang::en));
  const auto* ja = reinterpret_cast<const char* const*>(&texts(Lang::ja));
  for (std::size_t i = 0; i < n; ++i) {
    INFO("field #" << i << ": " << en[i]);
    REQUIRE(en[i] != nullptr);
    REQUIRE(ja[i] != nullptr);
    CHECK(std::string_view(en[i]) != "");
    CHECK(std::string_view(ja[i]) != "");
    CHECK(placeholders(en[i]) == placeholders(ja[i]));
  }
  CHECK(fill("{1} and {2}, {1} again; {9} missing", {"a", "b"}) == "a and b, a again;  missing");
  CHECK(fill("no {placeholder} {0} {x}", {"a"}) == "no {placeholder} {0} {x}");
}

TEST_CASE("reply language: Japanese question or Japanese default", "[unit][protocol]") {
  struct Case {
    const char* why;
    const char* question_lang;
    Lang configured;
    Lang expected;
  };
  const Case cases[] = {
      {"English question, English default", "en", Lang::en, Lang::en},
      {"a Japanese question gets Japanese whatever the default", "ja", Lang::en, Lang::ja},
      {"a Japanese workspace replies in Japanese", "en", Lang::ja, Lang::ja},
      {"unknown detection falls back to the default", "", Lang::en, Lang::en},
      {"region subtags count", "ja-JP", Lang::en, Lang::ja},
      {"'jav' is not Japanese", "jav", Lang::en, Lang::en},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    CHECK(reply_lang(c.question_lang, c.configured) == c.expected);
  }
  CHECK(lang_from_code("JA") == Lang::ja);
  CHECK(lang_code(Lang::ja) == "ja");
}

TEST_CASE("golden: Japanese answer in a thread and /docs with did-you-mean", "[unit][protocol][golden]") {
  Answer a{"Pod が Pending のまま起動しません", "", sample_hits_ja(), "a0101", "", Lang::ja};
  auto m = build_answer(a, Surface::thread);
  check_limits(m);
  check_golden("answer_thread_ja", {{"text", m.text}, {"blocks", m.blocks}});
  Answer e{"pod pnding", "pod pending", sample_hits_ja(), "a0102", "", Lang::ja};
  auto eph = build_answer(e, Surface::ephemeral);
  check_limits(eph);
  const std::string all = json{{"t", eph.text}, {"b", eph.blocks}}.dump();
  for (const char* s : {"もしかして", "チャンネルに共有", "解決した", "役に立たなかった", "担当者に相談",
                        "ハウツーガイド", "リファレンス"})
    CHECK_THAT(all, Catch::Contains(s));
  for (const char* s : {"Did you mean", "Share in channel", "Solved", "Not helpful", "Talk to a human",
                        "How-to guide", "Here is what"})
    CHECK(all.find(s) == std::string::npos);  // no English left in a Japanese answer
}

TEST_CASE("golden: Japanese escalation, not found, ask reason, help", "[unit][protocol][golden]") {
  Digest d{"U0HUMAN01",
           "Pod が Pending のまま <!channel>",
           sample_hits_ja(),
           {feedback_line("not_helpful", "", Lang::ja), feedback_line("reason", reason::outdated, Lang::ja)},
           "not_helpful",
           {"U0ONCALL1"},
           "S0PLATFORM",
           Lang::ja};
  auto e = build_escalation(d);
  check_limits(e);
  check_golden("escalation_ja", {{"text", e.text}, {"blocks", e.blocks}});
  CHECK(e.text.find("<!channel>") == std::string::npos);
  CHECK_THAT(e.text, Catch::Contains("<@U0ONCALL1> <!subteam^S0PLATFORM> — <@U0HUMAN01> さん"));
  CHECK_THAT(e.text, Catch::Contains("理由: 情報が古い"));

  Digest none{"U0HUMAN01", "謎のエラー", {}, {}, "not_confident", {}, "", Lang::ja};
  const auto bare = build_escalation(none);
  CHECK_THAT(bare.text, Catch::Contains("オンコール担当: "));
  CHECK_THAT(bare.text, Catch::Contains("確かな候補なし"));

  auto nf = build_not_found("謎のエラー", "a0103", false, Lang::ja);
  check_limits(nf);
  CHECK(nf.text == "「謎のエラー」について、ドキュメントに確かな回答が見つかりませんでした。");
  CHECK_THAT(nf.blocks[0]["text"]["text"].get<std::string>(),
             Catch::Contains("オンコール担当のエンジニアに"));
  auto nf2 = build_not_found("謎のエラー", "a0104", true, Lang::ja);
  CHECK(nf2.blocks[1]["elements"][0]["text"]["text"] == "担当者に相談");
  auto ar = build_ask_reason("a0105", Lang::ja);
  check_limits(ar);
  CHECK(ar.blocks[1]["elements"][2]["text"]["text"] == "情報が古い");
  auto h = build_help("/docs", Lang::ja);
  check_limits(h);
  CHECK_THAT(h.text, Catch::StartsWith("使い方: /docs <質問>"));
  CHECK(render_text(build_answer({"a", "", {sample_hits_ja()[0]}, "x", "", Lang::ja}, Surface::thread))
            .find("[解決した] [役に立たなかった] [担当者に相談]") != std::string::npos);
}

TEST_CASE("feedback lines and reason labels, including rows stored before localisation", "[unit][protocol]") {
  CHECK(feedback_line("reason", "outdated", Lang::en) == "Why: outdated");
  CHECK(feedback_line("reason", "right topic, but didn't answer", Lang::ja) ==
        "理由: 内容は合っているが解決しない");
  CHECK(feedback_line("reason", "something else", Lang::ja) == "理由: something else");
  CHECK(feedback_line("solved", "", Lang::ja) == "解決した");
  CHECK(feedback_line("shared", "", Lang::en).empty());
  CHECK(reason_label(reason::wrong_topic, Lang::en) == "wrong topic");
}
