#include "indexer/page.hpp"

#include <md4c.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "common/text.hpp"

namespace docbot::indexer {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// ---------------------------------------------------------------- Hugo shortcodes

/// Value of name="..." (or name='...') inside a shortcode's argument text.
std::string shortcode_arg(std::string_view args, std::string_view name) {
  for (std::size_t pos = 0; (pos = args.find(name, pos)) != std::string_view::npos; pos += name.size()) {
    if (pos > 0 && !std::isspace(static_cast<unsigned char>(args[pos - 1]))) continue;
    std::size_t i = pos + name.size();
    while (i < args.size() && args[i] == ' ') ++i;
    if (i >= args.size() || args[i] != '=') continue;
    ++i;
    while (i < args.size() && args[i] == ' ') ++i;
    if (i >= args.size()) return {};
    const char q = args[i];
    if (q == '"' || q == '\'' || q == '`') {
      const auto end = args.find(q, i + 1);
      if (end == std::string_view::npos) return {};
      return std::string(args.substr(i + 1, end - i - 1));
    }
    const auto end = args.find(' ', i);
    return std::string(args.substr(i, end == std::string_view::npos ? args.size() - i : end - i));
  }
  return {};
}

/// First positional argument: heading "whatsnext" -> whatsnext.
std::string first_positional(std::string_view args) {
  args = trim(args);
  if (args.empty()) return {};
  if (args.front() == '"' || args.front() == '\'') {
    const auto end = args.find(args.front(), 1);
    return std::string(args.substr(1, end == std::string_view::npos ? std::string_view::npos : end - 1));
  }
  return std::string(args.substr(0, args.find(' ')));
}

std::string heading_label(std::string_view key, std::string_view lang) {
  struct Label { std::string_view key, en, ja; };
  static constexpr std::array<Label, 9> kLabels{{
      {"whatsnext", "What's next", "次の項目"},
      {"prerequisites", "Before you begin", "始める前に"},
      {"objectives", "Objectives", "目標"},
      {"cleanup", "Cleaning up", "クリーンアップ"},
      {"synopsis", "Synopsis", "概要"},
      {"options", "Options", "オプション"},
      {"seealso", "See Also", "関連項目"},
      {"parentoptions", "Options inherited from parent commands", "親コマンドから継承されたオプション"},
      {"examples", "Examples", "例"},
  }};
  for (const auto& l : kLabels)
    if (l.key == key) return std::string(lang == "ja" ? l.ja : l.en);
  return std::string(key);
}

}  // namespace

