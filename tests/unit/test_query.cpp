#include <catch2/catch.hpp>

#include "search/query.hpp"

using namespace docbot::search;

TEST_CASE("Slack markup is stripped", "[unit][noise]") {
  struct Case { const char* in; const char* out; const char* why; };
  const Case cases[] = {
      {"<@U123ABC> pod won't start", "  pod won't start", "bot mention removed"},
      {"<!here> help", "  help", "special mention removed"},
      {"see <https://x.example/a|the runbook>", "see the runbook ", "link keeps its label"},
      {"see <https://x.example/a>", "see  ", "bare link dropped"},
      {"in <#C42|platform-help>", "in platform-help ", "channel keeps its name"},
      {"broken :sob: again", "broken   again", "emoji code removed"},
      {"`kubectl get pods`", " kubectl get pods ", "backticks removed"},
      {"a &lt;none&gt; b", "a <none> b", "Slack's escapes decoded"},
      {"time 10:30:00 ok", "time 10:30:00 ok", "a clock is not an emoji"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    CHECK(strip_slack_markup(c.in) == c.out);
  }
}

TEST_CASE("greetings and politeness are dropped", "[unit][noise]") {
  CHECK(strip_greetings("Hi team, my pod is pending. Thanks in advance!") == ", my pod is pending. !");
  CHECK(strip_greetings("お疲れ様です。Podが起動しません。よろしくお願いします") == "。Podが起動しません。");
  CHECK(strip_greetings("history of the pod") == "history of the pod");  // "hi" inside a word stays
}

TEST_CASE("long pasted logs condense to the human line and the error lines", "[unit][noise]") {
  std::string paste = "my deploy fails since this morning\n";
  for (int i = 0; i < 400; ++i) paste += "2026-11-28T10:00:00Z INFO starting worker " + std::to_string(i) + "\n";
  paste += "2026-11-28T10:00:01Z ERROR Back-off restarting failed container api in pod api-1\n";
  for (int i = 0; i < 200; ++i) paste += "    at com.example.Main.run(Main.java:" + std::to_string(i) + ")\n";
  REQUIRE(paste.size() > 20000);
  const std::string c = condense_log(paste);
  CHECK(c.size() <= 600);
  CHECK(c.find("my deploy fails") != std::string::npos);
  CHECK(c.find("Back-off restarting failed container") != std::string::npos);
  CHECK(c.find("starting worker") == std::string::npos);
  CHECK(condense_log("short question") == "short question");
}

TEST_CASE("language and intent of a question", "[unit][intent]") {
  struct Case { const char* q; const char* lang; const char* intent; bool symptom; const char* why; };
  const Case cases[] = {
      {"how do I rotate a secret", "en", "how-to", false, "how do I"},
      {"what is a NetworkPolicy", "en", "explanation", false, "what is"},
      {"why does the platform use one cluster", "en", "explanation", false, "why does"},
      {"list of annotations the platform reads", "en", "reference", false, "list of"},
      {"getting started with argo cd", "en", "tutorial", false, "getting started"},
      {"create a secret from literal values", "en", "how-to", false, "starts with a task verb"},
      {"pod stuck in CrashLoopBackOff", "en", "how-to", true, "a status is a symptom: how-to first"},
      {"Error from server (Forbidden): pods is forbidden", "en", "how-to", true, "pasted error"},
      {"find out why my pod terminated", "en", "how-to", false, "'why' mid-sentence is no explanation request"},
      {"Serviceとは", "ja", "explanation", false, "とは"},
      {"HPAの設定手順", "ja", "how-to", false, "手順"},
      {"Podが起動しない", "ja", "how-to", true, "起動しない is a symptom"},
      {"アノテーション一覧", "ja", "reference", false, "一覧"},
      {"argocd sync windows", "en", "", false, "no intent words"},
      {"kubectl get pods で怒られる Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource",
       "ja", "how-to", true, "a Japanese sentence around a long English paste is a Japanese question"},
  };
  for (const auto& c : cases) {
    INFO(c.why << ": " << c.q);
    const auto qa = analyse(c.q);
    CHECK(qa.lang == c.lang);
    CHECK(std::string(qa.intent ? to_string(*qa.intent) : "") == c.intent);
    CHECK(qa.symptom == c.symptom);
  }
}

TEST_CASE("intent-only words do not take part in matching", "[unit][intent]") {
  CHECK(matching_text(analyse("How do I rotate a secret?")) == "rotate a secret?");
  CHECK(matching_text(analyse("Serviceとは")) == "service");
  CHECK(matching_text(analyse("how to")) == "how to");  // nothing else left: keep it
}
