#include "bot/app/docs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
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
      revision_since_(clock.now()),
      limit_(limit) {}

search::Response IndexSearch::search(const std::string& question) {
  std::lock_guard lock(mu_);
  const auto now = clock_.now();
  if (now >= next_check_) {
    next_check_ = now + interval_;
    if (searcher_->reopen()) {
      ++metrics_.index_reopens;
      ++reopens_;
      revision_since_ = now;
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
  if (changed) {
    ++metrics_.index_reopens;
    ++reopens_;
    revision_since_ = clock_.now();
  }
  return changed;
}

IndexHealth IndexSearch::health() {
  std::lock_guard lock(mu_);  // Searcher is not thread-safe; a health check waits for at most one query
  IndexHealth h;
  h.open = searcher_ != nullptr;
  h.reopens = reopens_;
  h.seconds_since_reopen = std::chrono::duration<double>(clock_.now() - revision_since_).count();
  if (!h.open) {
    h.detail = "no index open";
    return h;
  }
  h.usable = searcher_->healthy(&h.detail);
  // On success the detail starts with the document count (search.hpp contract).
  if (h.usable) h.documents = std::strtoull(h.detail.c_str(), nullptr, 10);
  return h;
}

HealthReport health_report(bool socket_connected, const IndexHealth& ix) {
  HealthReport r;
  const bool ok = socket_connected && ix.open && ix.usable;
  r.status = ok ? 200 : 503;
  nlohmann::json index = {{"status", !ix.open    ? "closed"
                                     : ix.usable ? "open"
                                                 : "unusable"},
                          {"documents", ix.documents},
                          {"detail", ix.detail},
                          {"reopens", ix.reopens}};
  // Whole milliseconds keep the JSON stable to read; null when the age is unknown.
  if (ix.seconds_since_reopen >= 0)
    index["seconds_since_reopen"] = std::round(ix.seconds_since_reopen * 1000) / 1000;
  else
    index["seconds_since_reopen"] = nullptr;
  r.body = {{"ok", ok}, {"socket", socket_connected ? "connected" : "disconnected"}, {"index", index}};
  return r;
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