std::string strip_shortcodes(std::string_view md, std::string_view lang) {
  std::string out;
  out.reserve(md.size());
  std::size_t i = 0;
  int skip_depth = 0;  // inside {{< comment >}}: drop everything
  while (i < md.size()) {
    const auto open = md.find("{{", i);
    if (open == std::string_view::npos) {
      if (!skip_depth) out.append(md.substr(i));
      break;
    }
    if (!skip_depth) out.append(md.substr(i, open - i));
    const std::size_t after = open + 2;
    const char kind = after < md.size() ? md[after] : '\0';
    if (kind != '<' && kind != '%') {  // Go template {{ .x }} or plain braces: literal text
      if (!skip_depth) out.append("{{");
      i = after;
      continue;
    }
    const std::string_view close_tok = kind == '<' ? ">}}" : "%}}";
    // Escaped example {{</* x */>}}: keep as literal shortcode text, never execute.
    if (md.substr(after + 1, 2) == "/*") {
      const auto end = md.find(kind == '<' ? "*/>}}" : "*/%}}", after + 3);
      if (end == std::string_view::npos) { if (!skip_depth) out.append(md.substr(open)); break; }
      if (!skip_depth) {
        out.append(kind == '<' ? "{{<" : "{{%");
        out.append(md.substr(after + 3, end - after - 3));
        out.append(kind == '<' ? ">}}" : "%}}");
      }
      i = end + 5;
      continue;
    }
    const auto close = md.find(close_tok, after + 1);
    if (close == std::string_view::npos) {  // unterminated: keep the rest as text
      if (!skip_depth) out.append(md.substr(open));
      break;
    }
    std::string_view inner = trim(md.substr(after + 1, close - after - 1));
    i = close + 3;
    bool closing = false;
    if (!inner.empty() && inner.front() == '/') { closing = true; inner = trim(inner.substr(1)); }
    if (!inner.empty() && inner.back() == '/') inner = trim(inner.substr(0, inner.size() - 1));  // self-closing
    const auto sp = inner.find_first_of(" \t\n");
    const std::string_view name = inner.substr(0, sp);
    const std::string_view args = sp == std::string_view::npos ? std::string_view{} : inner.substr(sp + 1);

    if (name == "comment") {
      skip_depth += closing ? -1 : 1;
      if (skip_depth < 0) skip_depth = 0;
      continue;
    }
    if (skip_depth) continue;
    if (closing) { out += ' '; continue; }
    if (name == "glossary_tooltip") {
      out += shortcode_arg(args, "text");
    } else if (name == "heading") {
      out += heading_label(first_positional(args), lang);
    } else if (name == "feature-state") {
      const auto state = shortcode_arg(args, "state");
      const auto ver = shortcode_arg(args, "for_k8s_version");
      if (!state.empty()) out += "FEATURE STATE: Kubernetes " + ver + " [" + state + "] ";
    } else if (name == "figure") {
      out += shortcode_arg(args, "caption");
    } else if (name == "tab") {
      const auto n = shortcode_arg(args, "name");
      if (!n.empty()) out += n + ": ";
    } else if (name == "note" || name == "caution" || name == "warning") {
      out += ' ';
    } else {
      // Paired wrappers (table, tabs, mermaid, highlight, details, alert …) keep their inner text,
      // which follows; link/variable/include shortcodes (ref, relref, param, skew, include,
      // code_sample, …) have no human text of their own here and are dropped.
      out += ' ';
    }
  }
  return out;
}

std::string rewrite_mkdocs(std::string_view md) {
  std::string out;
  out.reserve(md.size());
  std::string_view fence;  // non-empty while inside a fenced code block
  bool in_admonition = false;
  std::size_t pos = 0;
  while (pos <= md.size()) {
    auto nl = md.find('\n', pos);
    if (nl == std::string_view::npos) nl = md.size();
    std::string_view line = md.substr(pos, nl - pos);
    const bool last = nl >= md.size();
    pos = nl + 1;

    if (in_admonition) {
      if (starts_with(line, "    ")) line.remove_prefix(4);
      else if (starts_with(line, "\t")) line.remove_prefix(1);
      else if (!trim(line).empty()) in_admonition = false;
    }
    const std::string_view t = trim(line);
    if (!fence.empty()) {
      if (starts_with(t, fence)) fence = {};
    } else if (starts_with(t, "```") || starts_with(t, "~~~")) {
      fence = t.substr(0, 3);
    } else if (starts_with(line, "!!! ") || starts_with(line, "??? ") || starts_with(line, "???+ ")) {
      // !!! note "Title" -> the title (or the type) as a paragraph; the body is dedented.
      std::string_view rest = trim(line.substr(line.find(' ') + 1));
      const auto q = rest.find('"');
      std::string_view label = rest.substr(0, rest.find(' '));
      if (q != std::string_view::npos) {
        const auto q2 = rest.find('"', q + 1);
        label = rest.substr(q + 1, q2 == std::string_view::npos ? std::string_view::npos : q2 - q - 1);
      }
      out.append(label);
      out.append("\n\n");
      in_admonition = true;
      if (last) break;
      continue;
    } else if (starts_with(t, "> [!")) {
      // GitHub alert marker: "> [!NOTE]" -> "> Note:"
      const auto end = t.find(']');
      if (end != std::string_view::npos) {
        std::string kind = text::ascii_lower(t.substr(4, end - 4));
        if (!kind.empty()) kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
        out.append("> ").append(kind).append(":").append(t.substr(end + 1));
        out += '\n';
        if (last) break;
        continue;
      }
    } else if (starts_with(t, "{!") && t.size() > 3 && t.substr(t.size() - 2) == "!}") {
      out += '\n';  // markdown_include directive: the included file is indexed on its own
      if (last) break;
      continue;
    }
    out.append(line);
    if (last) break;
    out += '\n';
  }
  return out;
}

