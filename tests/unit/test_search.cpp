#include <catch2/catch.hpp>
#include <set>

#include "helpers.hpp"
#include "indexer/indexer.hpp"
#include "search/search.hpp"

using namespace docbot;
using docbot::test::TempDir;
using docbot::test::write_file;

namespace {

/// A small platform-docs tree in both languages, indexed once per test case.
struct Fixture {
  TempDir t;
  std::unique_ptr<search::Searcher> s;

  Fixture() {
    const auto src = t / "src";
    write_file(src / "en/how-to/crashloopbackoff.md",
               "---\ntitle: Pod stuck in CrashLoopBackOff\ndiataxis: how-to\nlang: en\n---\n"
               "Your container starts and exits again and again.\n\n"
               "## Read the previous logs {#previous-logs}\n\n```\nkubectl logs --previous deploy/api\n"
               "Back-off restarting failed container api in pod api-7d9f\n```\n\n"
               "## Check the liveness probe\nA liveness probe that fails makes the kubelet restart the container.\n");
    write_file(src / "en/reference/error-messages.md",
               "---\ntitle: Error messages\ndiataxis: reference\nlang: en\n---\n| Message | Meaning |\n|---|---|\n"
               "| `CrashLoopBackOff` | the container keeps exiting |\n"
               "| `x509: certificate signed by unknown authority` | the CA is not trusted |\n");
    write_file(src / "en/explanation/tenancy-model.md",
               "---\ntitle: The tenancy model\ndiataxis: explanation\nlang: en\n---\n"
               "Why one shared cluster per environment: namespaces isolate teams, quotas share capacity.\n\n"
               "## Why not a cluster per team\nCost and upgrade effort grow with every cluster.\n");
    write_file(src / "en/how-to/rotate-a-secret.md",
               "---\ntitle: Rotate a secret\ndiataxis: how-to\nlang: en\n---\n"
               "## Rotate it in Secrets Manager\n1. Create a new version.\n2. Wait for the ExternalSecret refresh.\n");
    write_file(src / "ja/how-to/crashloopbackoff.md",
               "---\ntitle: PodがCrashLoopBackOffになる\ndiataxis: how-to\nlang: ja\n---\n"
               "コンテナが起動と終了を繰り返しています。\n\n## 前回のログを読む {#previous-logs}\n"
               "前回のコンテナのログを確認します。\n");
    write_file(t / "syn.yaml", "groups:\n  - [pod, pods, ポッド]\n  - [secret, シークレット]\n");
    indexer::Options opt;
    opt.sources = {{"docs", src.string(), indexer::SlugStyle::hugo}};
    opt.index_dir = (t / "idx").string();
    opt.synonyms_file = (t / "syn.yaml").string();
    indexer::Stats st;
    std::string err;
    REQUIRE(indexer::run(opt, &st, nullptr, [](const std::string&) {}, &err));
    s = search::Searcher::open((t / "idx").string(), &err);
    REQUIRE(s);
  }
};

}  // namespace

TEST_CASE("a pasted status finds the troubleshooting how-to first, then the reference", "[integration][search]") {
  Fixture f;
  const auto r = f.s->search("my pod is stuck in CrashLoopBackOff");
  REQUIRE(r.results.size() >= 2);
  CHECK(r.results[0].doc == "docs/en/how-to/crashloopbackoff.md");
  CHECK(r.results[1].doc == "docs/en/reference/error-messages.md");
  CHECK(r.intent == search::Intent::how_to);
  CHECK(r.symptom);
  CHECK(r.confident);
  CHECK(r.lang == "en");
  std::set<std::string> docs;
  for (const auto& x : r.results) CHECK(docs.insert(x.doc).second);  // one result per page
}

TEST_CASE("results carry section, anchor, type, language and a marked snippet", "[integration][search]") {
  Fixture f;
  const auto r = f.s->search("read the previous logs of a crashing container");
  REQUIRE(!r.results.empty());
  const auto& top = r.results[0];
  CHECK(top.anchor == "previous-logs");
  CHECK(top.section == "Read the previous logs");
  CHECK(top.type == "how-to");
  CHECK(top.url == "docs/en/how-to/crashloopbackoff.md#previous-logs");
  CHECK(top.snippet.find("**") != std::string::npos);
  f.s->set_urls({{"docs", "https://docs.example.com/", "hugo", "en/"}});
  CHECK(f.s->search("read the previous logs of a crashing container").results[0].url ==
        "https://docs.example.com/how-to/crashloopbackoff/#previous-logs");
}

