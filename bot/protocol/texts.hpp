#pragma once
/// @file texts.hpp
/// @brief Every bot-authored string, in English and Japanese, in one table. Pure data + pure functions.
///
/// Templates use `{1}`, `{2}` placeholders filled by fill(); callers pass arguments already escaped for
/// mrkdwn (user text never reaches a template unescaped). Adding a language = one more Texts table.
#include <initializer_list>
#include <string>
#include <string_view>

namespace docbot::bot::protocol {

/// @brief Reply language.
enum class Lang { en, ja };

/// @brief "ja" (also "ja-JP", "JA") → ja; anything else → en.
Lang lang_from_code(std::string_view code);
/// @brief "en" | "ja".
std::string_view lang_code(Lang l);

/// @brief The language of a reply: Japanese when the question is Japanese (search's detected
/// `Response::lang`) or the configured default is Japanese; English otherwise.
Lang reply_lang(std::string_view question_lang, Lang configured_default);

/// @brief One language's strings. Field comments give the placeholders.
struct Texts {
  // Answer (build_answer)
  const char* intro;          ///< {1} question
  const char* intro_shared;   ///< {1} sharer mention "<@U…>", {2} question
  const char* did_you_mean;   ///< {1} corrected query
  const char* fallback_head;  ///< {1} question
  // Diátaxis type labels
  const char* type_tutorial;
  const char* type_how_to;
  const char* type_reference;
  const char* type_explanation;
  const char* type_page;
  // Buttons
  const char* btn_share;
  const char* btn_solved;
  const char* btn_not_helpful;
  const char* btn_human;
  const char* btn_wrong_topic;
  const char* btn_incomplete;
  const char* btn_outdated;
  // Not confident (build_not_found)
  const char* not_found;            ///< {1} question — the one line
  const char* not_found_offer;      ///< appended when a Talk-to-a-human button follows (/docs)
  const char* not_found_escalated;  ///< appended when the on-call engineer was already asked
  // Feedback flow
  const char* ask_reason;
  const char* reason_wrong_topic;  ///< the reasons as they appear in notes and in the digest
  const char* reason_incomplete;
  const char* reason_outdated;
  const char* reason_thanks;  ///< {1} reason
  const char* solved_thanks;
  const char* escalated_note;  ///< after Talk to a human on a private /docs answer
  const char* expired;         ///< button on an answer the store no longer knows
  const char* empty_question;  ///< a mention with no question
  // /docs help
  const char* help_text;    ///< {1} command
  const char* help_blocks;  ///< {1} command
  // Escalation digest
  const char* esc_oncall_fallback;  ///< when no on-call ids are configured
  const char* esc_head;             ///< {1} mentions (with trailing space), {2} asker id, {3} why
  const char* esc_why_not_confident;
  const char* esc_why_not_helpful;
  const char* esc_why_asked;
  const char* esc_question;    ///< section heading
  const char* esc_suggested;   ///< section heading
  const char* esc_nothing;     ///< no suggestion (plain words, italicised by the builder)
  const char* esc_asker_said;  ///< section heading
  const char* esc_nothing_yet;
  const char* esc_plain_question;   ///< fallback-text label
  const char* esc_plain_suggested;  ///< fallback-text label
  const char* esc_plain_said;       ///< fallback-text label
  // Digest feedback lines
  const char* fb_not_helpful;
  const char* fb_reason;  ///< {1} reason
  const char* fb_solved;
};

/// @brief The table for @p l.
const Texts& texts(Lang l);

/// @brief Replaces `{1}`…`{9}` in @p tmpl with @p args (missing ones become ""). Pure.
std::string fill(std::string_view tmpl, std::initializer_list<std::string_view> args);

/// @brief Reason codes stored with "Not helpful" feedback (stable, language-neutral).
namespace reason {
inline constexpr const char* wrong_topic = "wrong_topic";
inline constexpr const char* incomplete = "incomplete";
inline constexpr const char* outdated = "outdated";
}  // namespace reason

/// @brief Human label of a reason code in @p l; older stores kept the English phrase itself, which is
/// mapped too; anything else is returned unchanged.
std::string reason_label(std::string_view code, Lang l);

/// @brief One digest line for a feedback row (kind: not_helpful | reason | solved); "" for kinds the digest
/// does not show (shared, escalated).
std::string feedback_line(std::string_view kind, std::string_view detail, Lang l);

}  // namespace docbot::bot::protocol
