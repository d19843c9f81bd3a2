#pragma once
/// @file escalation.hpp
/// @brief Hand-over to a human, behind an interface: today a thread message mentioning the on-call people;
/// a later issue adds rotation, intake form and SLA clock behind the same call.
#include <string>
#include <vector>

#include "bot/app/state.hpp"
#include "bot/core/log.hpp"
#include "bot/core/web_api.hpp"

namespace docbot::bot {

/// @brief Everything the escalation needs to know.
struct EscalationCase {
  AnswerRecord answer;                ///< question, asker, what the bot suggested, where
  std::string reason;                 ///< not_confident | asked | not_helpful
  std::vector<std::string> feedback;  ///< what the asker said
  std::string response_url;           ///< fallback for /docs answers when the bot cannot post in the channel
};

class Escalator {
 public:
  virtual ~Escalator() = default;
  /// @brief Hands the case over; returns false when the message could not be delivered.
  virtual bool escalate(const EscalationCase& c) = 0;
};

/// @brief Posts the digest in the answer's thread (or channel, for /docs) mentioning users and/or a group.
class SlackEscalator final : public Escalator {
 public:
  SlackEscalator(WebApi& api, Log& log, std::vector<std::string> users, std::string usergroup)
      : api_(api), log_(log), users_(std::move(users)), group_(std::move(usergroup)) {}
  bool escalate(const EscalationCase& c) override;

 private:
  WebApi& api_;
  Log& log_;
  std::vector<std::string> users_;
  std::string group_;
};

}  // namespace docbot::bot
