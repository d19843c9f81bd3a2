#include <catch2/catch.hpp>

#include "indexer/page.hpp"

using namespace docbot::indexer;

namespace {
const Section* find_section(const Page& p, const std::string& heading) {
  for (const auto& s : p.sections)
    if (!s.heading_path.empty() && s.heading_path.back() == heading) return &s;
  return nullptr;
}
}  // namespace

TEST_CASE("front matter: YAML scalars, Hugo build flags, broken YAML keeps the body", "[unit][frontmatter]") {
  std::size_t off = 0;
  int line = 0;
  SECTION("scalars are read and the body starts after the closing line") {
    const std::string doc = "---\ntitle: \"Debug Pods\"\ncontent_type: task\nweight: 10\n---\nBody\n";
    const auto fm = parse_front_matter(doc, &off, &line);
    CHECK(fm.present);
    CHECK_FALSE(fm.error);
    CHECK(fm.scalars.at("title") == "Debug Pods");
    CHECK(fm.scalars.at("content_type") == "task");
    CHECK(doc.substr(off) == "Body\n");
    CHECK(line == 6);
  }
  SECTION("Hugo _build.render false and headless mark a fragment") {
    const auto fm = parse_front_matter("---\n_build:\n  render: false\n---\nx", &off, &line);
    CHECK(fm.render_false);
    CHECK(parse_front_matter("---\nheadless: true\n---\nx", &off, &line).render_false);
  }
  SECTION("broken YAML reports a line and the page is still parsed") {
    const std::string doc = "---\ntitle: ok\nreviewers: [a, b\n---\n# Heading\n\nText survives.\n";
    const auto fm = parse_front_matter(doc, &off, &line);
    REQUIRE(fm.error);
    CHECK(fm.error_line >= 2);
    const Page p = parse_page(doc, SlugStyle::hugo, "en");
    CHECK(p.front.error);
    bool found = false;
    for (const auto& s : p.sections) found = found || s.text.find("Text survives.") != std::string::npos;
    CHECK(found);
  }
  SECTION("unclosed front matter is an error, not a silent loss of the page") {
    const auto fm = parse_front_matter("---\ntitle: x\nno end\n", &off, &line);
    CHECK(fm.error);
    CHECK(off == 0);
  }
  SECTION("no front matter") {
    CHECK_FALSE(parse_front_matter("# Title\n", &off, &line).present);
  }
}

