#pragma once
/// @file page.hpp
/// @brief Turns one Markdown file (MkDocs or Hugo flavoured) into a page with sections.
/// Front matter is parsed with yaml-cpp, Markdown with md4c; only the Hugo shortcode and
/// MkDocs admonition syntax that md4c does not know is rewritten before md4c sees the text.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace docbot::indexer {

enum class SlugStyle { hugo, mkdocs };

struct Section {
  int level = 1;                          ///< 1: page intro (before the first H2), 2: H2, 3: H3
  std::vector<std::string> heading_path;  ///< [H2] or [H2, H3]; empty for the intro
  std::string anchor;                     ///< "" for the intro
  bool explicit_anchor = false;           ///< came from a {#id}
  std::string text;                       ///< prose, inline code included, one space between blocks
  std::string code;                       ///< text of code blocks and inline code spans
};

/// Content signals used by the Diátaxis heuristics (see classify.hpp).
struct Signals {
  int ordered_items = 0;     ///< items of ordered lists
  int imperative_items = 0;  ///< ordered items whose first word is an imperative verb
  int table_rows = 0;
  int field_table_rows = 0;  ///< rows of tables whose header names fields/flags/options
  int code_blocks = 0;
  int words = 0;
  int why_words = 0;         ///< why / because / trade-off / rationale ... (en), なぜ / ため / 理由 (ja)
  bool says_tutorial = false;///< "In this tutorial", "you will learn", "このチュートリアル"
};

struct FrontMatter {
  bool present = false;
  std::optional<std::string> error;  ///< set when the YAML is broken (the page is kept, front matter ignored)
  int error_line = 0;                ///< 1-based line in the file, 0 when unknown
  std::map<std::string, std::string> scalars;  ///< top-level scalar keys
  bool render_false = false;         ///< Hugo `_build: {render: false|never}` or `headless: true`
};

struct Page {
  FrontMatter front;
  std::string title;                 ///< front matter title, else first H1, else first heading, else ""
  std::vector<Section> sections;
  std::vector<std::string> links;    ///< link destinations as written (for link checks)
  Signals signals;
};

/// @brief Splits a leading YAML front matter block off `content` and parses it.
/// `body_offset` receives where the Markdown body starts; `body_line` its 1-based line.
FrontMatter parse_front_matter(std::string_view content, std::size_t* body_offset, int* body_line);

/// @brief Rewrites Hugo shortcodes: keeps their human text, drops the syntax. Escaped
/// `{{</* x */>}}` examples become literal `{{< x >}}` text; Go templates `{{ .x }}` are untouched.
/// `lang` picks the labels for `{{% heading "whatsnext" %}}`.
std::string strip_shortcodes(std::string_view md, std::string_view lang);

/// @brief Rewrites MkDocs syntax md4c does not know: `!!! note "Title"` admonitions (their
/// 4-space indented body is dedented so it is not read as code), `> [!NOTE]` alert markers and
/// `{!path!}` include directives. Fenced code is left alone.
std::string rewrite_mkdocs(std::string_view md);

/// @brief Heading slug as the site generator makes it. `seen` holds the page's slugs so far,
/// for the -1/_1 suffixes both generators add to duplicates.
std::string make_slug(std::string_view heading, SlugStyle style, std::map<std::string, int>& seen);

/// @brief Parses a whole file's text (front matter + Markdown) into a Page. Never throws for
/// bad Markdown; broken front matter is reported in page.front.error.
Page parse_page(std::string_view content, SlugStyle style, std::string_view lang_hint);

}  // namespace docbot::indexer
