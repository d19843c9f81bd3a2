#pragma once
/// @file classify.hpp
/// @brief Per-page decisions: Diátaxis type (and which rule decided), language, page kind.
#include <string>
#include <string_view>

#include "indexer/page.hpp"

namespace docbot::indexer {

struct TypeDecision {
  std::string type;  ///< tutorial | how-to | reference | explanation | "" (undecided)
  std::string rule;  ///< front-matter | path | heuristic | none
};

/// @brief Normalises a type word from any vocabulary (Diátaxis, Hugo content_type, common
/// synonyms) to a Diátaxis type, or "" when it names none (e.g. Hugo's "custom").
std::string normalise_type(std::string_view word);

/// @brief Decides the Diátaxis type, in this order: explicit front matter (`diataxis:`, `type:`,
/// Hugo `content_type:`), then path conventions (tutorials/, how-to/, tasks/, reference/,
/// concepts/ …), then content heuristics. `rel_path` is relative to the source root.
TypeDecision classify_type(const Page& page, std::string_view rel_path);

/// @brief Language: front matter `lang`/`language`, then a path segment or file suffix
/// (`ja/…`, `….ko.md`), then the script of the text.
std::string classify_language(const Page& page, std::string_view rel_path);

/// @brief "landing" for _index.md / index.md, "fragment" for pages the site never renders on
/// their own (headless, `_build.render: false`, `included/` snippets), else "page".
std::string classify_kind(const Page& page, std::string_view rel_path);

}  // namespace docbot::indexer
