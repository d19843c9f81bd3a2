#include "bot/core/metrics.hpp"

#include <sstream>

namespace docbot::bot {

void Histogram::observe(double seconds) {
  std::lock_guard lock(mu_);
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  ++buckets_[i];
  sum_ += seconds;
  ++count_;
}

std::uint64_t Histogram::count() const {
  std::lock_guard lock(mu_);
  return count_;
}

std::string Histogram::render(const std::string& name, const std::string& help) const {
  std::lock_guard lock(mu_);
  std::ostringstream o;
  o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " histogram\n";
  std::uint64_t cum = 0;
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cum += buckets_[i];
    o << name << "_bucket{le=\"" << kBounds[i] << "\"} " << cum << '\n';
  }
  cum += buckets_[kBounds.size()];
  o << name << "_bucket{le=\"+Inf\"} " << cum << '\n'
    << name << "_sum " << sum_ << '\n'
    << name << "_count " << count_ << '\n';
  return o.str();
}

std::string Metrics::render() const {
  std::ostringstream o;
  auto counter = [&](const char* name, const char* help, const std::atomic<std::uint64_t>& v) {
    o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " counter\n"
      << name << ' ' << v.load() << '\n';
  };
  counter("docbot_events_total", "Socket Mode envelopes received", events);
  counter("docbot_acks_total", "Envelopes acknowledged", acks);
  counter("docbot_duplicate_events_total", "Events dropped as duplicates (event_id or channel+ts)",
          duplicates);
  counter("docbot_malformed_frames_total", "Frames that were not valid envelopes", malformed);
  counter("docbot_replies_total", "Messages posted successfully", replies);
  counter("docbot_reply_errors_total", "Web API calls that failed after retries", reply_errors);
  counter("docbot_escalations_total", "Hand-overs to the on-call engineer", escalations);
  counter("docbot_reconnects_total", "Socket Mode connections opened after the first", reconnects);
  counter("docbot_dead_connections_total", "Connections declared dead by the pong watchdog",
          dead_connections);
  counter("docbot_rate_limited_total", "HTTP 429 responses from the Web API", rate_limited);
  counter("docbot_index_reopens_total", "Times a newer index revision was picked up", index_reopens);
  counter("docbot_feedback_solved_total", "Solved clicks", feedback_solved);
  counter("docbot_feedback_not_helpful_total", "Not helpful clicks", feedback_not_helpful);
  o << search_latency.render("docbot_search_latency_seconds", "Search latency per question");
  return o.str();
}

}  // namespace docbot::bot