std::string make_slug(std::string_view heading, SlugStyle style, std::map<std::string, int>& seen) {
  std::string slug;
  if (style == SlugStyle::hugo) {
    // Hugo/goldmark "github" anchors: lowercase, letters/digits of any script, '-' and '_' kept,
    // spaces become '-', all other punctuation dropped, no collapsing.
    for (std::size_t i = 0; i < heading.size();) {
      const char32_t c = text::next_code_point(heading, i);
      if (c < 0x80) {
        const char a = static_cast<char>(c);
        if (std::isalnum(static_cast<unsigned char>(a)) || a == '_' || a == '-')
          slug += static_cast<char>(std::tolower(static_cast<unsigned char>(a)));
        else if (a == ' ') slug += '-';
      } else if (!(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F) &&
                 !(c >= 0xFF01 && c <= 0xFF0F) && c != 0xFF1A && c != 0xFF1F && c != 0xFFFD) {
        text::append_utf8(slug, c);  // letters of other scripts; general/CJK punctuation dropped
      }
    }
  } else {
    // Python-Markdown toc.slugify: ASCII only, drop non-word chars, lowercase, runs of
    // spaces/hyphens become one '-'.
    bool dash = false;
    for (std::size_t i = 0; i < heading.size();) {
      const char32_t c = text::next_code_point(heading, i);
      if (c >= 0x80) continue;
      const char a = static_cast<char>(c);
      if (std::isalnum(static_cast<unsigned char>(a)) || a == '_') {
        if (dash && !slug.empty()) slug += '-';
        dash = false;
        slug += static_cast<char>(std::tolower(static_cast<unsigned char>(a)));
      } else if (a == ' ' || a == '-' || a == '\t') {
        dash = true;
      }
    }
  }
  const int n = seen[slug]++;
  if (n > 0) slug += (style == SlugStyle::hugo ? "-" : "_") + std::to_string(n);
  return slug;
}

FrontMatter parse_front_matter(std::string_view content, std::size_t* body_offset, int* body_line) {
  FrontMatter fm;
  *body_offset = 0;
  *body_line = 1;
  if (!starts_with(content, "---")) return fm;
  const auto first_nl = content.find('\n');
  if (first_nl == std::string_view::npos || trim(content.substr(3, first_nl - 3)) != "") return fm;
  // Find the closing --- (or ...) line.
  std::size_t pos = first_nl + 1;
  int line = 2;
  std::size_t close_start = std::string_view::npos, close_end = 0;
  while (pos < content.size()) {
    auto nl = content.find('\n', pos);
    if (nl == std::string_view::npos) nl = content.size();
    const auto l = trim(content.substr(pos, nl - pos));
    if (l == "---" || l == "...") { close_start = pos; close_end = nl; break; }
    pos = nl + 1;
    ++line;
  }
  fm.present = true;
  if (close_start == std::string_view::npos) {
    fm.error = "front matter is not closed by a '---' line";
    fm.error_line = 1;
    return fm;  // body stays the whole file: nothing is lost
  }
  *body_offset = std::min(close_end + 1, content.size());
  *body_line = line + 1;
  const std::string yaml(content.substr(first_nl + 1, close_start - first_nl - 1));
  try {
    const YAML::Node root = YAML::Load(yaml);
    if (!root || root.IsNull()) return fm;
    if (!root.IsMap()) {
      fm.error = "front matter is not a YAML mapping";
      fm.error_line = 2;
      return fm;
    }
    for (const auto& kv : root) {
      const auto key = kv.first.as<std::string>("");
      if (kv.second.IsScalar()) fm.scalars[key] = kv.second.as<std::string>("");
      if (key == "headless" && kv.second.IsScalar() && kv.second.as<std::string>("") == "true")
        fm.render_false = true;
      if (key == "_build" && kv.second.IsMap() && kv.second["render"]) {
        const auto r = kv.second["render"].as<std::string>("");
        if (r == "false" || r == "never") fm.render_false = true;
      }
    }
  } catch (const YAML::Exception& e) {
    fm.error = e.msg;
    fm.error_line = e.mark.line >= 0 ? e.mark.line + 2 : 0;  // +1 for 1-based, +1 for the '---' line
    fm.scalars.clear();
  }
  return fm;
}

