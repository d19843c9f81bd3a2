#include <catch2/catch.hpp>

#include "indexer/classify.hpp"

using namespace docbot::indexer;

namespace {
Page page_from(const std::string& md) { return parse_page(md, SlugStyle::hugo, "en"); }
}  // namespace

TEST_CASE("Diátaxis type: front matter, then path, then heuristics", "[unit][diataxis]") {
  struct Case { std::string md; const char* path; const char* type; const char* rule; const char* why; };
  const std::string steps =
      "Intro.\n\n1. Create the namespace.\n2. Apply the manifest.\n3. Verify the rollout.\n4. Check the logs.\n";
  const Case cases[] = {
      {"---\ndiataxis: reference\n---\nx", "concepts/a.md", "reference", "front-matter", "diataxis: beats the folder"},
      {"---\ncontent_type: task\n---\nx", "misc/a.md", "how-to", "front-matter", "Hugo task is a how-to"},
      {"---\ncontent_type: concept\n---\nx", "misc/a.md", "explanation", "front-matter", "Hugo concept is explanation"},
      {"---\ntype: tutorial\n---\nx", "misc/a.md", "tutorial", "front-matter", "type: key"},
      {"---\ncontent_type: custom\n---\nx", "tasks/a.md", "how-to", "path", "unknown content_type falls to the path"},
      {"x", "tasks/debug/a.md", "how-to", "path", "tasks/ is how-to"},
      {"x", "en/tutorials/a.md", "tutorial", "path", "tutorials/"},
      {"x", "reference/glossary/pod.md", "reference", "path", "nearest folder decides"},
      {"x", "concepts/a.md", "explanation", "path", "concepts/"},
      {"x", "how-to/a.md", "how-to", "path", "how-to/"},
      {steps, "misc/a.md", "how-to", "heuristic", "numbered imperative steps"},
      {"In this tutorial you will build an app.\n", "misc/a.md", "tutorial", "heuristic", "says tutorial"},
      {"| Field | Description |\n|---|---|\n| a | b |\n| c | d |\n| e | f |\n| g | h |\n| i | j |\n", "misc/a.md",
       "reference", "heuristic", "a table of fields"},
      {"Just a line.", "misc/a.md", "", "none", "nothing to go on"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    const auto d = classify_type(page_from(c.md), c.path);
    CHECK(d.type == c.type);
    CHECK(d.rule == c.rule);
  }
}

TEST_CASE("language: front matter, path, suffix, script", "[unit][language]") {
  struct Case { std::string md; const char* path; const char* lang; const char* why; };
  const Case cases[] = {
      {"---\nlang: ja\n---\nEnglish text", "en/a.md", "ja", "front matter wins over the path"},
      {"English text", "ja/tasks/a.md", "ja", "/ja/ path segment"},
      {"English text", "security/iam.ko.md", "ko", "MkDocs i18n suffix"},
      {"Podが起動しない場合の対処方法を説明します。", "misc/a.md", "ja", "script detection"},
      {"Plain English page.", "misc/a.md", "en", "default"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    CHECK(classify_language(page_from(c.md), c.path) == c.lang);
  }
}

TEST_CASE("page kind: landing, fragment, page", "[unit][kind]") {
  CHECK(classify_kind(page_from("x"), "tasks/_index.md") == "landing");
  CHECK(classify_kind(page_from("x"), "applicationset/index.md") == "landing");
  CHECK(classify_kind(page_from("---\nheadless: true\n---\nx"), "glossary/pod.md") == "fragment");
  CHECK(classify_kind(page_from("x"), "tasks/tools/included/verify.md") == "fragment");
  CHECK(classify_kind(page_from("x"), "tasks/a.md") == "page");
}
