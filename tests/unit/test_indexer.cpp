#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "helpers.hpp"
#include "indexer/indexer.hpp"
#include "search/schema.hpp"

using namespace docbot;
using docbot::test::TempDir;
using docbot::test::write_file;
namespace fs = std::filesystem;

namespace {

struct Run {
  bool ok = false;
  indexer::Stats stats;
  std::vector<std::string> warnings;
  std::string error;
};

Run index(const fs::path& src, const fs::path& out, const std::string& synonyms = "") {
  indexer::Options opt;
  opt.sources = {{"docs", src.string(), indexer::SlugStyle::hugo}};
  opt.index_dir = out.string();
  opt.synonyms_file = synonyms;
  opt.max_file_bytes = 64 * 1024;
  Run r;
  r.ok = indexer::run(opt, &r.stats, nullptr, [&](const std::string& w) { r.warnings.push_back(w); }, &r.error);
  return r;
}

void make_tree(const fs::path& src) {
  write_file(src / "how-to/crashloop.md",
             "---\ntitle: Pod in CrashLoopBackOff\ndiataxis: how-to\nlang: en\n---\nWhat you see.\n\n"
             "## Read the previous logs {#previous-logs}\nRun this:\n\n```\nkubectl logs --previous pod/x\n"
             "Back-off restarting failed container\n```\n\n## Fix the probe\nAdjust the liveness probe.\n");
  write_file(src / "reference/errors.md",
             "---\ntitle: Error messages\ndiataxis: reference\n---\n| Error | Meaning |\n|---|---|\n"
             "| `x509: certificate signed by unknown authority` | TLS trust |\n");
  write_file(src / "ja/how-to/crashloop.md",
             "---\ntitle: CrashLoopBackOffの対処\ndiataxis: how-to\nlang: ja\n---\nPodが再起動を繰り返す場合の手順です。\n");
}

bool has_term(const fs::path& db, const std::string& term) {
  Xapian::Database d(db.string());
  return d.term_exists(term);
}

std::size_t doc_count(const fs::path& db) { return Xapian::Database(db.string()).get_doccount(); }

}  // namespace

TEST_CASE("a fresh index holds one document per section with the schema's fields", "[integration][indexer]") {
  TempDir t;
  make_tree(t / "src");
  const Run r = index(t / "src", t / "idx");
  REQUIRE(r.ok);
  CHECK(r.warnings.empty());
  CHECK(r.stats.full_rebuild);
  CHECK(r.stats.files_indexed == 3);
  CHECK(r.stats.pages_by_lang.at("ja") == 1);
  CHECK(r.stats.pages_by_type.at("how-to") == 2);
  Xapian::Database db((t / "idx").string());
  CHECK(db.get_metadata(std::string(schema::kMetaSchema)) == schema::kSchemaVersion);
  // intro + two H2 sections of the how-to page
  CHECK(db.get_termfreq("XPdocs/how-to/crashloop.md") == 3);
  CHECK(db.term_exists("Qdocs/how-to/crashloop.md#previous-logs"));  // explicit anchor in the id
  CHECK_FALSE(db.term_exists("XEcrashloopbackoff"));  // in the title only: prose, not code
  CHECK(db.term_exists("XEx509"));                     // inline code feeds error tokens
  CHECK(db.term_exists("crashloopbackoff"));                          // the status word is searchable as-is
  CHECK(db.term_exists("Lja"));
  CHECK(db.term_exists("XThow-to"));
  // value slots
  auto pl = db.postlist_begin("Qdocs/how-to/crashloop.md#previous-logs");
  const auto doc = db.get_document(*pl);
  CHECK(doc.get_value(schema::kSlotDoc) == "docs/how-to/crashloop.md");
  CHECK(doc.get_value(schema::kSlotAnchor) == "previous-logs");
  CHECK(doc.get_value(schema::kSlotTitle) == "Pod in CrashLoopBackOff");
  CHECK(doc.get_value(schema::kSlotSection) == "Read the previous logs");
  CHECK(doc.get_value(schema::kSlotTypeRule) == "front-matter");
  CHECK(doc.get_data().find("Run this:") != std::string::npos);
}