namespace {

constexpr std::array<std::string_view, 72> kImperatives{
    "add", "allow", "apply", "build", "change", "check", "choose", "click", "clone", "commit",
    "configure", "confirm", "connect", "copy", "create", "define", "delete", "deploy", "describe",
    "download", "edit", "enable", "disable", "ensure", "enter", "export", "find", "follow", "generate",
    "get", "go", "grant", "identify", "inspect", "install", "label", "launch", "list", "log", "look",
    "make", "merge", "modify", "navigate", "note", "open", "push", "read", "remove", "replace",
    "restart", "review", "roll", "run", "save", "scale", "select", "set", "specify", "start", "stop",
    "submit", "switch", "sync", "type", "update", "upgrade", "use", "verify", "wait", "watch", "write"};

bool is_imperative(std::string_view word) {
  const auto w = text::ascii_lower(word);
  return std::find(kImperatives.begin(), kImperatives.end(), w) != kImperatives.end();
}

/// Strips HTML tags from a raw HTML block, keeping text. Only used on md4c's MD_TEXT_HTML
/// (raw HTML that generated reference pages embed); Markdown itself is md4c's job.
void append_html_text(std::string& out, std::string_view html) {
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (in_tag) {
      if (c == '>') { in_tag = false; out += ' '; }
    } else if (c == '<') {
      in_tag = true;
    } else if (c == '&') {
      const auto semi = html.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 8) {
        const auto ent = html.substr(i, semi - i + 1);
        if (ent == "&amp;") out += '&';
        else if (ent == "&lt;") out += '<';
        else if (ent == "&gt;") out += '>';
        else if (ent == "&quot;") out += '"';
        else out += ' ';
        i = semi;
      } else {
        out += c;
      }
    } else {
      out += c;
    }
  }
}

struct Builder {
  SlugStyle style = SlugStyle::hugo;
  Page page;
  std::map<std::string, int> slugs;
  Section* cur = nullptr;
  std::string h2;                // current H2 heading text (for H3 paths)
  int heading_level = 0;         // >0 while inside a heading
  std::string heading_buf;
  int code_block_depth = 0;
  int html_block_depth = 0;
  int ol_depth = 0;
  bool li_first_word_pending = false;
  int table_depth = 0;
  bool in_thead = false;
  bool field_table = false;
  std::string thead_text;
  std::string first_heading;
  bool seen_h1 = false;
  std::string word_buf;  // for li first word

  Section& current() {
    if (!cur) {
      page.sections.push_back(Section{});
      cur = &page.sections.back();
    }
    return *cur;
  }

  void add_text(std::string_view s, bool code) {
    if (heading_level) { heading_buf.append(s); return; }
    if (table_depth && in_thead) thead_text.append(s);
    Section& sec = current();
    if (code) {
      sec.code.append(s);
      sec.code += ' ';
      if (code_block_depth) return;  // code blocks go to the code field only; inline code also reads as prose
    }
    sec.text.append(s);
    if (li_first_word_pending) {
      word_buf.append(s);
      const auto t = trim(word_buf);
      const auto sp = t.find_first_of(" \t\n.,:");
      if (sp != std::string_view::npos || t.size() > 20) {
        if (is_imperative(t.substr(0, sp))) ++page.signals.imperative_items;
        li_first_word_pending = false;
        word_buf.clear();
      }
    }
  }

