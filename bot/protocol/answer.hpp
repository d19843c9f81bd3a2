#pragma once
/// @file answer.hpp
/// @brief Block Kit messages the bot posts, built by pure functions. Every Slack limit (50 blocks, 3000 chars
/// per section text, 75 per button text, 2000 per button value, 150 per header) holds by construction:
/// each field is cut to a fixed budget on a character boundary, so no input can produce an invalid message.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/protocol/texts.hpp"

namespace docbot::bot::protocol {

// Budgets (code points). Section text = link (≤ kMaxUrl + kMaxLabel + 4) + type label + snippet ≤ 3000.
inline constexpr std::size_t kMaxBlocks = 50;
inline constexpr std::size_t kMaxSectionText = 3000;
inline constexpr std::size_t kMaxButtonValue = 2000;
inline constexpr std::size_t kMaxQuestionEcho = 300;
inline constexpr std::size_t kMaxLabel = 200;
inline constexpr std::size_t kMaxUrl = 1000;
inline constexpr std::size_t kMaxSnippet = 400;
inline constexpr std::size_t kMaxResults = 5;
inline constexpr std::size_t kMaxFallbackText = 3000;

/// @brief One suggested page section (already selected and ordered by the app layer).
struct Hit {
  std::string title;
  std::string section;  ///< heading path "A › B"; "" for the page intro
  std::string type;     ///< tutorial | how-to | reference | explanation | ""
  std::string url;      ///< deep link; not http(s) → shown as plain text
  std::string snippet;  ///< Markdown with **bold** matches
};

/// @brief Where an answer is shown; decides which buttons it carries.
enum class Surface {
  thread,     ///< mention / inquiry channel: Solved, Not helpful, Talk to a human
  ephemeral,  ///< `/docs`: Share in channel, Solved, Not helpful, Talk to a human
  shared,     ///< shared copy in the channel: no buttons
};

/// @brief Everything needed to render an answer.
struct Answer {
  std::string question;      ///< the user's question, raw (decoded) text
  std::string did_you_mean;  ///< corrected query, "" when none
  std::vector<Hit> hits;     ///< at most kMaxResults are shown
  std::string answer_id;     ///< state key carried in button values
  std::string shared_by;     ///< user id, Surface::shared only
  Lang lang = Lang::en;      ///< language of every bot-authored string
};

/// @brief A Slack message: fallback `text` + `blocks`.
struct Message {
  std::string text;
  nlohmann::json blocks = nlohmann::json::array();
};

/// @brief Action ids of the bot's buttons (shared by builder and handlers).
namespace action {
inline constexpr const char* solved = "docbot_solved";
inline constexpr const char* not_helpful = "docbot_not_helpful";
inline constexpr const char* human = "docbot_human";
inline constexpr const char* share = "docbot_share";
inline constexpr const char* reason_wrong_topic = "docbot_reason_wrong_topic";
inline constexpr const char* reason_incomplete = "docbot_reason_incomplete";
inline constexpr const char* reason_outdated = "docbot_reason_outdated";
}  // namespace action

/// @brief Human label of a Diátaxis type ("How-to guide", …); "" → "Page".
std::string type_label(const std::string& type, Lang lang = Lang::en);

/// @brief The answer with 1…5 results, "did you mean", feedback buttons and a plain-text fallback.
Message build_answer(const Answer& a, Surface surface);

/// @brief One line saying the docs do not cover it; used with an escalation (or a Talk-to-a-human button when
/// @p offer_human is set, for private `/docs` answers).
Message build_not_found(const std::string& question, const std::string& answer_id, bool offer_human,
                        Lang lang = Lang::en);

/// @brief "What was wrong?" with the three reasons as buttons.
Message build_ask_reason(const std::string& answer_id, Lang lang = Lang::en);

/// @brief A short plain reply (thanks, acknowledgements); escaped and cut to the section limit.
Message build_note(const std::string& text_mrkdwn_safe);

/// @brief `/docs help`.
Message build_help(const std::string& command, Lang lang = Lang::en);

/// @brief Everything a human needs to take over (PROTOCOL §6.3 mention syntax for people and groups).
struct Digest {
  std::string asker;                      ///< user id
  std::string question;                   ///< raw
  std::vector<Hit> suggested;             ///< what the bot showed (empty: nothing confident)
  std::vector<std::string> feedback;      ///< what the asker said, raw ("Not helpful: outdated", …)
  std::string reason;                     ///< not_confident | asked | not_helpful
  std::vector<std::string> oncall_users;  ///< U… ids
  std::string oncall_group;               ///< S… id, "" for none
  Lang lang = Lang::en;                   ///< the asker's language (the on-call team reads it in the thread)
};

/// @brief The escalation message: mentions on-call people/group and carries the digest.
Message build_escalation(const Digest& d);

/// @brief chat.postMessage body.
nlohmann::json post_message_body(const std::string& channel, const std::string& thread_ts, const Message& m);
/// @brief response_url body: ephemeral (default) or in_channel, optionally replacing the clicked message.
nlohmann::json response_url_body(const Message& m, bool in_channel, bool replace_original);

/// @brief Serialises JSON for the wire; invalid UTF-8 from users is replaced, never thrown on.
std::string dump(const nlohmann::json& j);

/// @brief Renders a message as terminal text (console mode): mrkdwn links become "label (url)", entities
/// are decoded, buttons are listed.
std::string render_text(const Message& m);

}  // namespace docbot::bot::protocol