TEST_CASE("a Japanese question prefers Japanese pages and falls back to English", "[integration][search]") {
  Fixture f;
  const auto r = f.s->search("Podのコンテナが起動と終了を繰り返す");
  REQUIRE(!r.results.empty());
  CHECK(r.lang == "ja");
  CHECK(r.results[0].doc == "docs/ja/how-to/crashloopbackoff.md");
  for (const auto& x : r.results) CHECK(x.doc != "docs/en/how-to/crashloopbackoff.md");  // its twin is shown already
  const auto en = f.s->search("シークレットをローテーションしたい");  // only an English page: synonym bridges
  REQUIRE(!en.results.empty());
  CHECK(en.results[0].doc == "docs/en/how-to/rotate-a-secret.md");
}

TEST_CASE("intent boosts the matching Diátaxis type", "[integration][search]") {
  Fixture f;
  const auto r = f.s->search("why do we run one shared cluster");
  REQUIRE(!r.results.empty());
  CHECK(r.intent == search::Intent::explanation);
  CHECK(r.results[0].type == "explanation");
}

TEST_CASE("a likely typo is corrected and reported", "[integration][search]") {
  Fixture f;
  const auto r = f.s->search("check the livenes probe");
  REQUIRE(r.did_you_mean);
  CHECK(*r.did_you_mean == "check the liveness probe");
  const auto h = f.s->search("How do I check the livenes probe?");
  REQUIRE(h.did_you_mean);
  CHECK(*h.did_you_mean == "How do I check the liveness probe?");  // the whole question, as asked
  REQUIRE(!r.results.empty());
  CHECK(r.results[0].doc == "docs/en/how-to/crashloopbackoff.md");
  CHECK_FALSE(f.s->search("check the liveness probe").did_you_mean);
}

TEST_CASE("questions the docs do not answer are not confident", "[integration][search]") {
  Fixture f;
  for (const char* q : {"how do I book a vacation day in the HR system", "the office printer is jammed",
                        "社員食堂の営業時間"}) {
    INFO(q);
    CHECK_FALSE(f.s->search(q).confident);
  }
}

TEST_CASE("noise: Slack markup, greetings, a 20 KB paste", "[integration][search]") {
  Fixture f;
  const auto r = f.s->search("<@U0BOT> hi team :wave: <!channel> pod in `CrashLoopBackOff` thanks!");
  REQUIRE(!r.results.empty());
  CHECK(r.results[0].doc == "docs/en/how-to/crashloopbackoff.md");
  CHECK(r.cleaned.find("<@") == std::string::npos);

  std::string paste = "api keeps restarting after deploy\n";
  while (paste.size() < 20000) paste += "2026-11-28T10:00:00Z INFO GET /healthz 200 1ms\n";
  paste += "Back-off restarting failed container api in pod api-7d9f\n";
  const auto big = f.s->search(paste);
  REQUIRE(!big.results.empty());
  CHECK(big.results[0].doc == "docs/en/how-to/crashloopbackoff.md");
  CHECK(big.cleaned.size() <= 600);

  CHECK(f.s->search("").results.empty());
  CHECK_FALSE(f.s->search("   ").confident);
}

TEST_CASE("open reports a missing or foreign index in one line", "[integration][search]") {
  TempDir t;
  std::string err;
  CHECK_FALSE(search::Searcher::open((t / "nope").string(), &err));
  CHECK_FALSE(err.empty());
  CHECK(err.find('\n') == std::string::npos);
}

TEST_CASE("reopen picks up what the indexer committed", "[integration][search]") {
  Fixture f;
  for (const auto& x : f.s->search("raise the quota tier").results) CHECK(x.doc != "docs/en/how-to/raise-a-quota.md");
  write_file(f.t / "src/en/how-to/raise-a-quota.md",
             "---\ntitle: Raise a quota\ndiataxis: how-to\n---\nOpen a pull request to raise the quota tier.\n");
  indexer::Options opt;
  opt.sources = {{"docs", (f.t / "src").string(), indexer::SlugStyle::hugo}};
  opt.index_dir = (f.t / "idx").string();
  opt.synonyms_file = (f.t / "syn.yaml").string();
  indexer::Stats st;
  std::string err;
  REQUIRE(indexer::run(opt, &st, nullptr, [](const std::string&) {}, &err));
  CHECK(f.s->reopen());
  const auto r = f.s->search("raise the quota tier");
  REQUIRE(!r.results.empty());
  CHECK(r.results[0].doc == "docs/en/how-to/raise-a-quota.md");
}