  void finish_heading() {
    std::string h = text::squash_space(heading_buf);
    heading_buf.clear();
    const int level = heading_level;
    heading_level = 0;
    std::string explicit_id;
    // Explicit id: "Title {#custom-id}" (Hugo/kramdown/attr_list syntax).
    if (const auto b = h.rfind("{#"); b != std::string::npos && !h.empty() && h.back() == '}') {
      explicit_id = h.substr(b + 2, h.size() - b - 3);
      h = std::string(trim(std::string_view(h).substr(0, b)));
    }
    if (first_heading.empty()) first_heading = h;
    if (level == 1 && !seen_h1) {
      seen_h1 = true;
      if (page.title.empty()) page.title = h;
      return;
    }
    if (level == 2 || level == 3) {
      page.sections.push_back(Section{});
      cur = &page.sections.back();
      cur->level = level;
      if (level == 2) {
        h2 = h;
        cur->heading_path = {h};
      } else {
        cur->heading_path = h2.empty() ? std::vector<std::string>{h} : std::vector<std::string>{h2, h};
      }
      std::string slug = make_slug(explicit_id.empty() ? h : std::string_view(explicit_id), style, slugs);
      if (!explicit_id.empty()) slug = explicit_id;  // explicit ids are used verbatim
      cur->anchor = slug;
      cur->explicit_anchor = !explicit_id.empty();
      return;
    }
    // H1 after the first, H4–H6: part of the current section's text.
    if (level != 1 || seen_h1) make_slug(h, style, slugs);  // keeps later duplicate suffixes in step
    Section& sec = current();
    sec.text += ' ';
    sec.text += h;
    sec.text += ". ";
  }

  static int enter_block(MD_BLOCKTYPE type, void* detail, void* ud) {
    auto& b = *static_cast<Builder*>(ud);
    switch (type) {
      case MD_BLOCK_H: b.heading_level = static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level); break;
      case MD_BLOCK_CODE: ++b.code_block_depth; ++b.page.signals.code_blocks; break;
      case MD_BLOCK_HTML: ++b.html_block_depth; break;
      case MD_BLOCK_OL: ++b.ol_depth; break;
      case MD_BLOCK_LI:
        if (b.ol_depth) { ++b.page.signals.ordered_items; b.li_first_word_pending = true; b.word_buf.clear(); }
        break;
      case MD_BLOCK_TABLE: ++b.table_depth; b.field_table = false; b.thead_text.clear(); break;
      case MD_BLOCK_THEAD: b.in_thead = true; break;
      case MD_BLOCK_TR:
        if (!b.in_thead) {
          ++b.page.signals.table_rows;
          if (b.field_table) ++b.page.signals.field_table_rows;
        }
        break;
      default: break;
    }
    return 0;
  }

  static int leave_block(MD_BLOCKTYPE type, void*, void* ud) {
    auto& b = *static_cast<Builder*>(ud);
    switch (type) {
      case MD_BLOCK_H: b.finish_heading(); return 0;
      case MD_BLOCK_CODE: --b.code_block_depth; b.current().code += '\n'; return 0;
      case MD_BLOCK_HTML: --b.html_block_depth; break;
      case MD_BLOCK_OL: --b.ol_depth; break;
      case MD_BLOCK_LI:
        if (b.li_first_word_pending) {
          const auto t = trim(b.word_buf);
          if (!t.empty() && is_imperative(t.substr(0, t.find_first_of(" \t\n.,:"))))
            ++b.page.signals.imperative_items;
          b.li_first_word_pending = false;
        }
        break;
      case MD_BLOCK_TABLE: --b.table_depth; break;
      case MD_BLOCK_THEAD: {
        b.in_thead = false;
        const auto h = text::ascii_lower(b.thead_text);
        for (std::string_view k : {"field", "flag", "option", "parameter", "key", "default", "type",
                                   "value", "annotation", "label", "フィールド", "説明"})
          if (h.find(k) != std::string::npos) b.field_table = true;
        break;
      }
      default: break;
    }
    if (!b.heading_level) b.current().text += ' ';  // keep words of adjacent blocks apart
    return 0;
  }

  static int enter_span(MD_SPANTYPE type, void* detail, void* ud) {
    auto& b = *static_cast<Builder*>(ud);
    if (type == MD_SPAN_A) {
      const auto* a = static_cast<MD_SPAN_A_DETAIL*>(detail);
      b.page.links.emplace_back(a->href.text, a->href.size);
    }
    return 0;
  }
  static int leave_span(MD_SPANTYPE, void*, void*) { return 0; }

  static int on_text(MD_TEXTTYPE type, const MD_CHAR* s, MD_SIZE n, void* ud) {
    auto& b = *static_cast<Builder*>(ud);
    const std::string_view t(s, n);
    switch (type) {
      case MD_TEXT_NORMAL: b.add_text(t, false); break;
      case MD_TEXT_CODE: b.add_text(t, true); break;
      case MD_TEXT_BR: case MD_TEXT_SOFTBR: b.add_text(" ", false); break;
      case MD_TEXT_ENTITY: {
        if (t == "&amp;") b.add_text("&", false);
        else if (t == "&lt;") b.add_text("<", false);
        else if (t == "&gt;") b.add_text(">", false);
        else if (t == "&quot;") b.add_text("\"", false);
        else b.add_text(" ", false);
        break;
      }
      case MD_TEXT_HTML:
        // Inline raw HTML is markup only; an HTML block carries text worth indexing.
        if (b.html_block_depth && !b.heading_level) {
          std::string plain;
          append_html_text(plain, t);
          b.add_text(plain, false);
        }
        break;
      default: break;
    }
    return 0;
  }
};

}  // namespace

