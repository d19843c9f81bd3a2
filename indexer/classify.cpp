#include "indexer/classify.hpp"

#include <array>
#include <vector>

#include "common/text.hpp"

namespace docbot::indexer {
namespace {

std::vector<std::string_view> split_path(std::string_view p) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= p.size()) {
    auto end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    if (end > start) parts.push_back(p.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string_view file_name(std::string_view p) {
  const auto s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

}  // namespace

std::string normalise_type(std::string_view word) {
  const auto w = text::ascii_lower(word);
  if (w == "tutorial" || w == "tutorials" || w == "チュートリアル") return "tutorial";
  if (w == "how-to" || w == "howto" || w == "how-to-guide" || w == "how_to" || w == "guide" || w == "task" ||
      w == "tasks")
    return "how-to";
  if (w == "reference" || w == "tool-reference" || w == "api_reference" || w == "api-reference" ||
      w == "feature_gate" || w == "glossary")
    return "reference";
  if (w == "explanation" || w == "concept" || w == "concepts" || w == "discussion" || w == "background")
    return "explanation";
  return "";
}

TypeDecision classify_type(const Page& page, std::string_view rel_path) {
  // 1. Explicit front matter. `diataxis:` and `type:` name the type directly; Hugo's
  //    content_type maps concept→explanation, task→how-to, tool-reference→reference …
  //    Hugo's `concept` is also its archetype default, left on many task and reference pages
  //    (Kubernetes' ja/tasks/debug/debug-pods.md): where a path convention disagrees, the folder wins.
  const auto parts = split_path(rel_path);
  for (const char* key : {"diataxis", "type", "content_type"}) {
    const auto it = page.front.scalars.find(key);
    if (it == page.front.scalars.end()) continue;
    const auto t = normalise_type(it->second);
    if (t.empty()) continue;
    if (std::string_view(key) == "content_type" && text::ascii_lower(it->second) == "concept") {
      const auto by_path = classify_type(Page{}, rel_path);
      if (!by_path.type.empty() && by_path.type != t) return by_path;
    }
    return {t, "front-matter"};
  }
  // 2. Path conventions, nearest folder first (setup/tasks/x.md is a task).
  for (auto it = parts.rbegin() + (parts.empty() ? 0 : 1); it != parts.rend(); ++it) {
    const auto seg = text::ascii_lower(*it);
    if (seg == "tutorials" || seg == "tutorial" || seg == "getting-started" || seg == "learn")
      return {"tutorial", "path"};
    if (seg == "how-to" || seg == "howto" || seg == "how-tos" || seg == "how-to-guides" || seg == "guides" ||
        seg == "tasks" || seg == "task" || seg == "recipes" || seg == "troubleshooting" ||
        seg == "user-guide" || seg == "operator-manual" || seg == "admin-guide" || seg == "user-guides")
      return {"how-to", "path"};
    if (seg == "reference" || seg == "references" || seg == "commands" || seg == "server-commands" ||
        seg == "api" || seg == "glossary" || seg == "cli")
      return {"reference", "path"};
    if (seg == "concepts" || seg == "concept" || seg == "explanation" || seg == "explanations" ||
        seg == "architecture" || seg == "proposals" || seg == "discussion")
      return {"explanation", "path"};
  }
  // 3. Content heuristics, strongest signal first.
  const Signals& s = page.signals;
  if (s.says_tutorial) return {"tutorial", "heuristic"};
  if (s.imperative_items >= 3 && s.imperative_items * 2 >= s.ordered_items) return {"how-to", "heuristic"};
  if (s.field_table_rows >= 5 || (s.table_rows >= 10 && s.table_rows * 20 >= s.words)) return {"reference", "heuristic"};
  if (s.words >= 300 && s.why_words >= 3 && s.code_blocks <= 2) return {"explanation", "heuristic"};
  if (s.ordered_items >= 3 && s.code_blocks >= 2) return {"how-to", "heuristic"};
  return {"", "none"};
}

std::string classify_language(const Page& page, std::string_view rel_path) {
  for (const char* key : {"lang", "language", "locale"}) {
    const auto it = page.front.scalars.find(key);
    if (it != page.front.scalars.end() && !it->second.empty()) {
      auto l = text::ascii_lower(it->second);
      if (const auto dash = l.find_first_of("-_"); dash != std::string::npos) l = l.substr(0, dash);
      return l;
    }
  }
  static constexpr std::array<std::string_view, 12> kLangs{"en", "ja", "ko", "zh", "zh-cn", "zh-tw", "de",
                                                           "fr", "es", "pt-br", "it", "ru"};
  const auto name = file_name(rel_path);
  // MkDocs i18n by suffix: page.ko.md
  if (const auto dot = name.find('.'); dot != std::string_view::npos) {
    const auto rest = name.substr(dot + 1);
    const auto dot2 = rest.find('.');
    if (dot2 != std::string_view::npos)
      for (auto l : kLangs)
        if (rest.substr(0, dot2) == l) return std::string(l.substr(0, 2));
  }
  for (auto seg : split_path(rel_path))
    for (auto l : kLangs)
      if (seg == l) return std::string(l.substr(0, 2));
  std::string sample = page.title;
  for (const auto& s : page.sections) {
    sample += ' ';
    sample += s.text.substr(0, 2000);
    if (sample.size() > 4000) break;
  }
  return text::detect_language(sample);
}

std::string classify_kind(const Page& page, std::string_view rel_path) {
  const auto name = file_name(rel_path);
  if (name == "_index.md" || name == "index.md" || name == "_index.markdown" || name == "index.markdown" ||
      name.starts_with("index.") || name.starts_with("_index."))
    return "landing";
  if (page.front.render_false) return "fragment";
  for (auto seg : split_path(rel_path))
    if (seg == "included" || seg == "includes" || seg == "_includes") return "fragment";
  return "page";
}

}  // namespace docbot::indexer
