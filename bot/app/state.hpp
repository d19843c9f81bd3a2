#pragma once
/// @file state.hpp
/// @brief Durable bot state in SQLite: each answer shown (so buttons can find it), feedback, escalations.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bot/protocol/texts.hpp"

struct sqlite3;

namespace docbot::bot {

/// @brief One answer the bot gave; button values carry its id.
struct AnswerRecord {
  std::string id;
  std::string surface;  ///< thread | ephemeral | console
  std::string channel;
  std::string thread_ts;    ///< the thread the answer lives in ("" for /docs)
  std::string question_ts;  ///< the asker's message ("" for /docs)
  std::string user;         ///< asker
  std::string question;
  nlohmann::json hits = nlohmann::json::array();  ///< [{title, section, type, url, snippet}]
  bool confident = false;
  protocol::Lang lang = protocol::Lang::en;  ///< reply language: follow-ups (buttons, digest) keep it
};

/// @brief SQLite-backed store. One connection guarded by a mutex (writes are tiny and rare).
class StateStore {
 public:
  /// @brief Opens/creates the database (":memory:" for tests). nullptr + *error on failure.
  static std::unique_ptr<StateStore> open(const std::string& path, std::string* error);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// @brief Stores a new answer and returns its id.
  std::string add_answer(const AnswerRecord& a);
  std::optional<AnswerRecord> answer(const std::string& id);
  /// @brief Records feedback: kind = solved | not_helpful | reason | escalated | shared.
  void add_feedback(const std::string& answer_id, const std::string& user, const std::string& kind,
                    const std::string& detail);
  /// @brief Feedback lines for the digest, oldest first ("Not helpful", "Why: outdated", …) in @p lang.
  std::vector<std::string> feedback_lines(const std::string& answer_id,
                                          protocol::Lang lang = protocol::Lang::en);
  /// @brief Whether @p answer_id has feedback of @p kind.
  bool has_feedback(const std::string& answer_id, const std::string& kind);
  /// @brief Records an escalation; returns false when this answer was already escalated (no double pings).
  bool mark_escalated(const std::string& answer_id, const std::string& reason);
  int count(const std::string& table);

 private:
  explicit StateStore(sqlite3* db) : db_(db) {}
  void exec(const std::string& sql);
  void migrate();
  std::mutex mu_;
  sqlite3* db_;
};

}  // namespace docbot::bot
