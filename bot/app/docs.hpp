#pragma once
/// @file docs.hpp
/// @brief The bot's view of search: an interface (fakes in unit tests), the real index behind a mutex with
/// periodic reopen, and the pure selection of what to show.
#include <chrono>
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

/// @brief Answers a question from the docs.
class DocSearch {
 public:
  virtual ~DocSearch() = default;
  virtual search::Response search(const std::string& question) = 0;
  virtual bool healthy() const = 0;
};

/// @brief The on-disk index. Searcher is not thread-safe, so one mutex serialises queries (each takes a
/// few ms). reopen() runs at most once per interval, between queries, so an index update never fails an
/// answer.
class IndexSearch final : public DocSearch {
 public:
  IndexSearch(std::unique_ptr<search::Searcher> searcher, Clock& clock, Log& log, Metrics& metrics,
              std::chrono::milliseconds reopen_interval, int limit = 20);
  search::Response search(const std::string& question) override;
  bool healthy() const override { return true; }
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
  int limit_;
};

/// @brief Picks at most @p max results, one per page, ordered by Diátaxis type as the intent suggests:
/// a symptom or how-to question → how-to first, then reference, then one explanation; a reference question →
/// reference first; explanation/tutorial questions → that type first; no intent → by score.
std::vector<protocol::Hit> select_hits(const search::Response& r, std::size_t max);

}  // namespace docbot::bot
