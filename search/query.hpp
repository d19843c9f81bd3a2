#pragma once
/// @file query.hpp
/// @brief Query understanding as pure functions: noise removal, language, Diátaxis intent,
/// symptom (pasted error) detection. No Xapian here, so it is cheap to unit-test.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "search/search.hpp"

namespace docbot::search {

/// @brief Removes Slack markup: user/group mentions (<@U1>, <!here>), channel refs keep their
/// name, links keep their label (or drop the bare URL), :emoji: codes, code fences/backticks.
std::string strip_slack_markup(std::string_view text);

/// @brief For long pasted logs/stack traces: keeps the human sentence(s) and the few lines that
/// carry an error, so a 20 KB paste becomes a short query. Short text is returned unchanged.
std::string condense_log(std::string_view text, std::size_t max_bytes = 600);

/// @brief Drops greetings and politeness ("hi", "thanks in advance", "お疲れ様です", "よろしくお願いします").
std::string strip_greetings(std::string_view text);

struct QueryAnalysis {
  std::string cleaned;              ///< what gets searched
  std::string lang;                 ///< en | ja
  std::optional<Intent> intent;     ///< from phrasing; a symptom implies how-to
  bool symptom = false;             ///< an error message / failing status is in the query
  std::vector<std::string> intent_words;  ///< phrases that only express intent (dropped from matching)
};

/// @brief Full analysis: markup → log condensing → greetings → language, intent, symptom.
QueryAnalysis analyse(std::string_view raw);

/// @brief Removes words that only express intent ("how do I", "what is", "とは", "方法") so they
/// do not dilute matching. Returns the text to match on.
std::string matching_text(const QueryAnalysis& qa);

}  // namespace docbot::search
