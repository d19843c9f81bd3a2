#pragma once
/// @file events.hpp
/// @brief Socket Mode frames → typed events, and acks. Pure functions: JSON in, JSON out, no sockets.
/// Wire reference: shared/slack/PROTOCOL.md §2–4, §7.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace docbot::bot::protocol {

/// @brief What a text frame from the Socket Mode server is.
enum class FrameKind {
  hello,       ///< first frame after connect
  disconnect,  ///< server asks us to reconnect (reason: warning, refresh_requested, link_disabled, …)
  envelope,    ///< events_api / slash_commands / interactive — must be acked
  unknown,     ///< valid JSON we do not know (logged, ignored); acked when it carries an envelope_id
  malformed,   ///< not JSON, not an object, or too big (logged, counted, ignored)
};

/// @brief A parsed frame. `payload` is only set for envelopes.
struct Frame {
  FrameKind kind = FrameKind::malformed;
  std::string type;          ///< envelope type ("events_api", …) or frame type ("hello", …)
  std::string envelope_id;   ///< present on envelopes (and sometimes on unknown frames)
  nlohmann::json payload;    ///< envelope payload
  int retry_attempt = 0;     ///< events_api only
  std::string retry_reason;  ///< events_api only
  bool accepts_response_payload = false;
  std::string disconnect_reason;        ///< disconnect only
  int approximate_connection_time = 0;  ///< hello only (seconds)
  std::string error;                    ///< why it is malformed / unknown
};

/// @brief Frames above this many bytes are rejected unparsed (a real envelope is a few kB).
inline constexpr std::size_t kMaxFrameBytes = 1 << 20;

/// @brief Parses one text frame. Never throws.
Frame parse_frame(std::string_view text, std::size_t max_bytes = kMaxFrameBytes);

/// @brief The ack for an envelope: `{"envelope_id": …}` plus `payload` when given (slash commands only).
std::string build_ack(std::string_view envelope_id, const nlohmann::json& payload = nullptr);

/// @brief A `message` or `app_mention` event (Events API, §3.2–3.3).
struct MessageEvent {
  std::string event_id;  ///< dedupe key (stable across retries)
  std::string type;      ///< "message" | "app_mention"
  std::string subtype;   ///< "" for plain human messages; bot_message, message_changed, channel_join, …
  std::string channel;
  std::string channel_type;  ///< channel | group | im | mpim ("" for app_mention)
  std::string user;
  std::string bot_id;  ///< set when a bot (including us) posted it
  std::string text;    ///< raw mrkdwn as delivered (entities encoded)
  std::string ts;
  std::string thread_ts;  ///< "" for top-level messages
  int retry_attempt = 0;
};

/// @brief A slash command (§4).
struct SlashCommand {
  std::string command;
  std::string text;
  std::string user_id;
  std::string user_name;
  std::string channel_id;
  std::string response_url;
  std::string trigger_id;
};

/// @brief One button click from a `block_actions` interaction (§7).
struct BlockAction {
  std::string user_id;
  std::string channel_id;
  std::string message_ts;  ///< the message carrying the button
  std::string thread_ts;   ///< its thread, when it is in one
  bool is_ephemeral = false;
  std::string response_url;
  std::string trigger_id;
  std::string action_id;
  std::string value;
};

/// @brief Anything else we receive but do not act on (kept for logs/metrics).
struct IgnoredEvent {
  std::string what;
  /// true: the envelope itself is broken (fields missing or of the wrong type) — logged as a warning and
  /// counted as malformed; false: a well-formed event the bot simply does not act on.
  bool malformed = false;
};

using Event = std::variant<MessageEvent, SlashCommand, BlockAction, IgnoredEvent>;

/// @brief Turns an envelope frame into a typed event. Missing/mistyped fields yield IgnoredEvent with a
/// reason.
Event to_event(const Frame& envelope);

}  // namespace docbot::bot::protocol
