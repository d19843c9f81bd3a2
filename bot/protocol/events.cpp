#include "bot/protocol/events.hpp"

namespace docbot::bot::protocol {
namespace {

using nlohmann::json;

/// Reads a string field; numbers and missing fields give "" (Slack ids and ts are always strings).
std::string str(const json& o, const char* key) {
  if (!o.is_object()) return {};
  auto it = o.find(key);
  if (it == o.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

const json& obj(const json& o, const char* key) {
  static const json kNull;  // immutable, so not shared mutable state
  if (!o.is_object()) return kNull;
  auto it = o.find(key);
  return it == o.end() ? kNull : *it;
}

Event message_event(const Frame& f) {
  const json& p = f.payload;
  if (str(p, "type") != "event_callback")
    return IgnoredEvent{"events_api payload type '" + str(p, "type") + "'", str(p, "type").empty()};
  const json& e = obj(p, "event");
  if (!e.is_object()) return IgnoredEvent{"events_api without an event object", true};
  const std::string type = str(e, "type");
  if (type.empty()) return IgnoredEvent{"events_api event without a type", true};
  if (type != "message" && type != "app_mention") return IgnoredEvent{"event " + type};
  MessageEvent m;
  m.event_id = str(p, "event_id");
  m.type = type;
  m.subtype = str(e, "subtype");
  m.channel = str(e, "channel");
  m.channel_type = str(e, "channel_type");
  m.user = str(e, "user");
  m.bot_id = str(e, "bot_id");
  m.text = str(e, "text");
  m.ts = str(e, "ts");
  m.thread_ts = str(e, "thread_ts");
  m.retry_attempt = f.retry_attempt;
  if (m.event_id.empty() || m.channel.empty() || m.ts.empty())
    return IgnoredEvent{"event " + type + " without event_id/channel/ts", true};
  return m;
}

Event slash_command(const Frame& f) {
  const json& p = f.payload;
  SlashCommand c;
  c.command = str(p, "command");
  c.text = str(p, "text");
  c.user_id = str(p, "user_id");
  c.user_name = str(p, "user_name");
  c.channel_id = str(p, "channel_id");
  c.response_url = str(p, "response_url");
  c.trigger_id = str(p, "trigger_id");
  if (c.command.empty() || c.user_id.empty() || c.channel_id.empty())
    return IgnoredEvent{"slash command without command/user_id/channel_id", true};
  return c;
}

Event interactive(const Frame& f) {
  const json& p = f.payload;
  if (str(p, "type") != "block_actions")
    return IgnoredEvent{"interactive " + str(p, "type"), str(p, "type").empty()};
  const json& actions = obj(p, "actions");
  if (!actions.is_array() || actions.empty() || !actions[0].is_object())
    return IgnoredEvent{"block_actions without actions", true};
  BlockAction a;
  a.user_id = str(obj(p, "user"), "id");
  const json& c = obj(p, "container");
  a.channel_id = str(c, "channel_id");
  if (a.channel_id.empty()) a.channel_id = str(obj(p, "channel"), "id");
  a.message_ts = str(c, "message_ts");
  a.thread_ts = str(c, "thread_ts");
  if (a.thread_ts.empty()) a.thread_ts = str(obj(p, "message"), "thread_ts");
  const json& eph = obj(c, "is_ephemeral");
  a.is_ephemeral = eph.is_boolean() && eph.get<bool>();
  a.response_url = str(p, "response_url");
  a.trigger_id = str(p, "trigger_id");
  a.action_id = str(actions[0], "action_id");
  a.value = str(actions[0], "value");
  if (a.user_id.empty() || a.action_id.empty())
    return IgnoredEvent{"block_actions without user/action_id", true};
  return a;
}

}  // namespace

Frame parse_frame(std::string_view text, std::size_t max_bytes) {
  Frame f;
  if (text.size() > max_bytes) {
    f.error = "frame of " + std::to_string(text.size()) + " bytes exceeds " + std::to_string(max_bytes);
    return f;
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    f.error = "not JSON";
    return f;
  }
  if (!j.is_object()) {
    f.error = "not a JSON object";
    return f;
  }
  f.type = str(j, "type");
  f.envelope_id = str(j, "envelope_id");
  if (f.type == "hello") {
    f.kind = FrameKind::hello;
    const json& t = obj(obj(j, "debug_info"), "approximate_connection_time");
    if (t.is_number_integer()) f.approximate_connection_time = t.get<int>();
    return f;
  }
  if (f.type == "disconnect") {
    f.kind = FrameKind::disconnect;
    f.disconnect_reason = str(j, "reason");
    return f;
  }
  // The SDKs treat a frame as a request only with type, envelope_id and payload (PROTOCOL §2.4).
  const bool known = f.type == "events_api" || f.type == "slash_commands" || f.type == "interactive";
  const json& payload = obj(j, "payload");
  if (!known || f.envelope_id.empty() || !payload.is_object()) {
    f.kind = FrameKind::unknown;
    f.error = !known ? "unknown frame type '" + f.type + "'" : "envelope without envelope_id/payload";
    return f;
  }
  f.kind = FrameKind::envelope;
  f.payload = payload;
  if (const json& r = obj(j, "retry_attempt"); r.is_number_integer()) f.retry_attempt = r.get<int>();
  f.retry_reason = str(j, "retry_reason");
  if (const json& a = obj(j, "accepts_response_payload"); a.is_boolean())
    f.accepts_response_payload = a.get<bool>();
  return f;
}

std::string build_ack(std::string_view envelope_id, const nlohmann::json& payload) {
  json ack = {{"envelope_id", envelope_id}};
  if (!payload.is_null()) ack["payload"] = payload;
  return ack.dump();
}

Event to_event(const Frame& f) {
  if (f.kind != FrameKind::envelope) return IgnoredEvent{"not an envelope", true};
  if (f.type == "events_api") return message_event(f);
  if (f.type == "slash_commands") return slash_command(f);
  if (f.type == "interactive") return interactive(f);
  return IgnoredEvent{"envelope type " + f.type};
}

}  // namespace docbot::bot::protocol
