// Public, embeddable interface of the docbot Slack emulator.
//
// The emulator serves Slack's Web API (HTTPS, /api/<method>), a Socket Mode endpoint (WSS, /link/?ticket=…),
// response_url hooks (/hooks/…) and a test control API (/_emulator/…) on one TLS port on 127.0.0.1.
// Everything Slack does not document (ping interval, retry schedule, close delays, …) is a field of
// `settings` (PROTOCOL.md Appendix A), never a constant; tests compress the timings through it.
//
// Thread-safety: every member function of `emulator` may be called from any thread while the server runs on its
// own background thread. No Boost.Beast/Asio/OpenSSL types appear in this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace slack_emulator {

/// @brief Time source for expiry rules and rate limits (response_url 30 min, trigger_id 3 s, token buckets).
/// Inject a manual clock in tests so those rules are checked without sleeping.
class clock {
 public:
  virtual ~clock() = default;
  /// @brief Monotonic time used for expiry and rate limiting.
  virtual std::chrono::steady_clock::time_point now() const = 0;
  /// @brief Wall time used for message `ts` and `event_time` values.
  virtual std::chrono::system_clock::time_point wall() const = 0;
};

/// @brief The real clocks.
class system_clock final : public clock {
 public:
  std::chrono::steady_clock::time_point now() const override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point wall() const override { return std::chrono::system_clock::now(); }
};

/// @brief A clock that only moves when told to; thread-safe.
class manual_clock final : public clock {
 public:
  manual_clock();
  std::chrono::steady_clock::time_point now() const override;
  std::chrono::system_clock::time_point wall() const override;
  /// @brief Move both clocks forward.
  void advance(std::chrono::milliseconds d);

 private:
  struct state;
  std::shared_ptr<state> state_;
};

/// @brief How an envelope is routed when several Socket Mode connections are open (each goes to exactly one).
enum class routing { round_robin, random };

/// @brief Which connection receives `too_many_websockets` when the connection cap is exceeded.
enum class over_cap_target { newest, oldest };

/// @brief Rate-limit bucket: `per_minute` sustained rate with a burst of `burst` calls.
struct rate_tier {
  double per_minute = 20;
  double burst = 20;
};

/// @brief Every tunable of the emulator. Defaults follow PROTOCOL.md; Appendix A "known unknowns" are here.
struct settings {
  // --- identity of the workspace and the app under test
  std::string team_id = "T0TEAM001";
  std::string team_domain = "example";
  std::string team_name = "Example Workspace";
  std::string app_id = "A0APP0001";
  std::string bot_id = "B0BOT0001";
  std::string bot_user_id = "U0BOT0001";
  std::string bot_name = "docs-bot";
  std::string bot_token = "xoxb-emulator-bot-token";
  std::string app_token = "xapp-1-A0APP0001-emulator-app-token";
  std::string verification_token = "verification-token";
  /// @brief Scopes granted to the bot token (missing ones give `missing_scope` with needed/provided).
  std::vector<std::string> bot_scopes = {"app_mentions:read", "chat:write", "commands", "channels:history",
                                         "groups:history", "im:history", "mpim:history", "reactions:write",
                                         "users:read", "usergroups:read"};
  /// @brief Event subscriptions (manifest `bot_events`).
  std::vector<std::string> bot_events = {"app_mention", "message.channels", "message.groups", "message.im"};

  // --- network
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0 = pick a free port
  /// @brief Where to write the CA certificate (PEM). Empty = a fresh temporary directory.
  std::string ca_file_out;

  // --- Socket Mode (§2)
  int max_connections = 10;
  over_cap_target too_many_target = over_cap_target::newest;
  routing envelope_routing = routing::round_robin;
  bool single_use_tickets = true;
  std::chrono::milliseconds ticket_ttl{std::chrono::seconds(60)};
  /// @brief hello.debug_info.approximate_connection_time and the refresh deadline of each connection.
  std::chrono::milliseconds connection_lifetime{std::chrono::seconds(18060)};
  /// @brief Lifetime when the URL carries `debug_reconnects=true`.
  std::chrono::milliseconds debug_connection_lifetime{std::chrono::seconds(360)};
  bool send_refresh_warning = true;                       ///< send `warning` before `refresh_requested`
  std::chrono::milliseconds refresh_warning_lead{10000};  ///< warning this long before refresh
  std::chrono::milliseconds disconnect_close_delay{1000};  ///< `disconnect` message → server close
  std::chrono::milliseconds server_ping_interval{10000};   ///< server Ping frames (Node requires < 30 s)
  std::chrono::milliseconds ack_timeout{3000};
  /// @brief Delay after each ack timeout before the events_api redelivery with retry_attempt 1, 2, 3, …
  std::vector<std::chrono::milliseconds> retry_delays = {std::chrono::milliseconds(1000),
                                                         std::chrono::milliseconds(60000),
                                                         std::chrono::milliseconds(300000)};
  bool renew_envelope_id_on_retry = true;
  bool block_actions_accepts_response_payload = false;

