#include "bot/app/docs.hpp"

#include <algorithm>
#include <set>

namespace docbot::bot {

IndexSearch::IndexSearch(std::unique_ptr<search::Searcher> searcher, Clock& clock, Log& log, Metrics& metrics,
                         std::chrono::milliseconds reopen_interval, int limit)
    : searcher_(std::move(searcher)),
      clock_(clock),
      log_(log),
      metrics_(metrics),
      interval_(reopen_interval),
      next_check_(clock.now() + reopen_interval),
      limit_(limit) {}

search::Response IndexSearch::search(const std::string& question) {
  std::lock_guard lock(mu_);
  const auto now = clock_.now();
  if (now >= next_check_) {
    next_check_ = now + interval_;
    if (searcher_->reopen()) {
      ++metrics_.index_reopens;
      log_.info("search", "picked up a new index revision");
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = searcher_->search(question, {limit_});
  metrics_.search_latency.observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return r;
}

bool IndexSearch::reopen() {
  std::lock_guard lock(mu_);
  const bool changed = searcher_->reopen();
  if (changed) ++metrics_.index_reopens;
  return changed;
}

std::vector<protocol::Hit> select_hits(const search::Response& r, std::size_t max) {
  max = std::min(max, protocol::kMaxResults);
  // One per page: the first (best-scored) section of each doc.
  std::vector<const search::Result*> pages;
  std::set<std::string> seen;
  for (const auto& res : r.results)
    if (seen.insert(res.doc).second) pages.push_back(&res);

  std::vector<std::string> order;  // type priority; types not listed keep score order after these
  if (r.symptom || r.intent == search::Intent::how_to)
    order = {"how-to", "reference", "explanation"};
  else if (r.intent == search::Intent::reference)
    order = {"reference", "how-to", "explanation"};
  else if (r.intent == search::Intent::explanation)
    order = {"explanation", "reference", "how-to"};
  else if (r.intent == search::Intent::tutorial)
    order = {"tutorial", "how-to", "reference"};

  auto rank = [&](const std::string& type) {
    auto it = std::find(order.begin(), order.end(), type);
    return it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
  };
  std::stable_sort(pages.begin(), pages.end(),
                   [&](auto* a, auto* b) { return rank(a->type) < rank(b->type); });

  std::vector<protocol::Hit> out;
  bool explanation_taken = false;
  for (const auto* p : pages) {
    if (out.size() >= max) break;
    // With a symptom, one explanation is enough: the asker needs the fix first.
    if (r.symptom && p->type == "explanation") {
      if (explanation_taken) continue;
      explanation_taken = true;
    }
    out.push_back({p->title, p->section, p->type, p->url, p->snippet});
  }
  return out;
}

}  // namespace docbot::bot
