// The emulator's brain: workspace store, Web API, response_url hooks, control API and envelope delivery with
// acks and redelivery. No Beast here — sockets talk to the hub through `http_request`/`http_response` and the
// `link` interface, so every Slack rule is tested without a socket.
//
// Concurrency: the hub is shared by the I/O thread (sessions, timers) and the test thread (control calls), so
// every public member locks `mu_`. Links only queue work on their own strand, so calling them under the lock
// cannot deadlock.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blocks.hpp"
#include "rate_limiter.hpp"
#include "slack_emulator/emulator.hpp"

namespace slack_emulator::detail {

using nlohmann::json;

/// @brief A parsed HTTP request as the hub needs it.
struct http_request {
  std::string method;  ///< "GET", "POST", …
  std::string target;  ///< path + query
  std::string content_type;
  std::string authorization;
  std::string body;
};

/// @brief What the hub answers.
struct http_response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// @brief One Socket Mode connection as the hub sees it. Implementations are thread-safe: each call only
/// queues work on the connection's strand.
class link {
 public:
  virtual ~link() = default;
  virtual std::uint64_t id() const = 0;
  /// @brief Queue a text frame.
  virtual void send_text(std::string frame) = 0;
  /// @brief Send `disconnect` with `reason`; for every reason but "warning", close after `close_delay`.
  virtual void begin_disconnect(std::string reason, std::chrono::milliseconds close_delay) = 0;
  /// @brief Close at the TCP level without any message.
  virtual void drop() = 0;
  virtual void set_server_pings(bool enabled) = 0;
  virtual void set_answer_pings(bool enabled) = 0;
  /// @brief Arm `warning` and `refresh_requested` for this connection's lifetime.
  virtual void schedule_refresh(std::chrono::milliseconds lifetime) = 0;
};

/// @brief Writes one line per request/envelope to stderr; serialised so lines never interleave.
class line_logger {
 public:
  explicit line_logger(bool enabled) : enabled_(enabled) {}
  void log(const std::string& line);

 private:
  bool enabled_;
  std::mutex mu_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

class hub {
 public:
  hub(boost::asio::io_context& ioc, settings s);
  ~hub();

  /// @brief Base of every URL handed out ("https://127.0.0.1:PORT"). Set once the port is known.
  void set_origin(const std::string& origin);
  const settings& config() const { return cfg_; }
  line_logger& logger() { return log_; }

  /// @brief Route /api/*, /hooks/*, /_emulator/*.
  http_response handle_http(const http_request& req);

  /// @brief Validate the ticket of a WebSocket upgrade target (/link/?ticket=…). Returns false when the
  /// upgrade must be refused; sets `debug_reconnects` from the query.
  bool accept_ticket(const std::string& target, bool& debug_reconnects);
  /// @brief A connection finished its upgrade: send `hello` (or `too_many_websockets`), flush queued envelopes.
  void attach(const std::shared_ptr<link>& l, bool debug_reconnects);
  /// @brief Stop routing envelopes to `l` (it is closing or closed). Idempotent.
  void retire(std::uint64_t link_id);
  /// @brief A text frame from a client (an ack).
  void on_client_text(std::uint64_t link_id, const std::string& text);
  void on_client_ping();
  void on_client_pong();

  /// @brief Stop delivering: cancel ack timers and drop every connection (called before the I/O thread stops).
  void shutdown();

  /// @brief The control API (same ops over HTTP and in process).
  json control(const std::string& op, const json& args);
  counters stats() const;
  int open_connections() const;

 private:
  struct user_rec {
    json info;
  };
  struct ephemeral_rec {
    std::string user;
    json message;
  };
  struct channel_rec {
    std::string id, name, type;  // type: channel | group | im
    std::set<std::string> members;
    std::vector<json> messages;  // every message incl. thread replies, ordered by ts
    std::vector<ephemeral_rec> ephemerals;
  };
  struct hook_rec {
    std::string kind;  // commands | actions
    std::string channel, user, source_ts;
    bool source_ephemeral = false;
    int uses = 0;
    std::chrono::steady_clock::time_point created;
  };
  struct trigger_rec {
    std::chrono::steady_clock::time_point created;
    bool used = false;
    std::string user;
  };
  struct view_rec {
    json view;
    std::string user;
    std::string state = "open";  // open | closed
    json last_response_action;
  };
  struct pending_rec {
    json envelope;
    std::uint64_t link_id = 0;
    std::chrono::steady_clock::time_point sent;
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::size_t log_index = 0;
    bool timed_out = false;
  };
  struct injected_failure {
    int status;
    int remaining;
    int retry_after;
  };

