// Checks the bundled docs-corpus/: every page has valid front matter (diataxis type, title,
// language matching its folder), English and Japanese trees mirror each other, every relative
// link resolves (including its #anchor), and queries.jsonl points at pages that exist.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "indexer/classify.hpp"
#include "indexer/page.hpp"

namespace fs = std::filesystem;
using namespace docbot::indexer;

namespace {

const fs::path kCorpus = fs::path(DOCBOT_SOURCE_DIR) / "docs-corpus";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> pages(const std::string& lang) {
  std::vector<fs::path> out;
  if (!fs::is_directory(kCorpus / lang)) return out;
  for (const auto& e : fs::recursive_directory_iterator(kCorpus / lang))
    if (e.is_regular_file() && e.path().extension() == ".md") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("docs-corpus pages have front matter with type, title and language", "[unit][docs-corpus]") {
  for (const std::string lang : {"en", "ja"}) {
    const auto ps = pages(lang);
    INFO("language " << lang);
    CHECK(ps.size() >= 40);
    for (const auto& p : ps) {
      INFO(p.string());
      const Page page = parse_page(slurp(p), SlugStyle::hugo, lang);
      REQUIRE(page.front.present);
      REQUIRE_FALSE(page.front.error);
      const auto& fm = page.front.scalars;
      REQUIRE(fm.count("title"));
      CHECK_FALSE(fm.at("title").empty());
      REQUIRE(fm.count("diataxis"));
      CHECK(normalise_type(fm.at("diataxis")) == fm.at("diataxis"));  // one of the four, spelled canonically
      CHECK(fm.count("description"));
      REQUIRE(fm.count("lang"));
      CHECK(fm.at("lang") == lang);
      // The folder agrees with the declared type (index.md is the landing page).
      const auto rel = fs::relative(p, kCorpus / lang).generic_string();
      if (rel != "index.md") {
        const std::string folder = rel.substr(0, rel.find('/'));
        const std::string by_folder = folder == "tutorials" ? "tutorial" : folder == "how-to" ? "how-to"
                                      : folder == "reference" ? "reference" : "explanation";
        CHECK(fm.at("diataxis") == by_folder);
      }
      CHECK(page.sections.size() >= 2);  // real headings, so deep links mean something
    }
  }
}

TEST_CASE("docs-corpus: English and Japanese trees mirror each other", "[unit][docs-corpus]") {
  std::set<std::string> en, ja;
  for (const auto& p : pages("en")) en.insert(fs::relative(p, kCorpus / "en").generic_string());
  for (const auto& p : pages("ja")) ja.insert(fs::relative(p, kCorpus / "ja").generic_string());
  CHECK(en == ja);
}

TEST_CASE("docs-corpus: every relative link resolves, anchors included", "[unit][docs-corpus]") {
  std::map<fs::path, std::set<std::string>> anchors;
  auto anchors_of = [&](const fs::path& p) -> const std::set<std::string>& {
    auto it = anchors.find(p);
    if (it != anchors.end()) return it->second;
    std::set<std::string> a;
    for (const auto& s : parse_page(slurp(p), SlugStyle::hugo, "en").sections) a.insert(s.anchor);
    return anchors[p] = a;
  };
  int checked = 0;
  for (const std::string lang : {"en", "ja"})
    for (const auto& p : pages(lang)) {
      const Page page = parse_page(slurp(p), SlugStyle::hugo, lang);
      for (const auto& link : page.links) {
        if (link.find("://") != std::string::npos || link.rfind("mailto:", 0) == 0) continue;
        INFO(p.string() << " -> " << link);
        const auto hash = link.find('#');
        const std::string file = link.substr(0, hash);
        const std::string anchor = hash == std::string::npos ? "" : link.substr(hash + 1);
        const fs::path target = file.empty() ? p : (p.parent_path() / file).lexically_normal();
        REQUIRE(fs::is_regular_file(target));
        if (!anchor.empty()) CHECK(anchors_of(target).count(anchor) == 1);
        ++checked;
      }
    }
  CHECK(checked >= 40);  // the pages do cross-link
}

TEST_CASE("docs-corpus: queries.jsonl names pages that exist", "[unit][docs-corpus]") {
  std::ifstream in(kCorpus / "queries.jsonl");
  REQUIRE(in);
  int n = 0, ja = 0, unanswerable = 0;
  std::set<std::string> ids;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    INFO(line);
    CHECK(ids.insert(j.at("id").get<std::string>()).second);
    CHECK(!j.at("q").get<std::string>().empty());
    ja += j.at("lang") == "ja";
    if (j.at("rel").empty()) ++unanswerable;
    for (const auto& r : j.at("rel")) {
      const std::string doc = r.get<std::string>();
      REQUIRE(doc.rfind("docs-corpus/", 0) == 0);
      CHECK(fs::is_regular_file(kCorpus / doc.substr(std::string("docs-corpus/").size())));
    }
    ++n;
  }
  CHECK(n >= 40);
  CHECK(ja >= 10);
  CHECK(unanswerable >= 3);
}

TEST_CASE("docs-corpus: synonyms.yaml is a list of groups", "[unit][docs-corpus]") {
  const std::string s = slurp(kCorpus / "synonyms.yaml");
  REQUIRE_FALSE(s.empty());
  CHECK(s.find("groups:") != std::string::npos);
}
