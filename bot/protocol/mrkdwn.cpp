#include "bot/protocol/mrkdwn.hpp"

#include <vector>

namespace docbot::bot::protocol {
namespace {

constexpr std::string_view kEllipsis = "…";

/// Length in bytes of the UTF-8 sequence starting with @p lead (1 for invalid lead bytes).
std::size_t seq_len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

/// Splits @p s into whole code points (an invalid or cut sequence becomes one unit per byte).
std::vector<std::string_view> code_points(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = seq_len(static_cast<unsigned char>(s[i]));
    bool ok = i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (!ok) n = 1;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string_view escaped_unit(std::string_view cp) {
  if (cp == "&") return "&amp;";
  if (cp == "<") return "&lt;";
  if (cp == ">") return "&gt;";
  return cp;
}

/// Appends escaped @p raw to @p out while the budget (in code points) allows; returns false when cut.
bool append_escaped(std::string& out, std::string_view raw, std::size_t& budget) {
  for (std::string_view cp : code_points(raw)) {
    std::string_view e = escaped_unit(cp);
    const std::size_t cost = e.size() == cp.size() ? 1 : e.size();  // entities are pure ASCII
    if (cost > budget) return false;
    out.append(e);
    budget -= cost;
  }
  return true;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 5, "&amp;") == 0) {
      out += '&';
      i += 5;
    } else if (text.compare(i, 4, "&lt;") == 0) {
      out += '<';
      i += 4;
    } else if (text.compare(i, 4, "&gt;") == 0) {
      out += '>';
      i += 4;
    } else
      out += text[i++];
  }
  return out;
}

std::size_t char_count(std::string_view utf8) { return code_points(utf8).size(); }

std::string truncate_chars(std::string_view utf8, std::size_t max_chars) {
  auto cps = code_points(utf8);
  if (cps.size() <= max_chars) return std::string(utf8);
  std::string out;
  if (max_chars == 0) return out;
  for (std::size_t i = 0; i + 1 < max_chars; ++i) out.append(cps[i]);
  // Drop trailing whitespace before the ellipsis so "word …" reads as "word…".
  while (!out.empty() && is_space(out.back())) out.pop_back();
  out.append(kEllipsis);
  return out;
}

std::string escape_truncate(std::string_view raw, std::size_t max_chars) {
  std::string out;
  std::size_t budget = max_chars;
  if (append_escaped(out, raw, budget)) return out;
  // Cut: redo with room for the ellipsis so the total stays within max_chars.
  out.clear();
  budget = max_chars == 0 ? 0 : max_chars - 1;
  append_escaped(out, raw, budget);
  while (!out.empty() && is_space(out.back())) out.pop_back();
  if (max_chars > 0) out.append(kEllipsis);
  return out;
}

std::string snippet_to_mrkdwn(std::string_view markdown, std::size_t max_chars) {
  const std::string flat = squash_space(markdown);
  // Segments alternate plain / bold, split on "**". An unpaired trailing "**" makes its text plain.
  std::vector<std::pair<std::string, bool>> segs;
  std::size_t pos = 0;
  bool bold = false;
  while (true) {
    std::size_t next = flat.find("**", pos);
    if (next == std::string::npos) {
      segs.emplace_back(flat.substr(pos), false);
      break;
    }
    segs.emplace_back(flat.substr(pos, next - pos), bold);
    bold = !bold;
    pos = next + 2;
  }
  std::string out;
  if (max_chars < 2) return out;
  std::size_t budget = max_chars - 1;  // keep one for a possible ellipsis
  bool cut = false;
  for (auto& [text, is_bold] : segs) {
    // Slack's bold needs the markers glued to words: move surrounding spaces outside, drop stray '*'.
    std::string t;
    for (char c : text)
      if (c != '*') t += c;
    if (!is_bold || t.find_first_not_of(' ') == std::string::npos) {
      if (!append_escaped(out, t, budget)) {
        cut = true;
        break;
      }
      continue;
    }
    std::size_t b = t.find_first_not_of(' '), e = t.find_last_not_of(' ');
    if (!append_escaped(out, t.substr(0, b), budget)) {
      cut = true;
      break;
    }
    if (budget < 3) {
      cut = true;
      break;
    }             // '*' + one char + '*'
    budget -= 2;  // reserve both markers
    std::string inner;
    const bool whole = append_escaped(inner, t.substr(b, e - b + 1), budget);
    if (!inner.empty()) out += "*" + inner + "*";
    if (!whole) {
      cut = true;
      break;
    }
    if (!append_escaped(out, t.substr(e + 1), budget)) {
      cut = true;
      break;
    }
  }
  while (!out.empty() && is_space(out.back())) out.pop_back();
  if (cut) out.append(kEllipsis);
  return out;
}

std::string link_label(std::string_view raw, std::size_t max_chars) {
  std::string cleaned;
  for (char c : raw) cleaned += (c == '|' || c == '>' || c == '<') ? ' ' : c;
  return escape_truncate(squash_space(cleaned), max_chars);
}

std::string link_url(std::string_view url) {
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return {};
  std::string out;
  for (char c : url) {
    if (c == '|')
      out += "%7C";
    else if (c == ' ')
      out += "%20";
    else if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "%3C";
    else if (c == '>')
      out += "%3E";
    else
      out += c;
  }
  return out;
}

std::string squash_space(std::string_view s) {
  std::string out;
  bool pending = false;
  for (char c : s) {
    if (is_space(c)) {
      pending = !out.empty();
      continue;
    }
    if (pending) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

std::string question_from_text(std::string_view text, std::string_view bot_user_id) {
  std::string out;
  const std::string tag = "<@" + std::string(bot_user_id);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t p = bot_user_id.empty() ? std::string_view::npos : text.find(tag, i);
    if (p == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    const std::size_t end = text.find('>', p);
    const std::size_t after = p + tag.size();
    // Only the exact id (optionally "|name") counts, not a longer id sharing the prefix.
    if (end == std::string_view::npos || after >= text.size() || (text[after] != '>' && text[after] != '|')) {
      out.append(text.substr(i, after - i));
      i = after;
      continue;
    }
    out.append(text.substr(i, p - i));
    out += ' ';
    i = end + 1;
  }
  return squash_space(unescape(out));
}

}  // namespace docbot::bot::protocol