TEST_CASE("incremental runs touch only changed files and remove deleted ones", "[integration][indexer]") {
  TempDir t;
  make_tree(t / "src");
  REQUIRE(index(t / "src", t / "idx").ok);
  const auto before = doc_count(t / "idx");

  const Run same = index(t / "src", t / "idx");
  REQUIRE(same.ok);
  CHECK_FALSE(same.stats.full_rebuild);
  CHECK(same.stats.files_indexed == 0);
  CHECK(same.stats.files_unchanged == 3);

  // Change one file: only it is re-indexed, its old sections are replaced.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_file(t / "src/how-to/crashloop.md", "---\ntitle: Pod in CrashLoopBackOff\n---\nOnly an intro now.\n");
  const Run changed = index(t / "src", t / "idx");
  REQUIRE(changed.ok);
  CHECK(changed.stats.files_indexed == 1);
  CHECK(changed.stats.files_unchanged == 2);
  CHECK_FALSE(has_term(t / "idx", "Qdocs/how-to/crashloop.md#previous-logs"));
  CHECK(doc_count(t / "idx") == before - 2);

  // Touch without changing content: read and hashed, not re-indexed.
  write_file(t / "src/reference/errors.md",
             "---\ntitle: Error messages\ndiataxis: reference\n---\n| Error | Meaning |\n|---|---|\n"
             "| `x509: certificate signed by unknown authority` | TLS trust |\n");
  const Run touched = index(t / "src", t / "idx");
  CHECK(touched.stats.files_indexed == 0);

  // Delete a file: its sections and bookkeeping go.
  fs::remove(t / "src/reference/errors.md");
  const Run deleted = index(t / "src", t / "idx");
  REQUIRE(deleted.ok);
  CHECK(deleted.stats.files_deleted == 1);
  CHECK_FALSE(has_term(t / "idx", "XPdocs/reference/errors.md"));
}

TEST_CASE("bad input is skipped with one warning naming the file; the rest is indexed", "[integration][indexer]") {
  TempDir t;
  make_tree(t / "src");
  write_file(t / "src/bad-utf8.md", "# Title\n\nline two\nbroken \xC3\x28 here\n");
  write_file(t / "src/binary.md", std::string("PNG\0\0\0data", 11));
  write_file(t / "src/huge.md", std::string(70 * 1024, 'a'));
  write_file(t / "src/broken-front.md", "---\ntitle: [unclosed\n---\n# Still here\n\nBody kept.\n");
  write_file(t / "src/notes.txt", "not markdown, ignored without a warning");
  const Run r = index(t / "src", t / "idx");
  REQUIRE(r.ok);
  CHECK(r.stats.files_indexed == 4);  // 3 good + the broken-front-matter page
  CHECK(r.stats.files_skipped == 3);
  REQUIRE(r.warnings.size() == 4);
  auto warned = [&](const std::string& needle, const std::string& what) {
    for (const auto& w : r.warnings)
      if (w.find(needle) != std::string::npos && w.find(what) != std::string::npos) return true;
    return false;
  };
  CHECK(warned("bad-utf8.md:4", "invalid UTF-8"));  // names file and line
  CHECK(warned("binary.md", "binary"));
  CHECK(warned("huge.md", "cap"));
  CHECK(warned("broken-front.md:3", "front matter"));  // yaml-cpp marks where it noticed
  CHECK(has_term(t / "idx", "XPdocs/broken-front.md"));

  SECTION("a file that turns bad keeps its previous sections (nothing is lost)") {
    write_file(t / "src/reference/errors.md", "bad \xFF byte");
    const Run again = index(t / "src", t / "idx");
    CHECK(again.stats.files_skipped >= 1);
    CHECK(has_term(t / "idx", "XPdocs/reference/errors.md"));
  }
  SECTION("an unreadable file is skipped with a warning") {
    if (::geteuid() == 0) {
      WARN("running as root: permission bits do not stop reads, case not exercised");
    } else {
      write_file(t / "src/secret.md", "# x\n");
      fs::permissions(t / "src/secret.md", fs::perms::none);
      const Run again = index(t / "src", t / "idx");
      CHECK(again.ok);
      CHECK(std::any_of(again.warnings.begin(), again.warnings.end(),
                        [](const std::string& w) { return w.find("secret.md") != std::string::npos; }));
    }
  }
}

TEST_CASE("no index can be written: non-zero with a one-line reason", "[integration][indexer]") {
  TempDir t;
  indexer::Options opt;
  opt.sources = {{"docs", (t / "missing").string(), indexer::SlugStyle::hugo}};
  opt.index_dir = (t / "idx").string();
  indexer::Stats st;
  std::string error;
  CHECK_FALSE(indexer::run(opt, &st, nullptr, [](const std::string&) {}, &error));
  CHECK(error.find("missing") != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);

  write_file(t / "src/a.md", "# a\n");
  write_file(t / "not-an-index/file", "precious");
  opt.sources = {{"docs", (t / "src").string(), indexer::SlugStyle::hugo}};
  opt.index_dir = (t / "not-an-index").string();
  error.clear();
  CHECK_FALSE(indexer::run(opt, &st, nullptr, [](const std::string&) {}, &error));
  CHECK(fs::exists(t / "not-an-index/file"));  // never clobbers a directory that is not ours
}

