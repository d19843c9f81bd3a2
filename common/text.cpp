#include "common/text.hpp"

#include <algorithm>
#include <cctype>

namespace docbot::text {

std::size_t find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) { ++i; continue; }
    std::size_t len;
    char32_t cp;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and out-of-range values are invalid too.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return i;
    i += len;
  }
  return std::string_view::npos;
}

char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) { ++i; return c; }
  std::size_t len;
  char32_t cp;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
  else { ++i; return 0xFFFD; }
  if (i + len > s.size()) { i = s.size(); return 0xFFFD; }
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) { ++i; return 0xFFFD; }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::string_view truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t end = max_bytes;
  // Step back over continuation bytes so we never cut a code point in half.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

bool is_kana(char32_t c) {
  return (c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F);
}
bool is_hangul(char32_t c) {
  return (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F);
}
bool is_cjk(char32_t c) {
  return is_kana(c) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFFEF) ||
         (c >= 0x20000 && c <= 0x2FFFF);
}

std::string detect_language(std::string_view s) {
  std::size_t kana = 0, han = 0, hangul = 0, latin = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = next_code_point(s, i);
    if (is_kana(c)) ++kana;
    else if (is_hangul(c)) ++hangul;
    else if (is_cjk(c)) ++han;
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ++latin;
  }
  // Japanese text mixes in many Latin words (Pod, kubectl); one CJK char carries as much
  // meaning as ~3 Latin letters, so weigh them before comparing.
  if (hangul * 3 > latin && hangul > kana) return "ko";
  if (kana > 0 && (kana + han) * 3 >= latin / 4) return "ja";
  if (han > 0 && han * 3 > latin) return "zh";
  return "en";
}

std::vector<std::string> error_tokens(std::string_view code) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < code.size()) {
    while (i < code.size() && !std::isalnum(static_cast<unsigned char>(code[i]))) ++i;
    const std::size_t start = i;
    while (i < code.size() && (std::isalnum(static_cast<unsigned char>(code[i])) || code[i] == '_')) ++i;
    const std::string_view w = code.substr(start, i - start);
    if (w.size() < 3 || w.size() > 40) continue;
    int upper = 0, lower = 0, digit = 0;
    for (char c : w) {
      upper += std::isupper(static_cast<unsigned char>(c)) != 0;
      lower += std::islower(static_cast<unsigned char>(c)) != 0;
      digit += std::isdigit(static_cast<unsigned char>(c)) != 0;
    }
    const bool camel = upper >= 2 && lower >= 1 && std::isupper(static_cast<unsigned char>(w[0]));
    const bool alnum_mix = digit >= 1 && (upper + lower) >= 1 && !std::isdigit(static_cast<unsigned char>(w[0]));
    const bool shout = upper >= 4 && lower == 0 && digit == 0;
    const bool paren = start > 0 && code[start - 1] == '(' && i < code.size() && code[i] == ')' && upper == 1 &&
                       std::isupper(static_cast<unsigned char>(w[0])) && digit == 0;
    if (camel || alnum_mix || shout || paren) {
      auto low = ascii_lower(w);
      if (std::find(out.begin(), out.end(), low) == out.end()) out.push_back(std::move(low));
    }
  }
  return out;
}

bool is_failure_word(std::string_view w) {
  static constexpr std::string_view kMorphemes[] = {
      "err", "fail", "backoff", "kill", "denied", "forbidden", "invalid", "exceed", "timeout", "notfound",
      "unavailable", "refused", "unauthorized", "unknown", "crash", "evict", "oom", "x509", "nxdomain",
      "servfail", "panic", "unhealthy", "unschedulable", "insufficient", "conflict", "toomany", "expired"};
  for (auto m : kMorphemes)
    if (w.find(m) != std::string_view::npos) return true;
  return false;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::size_t find_word(std::string_view hay, std::string_view word, std::size_t from) {
  if (word.empty()) return std::string_view::npos;
  for (std::size_t p = from; (p = hay.find(word, p)) != std::string_view::npos; ++p) {
    const bool left = p == 0 || !std::isalnum(static_cast<unsigned char>(hay[p - 1]));
    const std::size_t e = p + word.size();
    const bool right = e >= hay.size() || !std::isalnum(static_cast<unsigned char>(hay[e]));
    if (left && right) return p;
  }
  return std::string_view::npos;
}

std::string squash_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

}  // namespace docbot::text