  // --- interactivity (§4, §7)
  int response_url_max_uses = 5;
  std::chrono::milliseconds response_url_ttl{std::chrono::minutes(30)};
  std::chrono::milliseconds trigger_id_ttl{3000};

  // --- rate limits (§5.2); keys "1".."4" are tiers, other keys are method names with their own bucket
  std::map<std::string, rate_tier> tiers = {
      {"1", {1, 10}}, {"2", {20, 20}}, {"3", {50, 50}}, {"4", {100, 100}}, {"special", {600, 600}}};
  bool rate_limits_enabled = true;
  rate_tier post_message_per_channel{60, 3};  ///< chat.postMessage ≈ 1/s per channel, small burst

  // --- determinism and time
  std::uint64_t seed = 42;                       ///< ids, tickets, random routing
  std::shared_ptr<slack_emulator::clock> clock;  ///< null = system clock
  bool log_to_stderr = true;                     ///< one line per request and per envelope
};

/// @brief Counters readable through the control API.
struct counters {
  std::uint64_t envelopes_sent = 0;      ///< every envelope frame written, including redeliveries
  std::uint64_t envelopes_acked = 0;     ///< envelopes acked before their timeout
  std::uint64_t redeliveries = 0;        ///< events_api redeliveries (retry_attempt > 0)
  std::uint64_t late_acks = 0;           ///< acks after the ack timeout
  std::uint64_t unknown_acks = 0;        ///< acks for envelope ids never sent
  std::uint64_t dropped_acks = 0;        ///< acks ignored because of `ack_mode::drop`
  std::uint64_t ack_timeouts = 0;        ///< envelopes whose ack did not come in time
  std::uint64_t slash_timeouts = 0;      ///< slash commands not acked in time (`operation_timeout`)
  std::uint64_t connections_opened = 0;  ///< WebSocket upgrades accepted
  std::uint64_t pings_received = 0;      ///< client Ping frames
  std::uint64_t pongs_received = 0;      ///< client Pong frames
  std::uint64_t api_calls = 0;
  std::uint64_t rate_limited = 0;  ///< 429 responses (natural and injected)
  std::uint64_t raw_frames_sent = 0;  ///< frames written by `send_raw`
  std::vector<double> ack_latencies_ms;
  std::map<std::string, std::uint64_t> api_calls_by_method;
};

/// @brief What the emulator does with incoming acks (to exercise the client's retry handling).
enum class ack_mode { normal, drop, delay };

/// @brief A running Slack emulator. Construct, `start()`, then point the client at `api_base_url()` with
/// `ca_file()` trusted.
class emulator {
 public:
  explicit emulator(settings s = {});
  ~emulator();  ///< stops the server and joins its thread
  emulator(const emulator&) = delete;
  emulator& operator=(const emulator&) = delete;

  /// @brief Generate the CA + server certificate, bind, and start the background thread. Throws on failure.
  void start();
  /// @brief Close every connection and stop the thread. Idempotent.
  void stop();

  /// @brief The bound TCP port.
  std::uint16_t port() const;
  /// @brief Path of the CA certificate (PEM) that signed the server certificate.
  std::string ca_file() const;
  /// @brief `https://127.0.0.1:<port>/api/` — the `slackApiUrl` for Slack's SDKs.
  std::string api_base_url() const;
  /// @brief `https://127.0.0.1:<port>/_emulator/` — the control API over HTTPS.
  std::string control_base_url() const;
  /// @brief The settings in effect.
  const settings& config() const;

  // ---------------------------------------------------------------- workspace set-up
  /// @brief Create a user; returns its id (U…).
  std::string create_user(const std::string& name, const std::string& real_name = "",
                          const std::string& email = "");
  /// @brief Create a public (or private) channel; returns its id (C… / G…). The bot joins when `bot_member`.
  std::string create_channel(const std::string& name, bool is_private = false,
                             const std::vector<std::string>& members = {}, bool bot_member = true);
  /// @brief Add a user (or the bot user) to a channel.
  void join_channel(const std::string& channel, const std::string& user);
  /// @brief The DM channel (D…) between `user` and the bot, created on first use.
  std::string open_dm(const std::string& user);