TEST_CASE("synonyms and spelling data are written", "[integration][indexer]") {
  TempDir t;
  make_tree(t / "src");
  write_file(t / "syn.yaml", "groups:\n  - [pod, pods, ポッド]\n  - [\"won't start\", 起動しない]\n");
  REQUIRE(index(t / "src", t / "idx", (t / "syn.yaml").string()).ok);
  Xapian::Database db((t / "idx").string());
  std::vector<std::string> syn(db.synonyms_begin("ポッド"), db.synonyms_end("ポッド"));
  CHECK(std::find(syn.begin(), syn.end(), "pod") != syn.end());
  std::vector<std::string> multi(db.synonyms_begin("won't start"), db.synonyms_end("won't start"));
  CHECK(multi == std::vector<std::string>{"起動しない"});
  CHECK(db.get_spelling_suggestion("liveniss") == "liveness");

  write_file(t / "bad.yaml", "groups: [[a, b]\n");
  indexer::Options opt;
  opt.sources = {{"docs", (t / "src").string(), indexer::SlugStyle::hugo}};
  opt.index_dir = (t / "idx").string();
  opt.synonyms_file = (t / "bad.yaml").string();
  indexer::Stats st;
  std::string error;
  CHECK_FALSE(indexer::run(opt, &st, nullptr, [](const std::string&) {}, &error));
  CHECK(error.find("bad.yaml") != std::string::npos);
}

TEST_CASE("a crash mid-run leaves the previous index complete and usable", "[integration][indexer]") {
  TempDir t;
  make_tree(t / "src");
  for (int i = 0; i < 20; ++i)
    write_file(t / ("src/many/p" + std::to_string(i) + ".md"), "# Page " + std::to_string(i) + "\n\nversion one\n");
  REQUIRE(index(t / "src", t / "idx").ok);
  const auto before = doc_count(t / "idx");

  Xapian::Database reader((t / "idx").string());  // a reader open across the crash
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  for (int i = 0; i < 20; ++i)
    write_file(t / ("src/many/p" + std::to_string(i) + ".md"), "# Page " + std::to_string(i) + "\n\nversion two\n");

  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setenv("DOCBOT_INDEX_CRASH_AFTER", "10", 1);
    const std::string src = "docs=" + (t / "src").string();
    const std::string out = (t / "idx").string();
    ::execl(DOCBOT_INDEX_BIN, DOCBOT_INDEX_BIN, "--quiet", "--source", src.c_str(), "--index", out.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  Xapian::Database after((t / "idx").string());
  CHECK(after.get_doccount() == before);
  CHECK(after.term_exists("one"));
  CHECK_FALSE(after.term_exists("two"));  // nothing of the killed run is visible
  reader.reopen();
  CHECK(reader.get_doccount() == before);

  const Run recovered = index(t / "src", t / "idx");  // the next run completes the update
  REQUIRE(recovered.ok);
  CHECK(recovered.stats.files_indexed == 20);
  CHECK(has_term(t / "idx", "two"));
}

TEST_CASE("a full rebuild swaps in atomically under an open reader", "[integration][indexer]") {
  TempDir t;
  make_tree(t / "src");
  REQUIRE(index(t / "src", t / "idx").ok);
  Xapian::Database reader((t / "idx").string());
  {
    // Pretend the index was written under other rules: the next run rebuilds aside and swaps.
    Xapian::WritableDatabase w((t / "idx").string(), Xapian::DB_OPEN);
    w.set_metadata(std::string(schema::kMetaRules), "old");
    w.commit();
  }
  const Run r = index(t / "src", t / "idx");
  REQUIRE(r.ok);
  CHECK(r.stats.full_rebuild);
  CHECK(reader.get_doccount() > 0);  // the old reader keeps working on its snapshot
  Xapian::Database fresh((t / "idx").string());
  CHECK(fresh.get_metadata(std::string(schema::kMetaRules)) == schema::kRulesVersion);
  for (const auto& e : fs::directory_iterator(t.path()))
    CHECK(e.path().filename().string().find(".tmp-") == std::string::npos);  // nothing left aside
}