TEST_CASE("Hugo shortcodes keep human text and drop syntax", "[unit][shortcodes]") {
  struct Case { const char* in; const char* out; const char* why; };
  const Case cases[] = {
      {"A {{< glossary_tooltip text=\"Pod\" term_id=\"pod\" >}} runs", "A Pod runs", "tooltip becomes its text"},
      {"{{< note >}}Keep me{{< /note >}}", " Keep me ", "paired callout keeps inner text"},
      {"{{% heading \"whatsnext\" %}}", "What's next", "localised standard heading"},
      {"x{{< comment >}}hidden{{< /comment >}}y", "xy", "comment blocks are dropped entirely"},
      {"see {{< ref \"a.md\" >}} now", "see   now", "link-target shortcodes have no text"},
      {"{{</* note */>}}", "{{< note >}}", "escaped examples stay literal"},
      {"msg: {{.app.metadata.name}}", "msg: {{.app.metadata.name}}", "Go templates are not shortcodes"},
      {"{{< feature-state for_k8s_version=\"v1.33\" state=\"stable\" >}}",
       "FEATURE STATE: Kubernetes v1.33 [stable] ", "feature state badge as text"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    CHECK(strip_shortcodes(c.in, "en") == c.out);
  }
  CHECK(strip_shortcodes("{{% heading \"prerequisites\" %}}", "ja") == "始める前に");
}

TEST_CASE("MkDocs admonitions are dedented, not read as code", "[unit][mkdocs]") {
  const std::string md = "Intro\n\n!!! warning \"Be careful\"\n    Indented body text.\n\nAfter.\n";
  const Page p = parse_page(md, SlugStyle::mkdocs, "en");
  REQUIRE(!p.sections.empty());
  const auto& s = p.sections.front();
  CHECK(s.text.find("Be careful") != std::string::npos);
  CHECK(s.text.find("Indented body text.") != std::string::npos);
  CHECK(s.code.find("Indented") == std::string::npos);  // an indented code block would land here
  const Page g = parse_page("> [!NOTE]\n> Mind this.\n", SlugStyle::mkdocs, "en");
  CHECK(g.sections.front().text.find("[!NOTE]") == std::string::npos);
  CHECK(g.sections.front().text.find("Mind this.") != std::string::npos);
}

TEST_CASE("sections, heading paths and anchors", "[unit][anchors]") {
  const std::string md =
      "---\ntitle: Debugging Pods\n---\nIntro text.\n\n"
      "## My pod stays Pending\nPending text.\n\n"
      "### Insufficient CPU\nCPU text with `CrashLoopBackOff`.\n\n"
      "## Read the logs {#read-logs}\nLogs.\n\n"
      "## Read the logs\nAgain.\n\n"
      "#### Deep heading\nDeep text.\n\n"
      "```\nkubectl describe pod x\n```\n";
  const Page p = parse_page(md, SlugStyle::hugo, "en");
  CHECK(p.title == "Debugging Pods");
  REQUIRE(p.sections.size() == 5);
  CHECK(p.sections[0].level == 1);
  CHECK(p.sections[0].anchor.empty());
  const auto* cpu = find_section(p, "Insufficient CPU");
  REQUIRE(cpu);
  CHECK(cpu->heading_path == std::vector<std::string>{"My pod stays Pending", "Insufficient CPU"});
  CHECK(cpu->anchor == "insufficient-cpu");
  CHECK(cpu->code.find("CrashLoopBackOff") != std::string::npos);  // inline code goes to the code field
  CHECK(cpu->text.find("CrashLoopBackOff") != std::string::npos);  // and reads as prose
  CHECK(p.sections[1].anchor == "my-pod-stays-pending");
  CHECK(p.sections[3].anchor == "read-logs");           // explicit {#id} wins
  CHECK(p.sections[3].explicit_anchor);
  CHECK(p.sections[4].anchor == "read-the-logs");       // the explicit id did not take the slug
  CHECK(p.sections[4].text.find("Deep heading") != std::string::npos);  // H4 stays in its H3/H2
  CHECK(p.sections[4].code.find("kubectl describe pod x") != std::string::npos);
}

TEST_CASE("slugs follow the site generator", "[unit][anchors]") {
  struct Case { const char* heading; SlugStyle style; const char* slug; const char* why; };
  const Case cases[] = {
      {"Before you begin", SlugStyle::hugo, "before-you-begin", "spaces to hyphens"},
      {"What's next?", SlugStyle::hugo, "whats-next", "punctuation dropped"},
      {"Use `kubectl` - fast", SlugStyle::hugo, "use-kubectl---fast", "Hugo does not collapse hyphens"},
      {"Use `kubectl` - fast", SlugStyle::mkdocs, "use-kubectl-fast", "MkDocs collapses runs"},
      {"Podのデバッグ", SlugStyle::hugo, "podのデバッグ", "Hugo keeps other scripts"},
      {"Podのデバッグ", SlugStyle::mkdocs, "pod", "MkDocs keeps ASCII only"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    std::map<std::string, int> seen;
    CHECK(make_slug(c.heading, c.style, seen) == c.slug);
  }
  std::map<std::string, int> seen;
  CHECK(make_slug("Usage", SlugStyle::hugo, seen) == "usage");
  CHECK(make_slug("Usage", SlugStyle::hugo, seen) == "usage-1");  // duplicates get a suffix
  std::map<std::string, int> seen2;
  make_slug("Usage", SlugStyle::mkdocs, seen2);
  CHECK(make_slug("Usage", SlugStyle::mkdocs, seen2) == "usage_1");
}

TEST_CASE("raw HTML blocks keep their text, comments vanish", "[unit][page]") {
  const Page p = parse_page("<!-- overview -->\n\n<table><tr><td>The flag --foo</td></tr></table>\n", SlugStyle::hugo, "en");
  CHECK(p.sections.front().text.find("The flag --foo") != std::string::npos);
  CHECK(p.sections.front().text.find("overview") == std::string::npos);
  CHECK(p.sections.front().text.find("<td>") == std::string::npos);
}

TEST_CASE("a byte-order mark before the front matter or heading is ignored", "[unit][page]") {
  const Page p = parse_page("\xEF\xBB\xBF---\ntitle: T\n---\n\xEF\xBB\xBF# H\ntext\n", SlugStyle::hugo, "en");
  CHECK(p.front.present);
  CHECK(p.title == "T");
}
