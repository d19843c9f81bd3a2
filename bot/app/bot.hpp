#pragma once
/// @file bot.hpp
/// @brief The handlers: mention, `/docs`, inquiry channel auto-reply, buttons. Called on worker threads
/// after the envelope was acked; talk to Slack only through WebApi, so they test without sockets.
#include <string>

#include "bot/app/config.hpp"
#include "bot/app/docs.hpp"
#include "bot/app/escalation.hpp"
#include "bot/app/state.hpp"
#include "bot/core/limits.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/web_api.hpp"
#include "bot/protocol/events.hpp"

namespace docbot::bot {

/// @brief An answer composed for a question (pure data, reused by console mode).
struct Composed {
  search::Response response;
  std::vector<protocol::Hit> hits;
  bool confident = false;  ///< hits to show and search was confident
};

/// @brief Search + selection for a question: what to show, and whether it is good enough to show.
Composed compose(DocSearch& docs, const std::string& question, int max_results);

class Bot {
 public:
  Bot(const Config& config, DocSearch& docs, WebApi& api, StateStore& state, Escalator& escalator,
      Clock& clock, Log& log, Metrics& metrics);

  /// @brief Own identity from auth.test: events from this user/bot are never answered.
  void set_identity(std::string user_id, std::string bot_id);
  const std::string& user_id() const { return self_user_; }

  /// @brief Handles one event. Never throws (a bad event is logged and counted).
  void handle(const protocol::Event& event);

  /// @brief Search + selection for a question.
  Composed compose(const std::string& question);

 private:
  void on_message(const protocol::MessageEvent& m);
  void on_slash(const protocol::SlashCommand& c);
  void on_action(const protocol::BlockAction& a);
  void answer_in_thread(const std::string& channel, const std::string& thread_ts,
                        const std::string& question_ts, const std::string& user, const std::string& question);
  bool post(const std::string& channel, const std::string& thread_ts, const protocol::Message& m);
  bool respond(const std::string& response_url, const std::string& channel, const std::string& user,
               const protocol::Message& m, bool in_channel);
  void escalate(const AnswerRecord& a, const std::string& reason, const std::string& response_url);
  bool is_inquiry(const std::string& channel) const;
  /// Reply language for a search response (its detected language, or the configured default).
  protocol::Lang lang_for(const search::Response& r) const;

  const Config& cfg_;
  DocSearch& docs_;
  WebApi& api_;
  StateStore& state_;
  Escalator& escalator_;
  Log& log_;
  Metrics& metrics_;
  DedupeCache seen_;
  std::string self_user_, self_bot_;
  protocol::Lang default_lang_;
};

}  // namespace docbot::bot