Page parse_page(std::string_view content, SlugStyle style, std::string_view lang_hint) {
  // Byte-order marks may stand before the front matter or before a heading: drop them all.
  std::string clean;
  clean.reserve(content.size());
  for (std::size_t i = 0; i < content.size(); ++i) {
    if (content.compare(i, 3, "\xEF\xBB\xBF") == 0) { i += 2; continue; }
    if (content[i] == '\r' && i + 1 < content.size() && content[i + 1] == '\n') continue;
    clean += content[i];
  }
  std::size_t body_off = 0;
  int body_line = 1;
  Builder b;
  b.style = style;
  b.page.front = parse_front_matter(clean, &body_off, &body_line);
  if (b.page.front.error) body_off = 0;  // broken front matter: index the body as written, lose nothing
  if (auto it = b.page.front.scalars.find("title"); it != b.page.front.scalars.end()) b.page.title = it->second;
  std::string lang(lang_hint);
  if (auto it = b.page.front.scalars.find("lang"); it != b.page.front.scalars.end()) lang = it->second;

  std::string md = strip_shortcodes(std::string_view(clean).substr(body_off), lang);
  md = rewrite_mkdocs(md);

  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_DIALECT_GITHUB;
  parser.enter_block = &Builder::enter_block;
  parser.leave_block = &Builder::leave_block;
  parser.enter_span = &Builder::enter_span;
  parser.leave_span = &Builder::leave_span;
  parser.text = &Builder::on_text;
  md_parse(md.data(), static_cast<MD_SIZE>(md.size()), &parser, &b);

  Page page = std::move(b.page);
  if (page.title.empty()) page.title = b.first_heading;
  // Normalise whitespace, drop an empty intro when real sections follow.
  for (auto& s : page.sections) {
    s.text = text::squash_space(s.text);
    s.code = text::squash_space(s.code);
  }
  if (page.sections.size() > 1 && page.sections.front().level == 1 && page.sections.front().text.empty() &&
      page.sections.front().code.empty())
    page.sections.erase(page.sections.begin());
  if (page.sections.empty()) page.sections.push_back(Section{});

  // Signals over the whole page.
  static constexpr std::array<std::string_view, 10> kWhyEn{"why", "because", "trade-off", "tradeoff", "rationale",
                                                           "background", "reason", "design", "instead of", "motivation"};
  static constexpr std::array<std::string_view, 5> kWhyJa{"なぜ", "理由", "ため", "背景", "トレードオフ"};
  for (const auto& s : page.sections) {
    const auto low = text::ascii_lower(s.text);
    int words = 0;
    bool in_word = false;
    for (char c : low) {
      const bool w = c != ' ';
      if (w && !in_word) ++words;
      in_word = w;
    }
    page.signals.words += words;
    for (auto k : kWhyEn)
      for (std::size_t p = 0; (p = low.find(k, p)) != std::string::npos; p += k.size()) ++page.signals.why_words;
    for (auto k : kWhyJa)
      for (std::size_t p = 0; (p = low.find(k, p)) != std::string::npos; p += k.size()) ++page.signals.why_words;
    if (low.find("in this tutorial") != std::string::npos || low.find("this tutorial") != std::string::npos ||
        low.find("you will learn") != std::string::npos || low.find("you'll learn") != std::string::npos ||
        low.find("このチュートリアル") != std::string::npos)
      page.signals.says_tutorial = true;
  }
  return page;
}

}  // namespace docbot::indexer