  // --- helpers (all called with mu_ held)
  std::string next_ts();
  std::string new_id(const std::string& prefix, int len);
  std::string uuid();
  json error_json(const std::string& code) const;
  channel_rec* find_channel(const std::string& id);
  json* find_message(channel_rec& ch, const std::string& ts);
  json rich_text_blocks(const std::string& text);
  json bot_profile() const;
  bool subscribed(const std::string& channel_type) const;
  std::string channel_type_of(const channel_rec& ch) const;
  std::string dm_with(const std::string& user);

  // store + events
  json store_bot_message(channel_rec& ch, const json& fields, const std::string& thread_ts, bool broadcast);
  void thread_bookkeeping(channel_rec& ch, const std::string& thread_ts, const json& reply);
  void emit_message_event(channel_rec& ch, const json& message);
  void emit_event(json event);
  void deliver(json envelope);
  void send_now(json envelope, const std::shared_ptr<link>& l);
  std::shared_ptr<link> pick_link();
  void on_ack_timeout(const std::string& envelope_id);
  void process_ack(const std::string& envelope_id, const json& payload, bool has_payload);
  void apply_slash_ack(const json& envelope, const json& payload, std::size_t log_index);
  void apply_view_ack(const json& envelope, const json& payload, std::size_t log_index);
  json make_hook(const std::string& kind, const std::string& channel, const std::string& user,
                 const std::string& source_ts, bool source_ephemeral, std::string& trigger_id);

  // web api
  http_response api(const std::string& method, const http_request& req);
  http_response hooks(const std::string& path, const http_request& req);
  json api_post_message(json& args);
  json api_post_ephemeral(json& args);
  json api_update(json& args);
  json api_reactions_add(json& args);
  json api_replies(json& args, bool history);
  json api_users_info(json& args);
  json api_permalink(json& args);
  json api_views_open(json& args);
  json api_usergroups_users_list(json& args);
  std::optional<json> check_message_content(json& args, std::size_t max_blocks);

  // control ops
  json op_create_user(const json& a);
  json op_create_channel(const json& a);
  json op_post_message(const json& a);
  json op_slash_command(const json& a);
  json op_click_button(const json& a);
  json op_submit_view(const json& a);
  json op_force_disconnect(const json& a);

  boost::asio::io_context& ioc_;
  settings cfg_;
  std::shared_ptr<slack_emulator::clock> clock_;
  line_logger log_;
  mutable std::mutex mu_;
  std::string origin_;
  std::mt19937_64 rng_;
  rate_limiter limiter_;
  block_limits limits_;

  std::map<std::string, user_rec> users_;
  std::map<std::string, channel_rec> channels_;
  std::map<std::string, std::vector<std::string>> usergroups_;
  std::map<std::string, hook_rec> hooks_;  // key: path after /hooks/
  std::map<std::string, trigger_rec> triggers_;
  std::map<std::string, view_rec> views_;
  std::map<std::string, std::chrono::steady_clock::time_point> tickets_;
  std::map<std::string, injected_failure> failures_;
  std::int64_t last_ts_us_ = 0;
  int id_counter_ = 0;

  // socket mode
  std::vector<std::shared_ptr<link>> links_;  // routable, in attach order
  std::size_t round_robin_ = 0;
  std::deque<json> waiting_;  // envelopes with no connection to go to
  std::map<std::string, pending_rec> pending_;
  std::map<std::string, std::size_t> finished_;  // envelope id → log index, for late acks
  std::vector<std::unique_ptr<boost::asio::steady_timer>> retry_timers_;
  json envelope_log_ = json::array();
  counters counters_;
  bool server_pings_ = true;
  bool answer_pings_ = true;
  ack_mode ack_mode_ = ack_mode::normal;
  std::chrono::milliseconds ack_delay_{0};
  bool stopping_ = false;
};

}  // namespace slack_emulator::detail
