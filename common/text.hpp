#pragma once
/// @file text.hpp
/// @brief UTF-8 and script helpers shared by the indexer, search and the bot.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace docbot::text {

/// @brief Offset of the first invalid UTF-8 byte, or npos when the whole string is valid.
std::size_t find_invalid_utf8(std::string_view s);

/// @brief Decodes one code point at s[i], advancing i; returns U+FFFD on a bad sequence.
char32_t next_code_point(std::string_view s, std::size_t& i);

/// @brief Appends code point c to out as UTF-8.
void append_utf8(std::string& out, char32_t c);

/// @brief Longest prefix of s with at most max_bytes bytes that ends on a code point boundary.
std::string_view truncate_utf8(std::string_view s, std::size_t max_bytes);

bool is_cjk(char32_t c);       ///< Han, Hiragana, Katakana (incl. half-width), CJK punctuation
bool is_kana(char32_t c);      ///< Hiragana or Katakana
bool is_hangul(char32_t c);

/// @brief Guesses the language of a text from its script: "ja" when kana appear (or CJK dominates),
/// "ko" for Hangul, "zh" for Han-only text, otherwise "en".
std::string detect_language(std::string_view s);

/// @brief Tokens that look machine-made, as error messages and statuses are: CamelCase
/// (CrashLoopBackOff, OOMKilled), letters+digits (x509), SHOUTING (NXDOMAIN), and a Capitalised
/// word in parentheses as kubectl prints reasons: (Forbidden). Returned lowercased, deduplicated.
std::vector<std::string> error_tokens(std::string_view text);

/// @brief True when a (lowercased) error token names a failure rather than a thing:
/// crashloopbackoff, errimagepull, oomkilled, x509, nxdomain — not configmap or statefulset.
bool is_failure_word(std::string_view lower_token);

/// @brief ASCII lowercase (leaves other bytes alone; enough for tokens like CrashLoopBackOff).
std::string ascii_lower(std::string_view s);

/// @brief Position of the first whole-word occurrence of `word` in `hay` at or after `from`
/// (neighbours are not ASCII letters/digits), or npos. Case-sensitive: lowercase both first.
std::size_t find_word(std::string_view hay, std::string_view word, std::size_t from = 0);

/// @brief Collapses runs of whitespace to one space and trims.
std::string squash_space(std::string_view s);

}  // namespace docbot::text
