#pragma once
/// @file mrkdwn.hpp
/// @brief Slack mrkdwn text helpers: escaping, entity decoding, UTF-8-safe truncation. Pure functions.
#include <cstddef>
#include <string>
#include <string_view>

namespace docbot::bot::protocol {

/// @brief Escapes Slack's three control characters (`&` first, then `<`, `>`), nothing else.
/// Text echoed from users goes through this so `<!channel>` or `<@U…>` can never ping anyone.
std::string escape(std::string_view text);

/// @brief Decodes `&amp;` `&lt;` `&gt;` — incoming message text arrives encoded.
std::string unescape(std::string_view text);

/// @brief Number of Unicode code points (what Slack's length limits count); invalid bytes count as one each.
std::size_t char_count(std::string_view utf8);

/// @brief Cuts @p utf8 to at most @p max_chars code points on a character boundary; appends "…" (counted
/// in the limit) when something was cut.
std::string truncate_chars(std::string_view utf8, std::size_t max_chars);

/// @brief escape() then cut to at most @p max_chars code points of *escaped* text, never inside an entity
/// or a multi-byte character; appends "…" when cut (counted in the limit).
std::string escape_truncate(std::string_view raw, std::size_t max_chars);

/// @brief Converts a search snippet (Markdown `**bold**`) into safe mrkdwn (`*bold*`), escaping the text and
/// keeping the result within @p max_chars (bold markers stay balanced).
std::string snippet_to_mrkdwn(std::string_view markdown, std::size_t max_chars);

/// @brief Makes a link label safe: `|` and `>` cannot be escaped inside `<url|label>` reliably.
std::string link_label(std::string_view raw, std::size_t max_chars);

/// @brief Escapes a URL for use inside `<…>`; returns "" when it is not an http(s) URL.
std::string link_url(std::string_view url);

/// @brief Removes `<@BOTID>` mentions of the bot and trims whitespace; decodes entities.
std::string question_from_text(std::string_view text, std::string_view bot_user_id);

/// @brief Collapses runs of whitespace (incl. newlines) to one space and trims.
std::string squash_space(std::string_view s);

}  // namespace docbot::bot::protocol
