#pragma once
/// @file docs.hpp
/// @brief The bot's view of search: an interface (fakes in unit tests), the real index behind a mutex with
/// periodic reopen, and the pure selection of what to show.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bot/core/clock.hpp"
#include "bot/core/log.hpp"
#include "bot/core/metrics.hpp"
#include "bot/protocol/answer.hpp"
#include "search/search.hpp"

namespace docbot::bot {

/// @brief What /healthz says about the index.
struct IndexHealth {
  bool open = false;            ///< an index is open
  bool usable = false;          ///< it answers, has this schema and documents (search::Searcher::healthy)
  std::uint64_t documents = 0;  ///< document count (sections), 0 when unusable
  std::string detail;           ///< "<n> documents", or why it is unusable
  /// Seconds since the revision in use was opened or last picked up by a reopen; -1 when unknown.
  double seconds_since_reopen = -1;
  std::uint64_t reopens = 0;  ///< newer revisions picked up since start
};

/// @brief Answers a question from the docs.
class DocSearch {
 public:
  virtual ~DocSearch() = default;
  virtual search::Response search(const std::string& question) = 0;
  /// @brief Cheap, no query; safe to call from the health server's thread.
  virtual IndexHealth health() = 0;
};

/// @brief GET /healthz: 200 when the socket is connected and the index usable, else 503; the JSON says
/// which part is down. Pure.
struct HealthReport {
  int status = 503;
  nlohmann::json body;
};
HealthReport health_report(bool socket_connected, const IndexHealth& index);

/// @brief The on-disk index. Searcher is not thread-safe, so one mutex serialises queries (each takes a
/// few ms). reopen() runs at most once per interval, between queries, so an index update never fails an
/// answer.
class IndexSearch final : public DocSearch {
 public:
  IndexSearch(std::unique_ptr<search::Searcher> searcher, Clock& clock, Log& log, Metrics& metrics,
              std::chrono::milliseconds reopen_interval, int limit = 20);
  search::Response search(const std::string& question) override;
  IndexHealth health() override;
  /// @brief Checks for a new index revision now.
  bool reopen();

 private:
  std::mutex mu_;
  std::unique_ptr<search::Searcher> searcher_;
  Clock& clock_;
  Log& log_;
  Metrics& metrics_;
  std::chrono::milliseconds interval_;
  Clock::time_point next_check_;
  Clock::time_point revision_since_;  ///< when the revision in use was opened / picked up
  std::uint64_t reopens_ = 0;
  int limit_;
};

/// @brief Picks at most @p max results, one per page, ordered by Diátaxis type as the intent suggests:
/// a symptom or how-to question → how-to first, then reference, then one explanation; a reference question →
/// reference first; explanation/tutorial questions → that type first; no intent → by score.
std::vector<protocol::Hit> select_hits(const search::Response& r, std::size_t max);

}  // namespace docbot::bot