  // ---------------------------------------------------------------- acting as humans
  /// @brief Post as a human user (channel, thread when `thread_ts` is set, or DM). Emits the `message`
  /// event and, for a channel @-mention of the bot, `app_mention` too. Returns the message ts.
  std::string post_message(const std::string& user, const std::string& channel, const std::string& text,
                           const std::string& thread_ts = "");
  /// @brief Run a slash command; returns {"envelope_id","response_url","trigger_id"}.
  nlohmann::json run_slash_command(const std::string& user, const std::string& channel,
                                   const std::string& command, const std::string& text);
  /// @brief Click the button with `action_id` on a message (channel message or an ephemeral addressed to
  /// `user`); returns {"envelope_id","response_url","trigger_id"}. Throws if no such button exists.
  nlohmann::json click_button(const std::string& user, const std::string& channel, const std::string& message_ts,
                              const std::string& action_id);
  /// @brief Submit an open modal (views.open) with state values; returns {"envelope_id"}.
  nlohmann::json submit_view(const std::string& user, const std::string& view_id,
                             const nlohmann::json& values = nlohmann::json::object());

  // ---------------------------------------------------------------- reading state
  /// @brief Top-level messages of a channel, oldest first, as stored (thread parents carry reply counts).
  nlohmann::json history(const std::string& channel) const;
  /// @brief Thread parent followed by its replies, oldest first.
  nlohmann::json replies(const std::string& channel, const std::string& thread_ts) const;
  /// @brief Ephemeral messages shown to `user` in `channel` (from postEphemeral, ack payloads, response_url).
  nlohmann::json ephemerals(const std::string& channel, const std::string& user) const;
  /// @brief Every envelope sent, with attempt, connection, ack state, ack payload and latency.
  nlohmann::json envelopes() const;
  /// @brief Views opened with views.open and their last response_action.
  nlohmann::json views() const;
  /// @brief Snapshot of the counters.
  counters stats() const;
  /// @brief Number of Socket Mode connections that received `hello` and are not closing.
  int open_connections() const;
  /// @brief Wait until at least `n` connections are open; false on timeout.
  bool wait_for_connections(int n, std::chrono::milliseconds timeout) const;

  // ---------------------------------------------------------------- fault injection
  /// @brief Send `disconnect` with `reason` ("refresh_requested", "link_disabled", "warning",
  /// "too_many_websockets") to every open connection (or one, by index) and close after the configured delay.
  /// With `with_warning`, a `warning` disconnect precedes a `refresh_requested` by `refresh_warning_lead`.
  void force_disconnect(const std::string& reason = "refresh_requested", bool with_warning = false);
  /// @brief Close every WebSocket at the TCP level, without a `disconnect` message or Close frame.
  void drop_connections();
  /// @brief Answer the next `count` calls of `method` with `status` (429 adds Retry-After: `retry_after_s`).
  void inject_failure(const std::string& method, int status, int count = 1, int retry_after_s = 1);
  /// @brief Send @p text as one WebSocket text frame, verbatim (need not be JSON), to the open Socket Mode
  /// connection at @p index (attach order, 0 = oldest). Returns its connection id; throws when no such
  /// connection is open. The frame is not an envelope: no ack is expected and nothing is redelivered.
  std::uint64_t send_raw(const std::string& text, int index = 0);
  /// @brief Stop/resume sending server Pings.
  void set_server_pings(bool enabled);
  /// @brief Stop/resume answering client Pings. While off, the server's Pong frames are swallowed below the
  /// WebSocket (Beast answers pings by itself inside every read), so the client's pings go unanswered from the
  /// next one on; everything else — reading acks, envelopes, server pings — carries on. Pongs swallowed are
  /// not sent later.
  void set_answer_pings(bool enabled);
  /// @brief Handle acks normally, ignore them (`drop`), or process them `delay` late.
  void set_ack_mode(ack_mode mode, std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  /// @brief Reset counters (not the store).
  void reset_counters();

  /// @brief The control API, in process: same JSON operations as POST /_emulator/<op>.
  /// Returns {"ok":true,…} or {"ok":false,"error":…}.
  nlohmann::json control(const std::string& op, const nlohmann::json& args);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

/// @brief Serialise counters to JSON (same shape as GET /_emulator/counters).
nlohmann::json to_json(const counters& c);

}  // namespace slack_emulator
