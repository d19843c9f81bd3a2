#include "hub.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <regex>
#include <sstream>

#include "http_util.hpp"

namespace slack_emulator::detail {

namespace {

constexpr std::size_t kMaxTextLength = 40000;  // Slack truncates/refuses beyond this (§6.2)
constexpr std::size_t kModalMaxBlocks = 100;

std::string arg_str(const json& args, const char* key) {
  if (!args.contains(key)) return "";
  const auto& v = args[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v.get<double>());
    return buf;
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return "";
}

bool arg_bool(const json& args, const char* key) {
  if (!args.contains(key)) return false;
  const auto& v = args[key];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number()) return v.get<double>() != 0;
  if (v.is_string()) return v == "true" || v == "1";
  return false;
}

/// Form-encoded clients (Node's WebClient) send objects as JSON strings; normalise them in place.
bool normalise_json_arg(json& args, const char* key) {
  if (!args.contains(key) || !args[key].is_string()) return true;
  const std::string s = args[key];
  if (s.empty()) {
    args.erase(key);
    return true;
  }
  json parsed = json::parse(s, nullptr, false);
  if (parsed.is_discarded()) return false;
  args[key] = std::move(parsed);
  return true;
}

bool valid_ts(const std::string& ts) {
  static const std::regex re("^[0-9]{1,10}\\.[0-9]{6}$");
  return std::regex_match(ts, re);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct method_info {
  std::string bucket;  // tier key or own name
  std::string scope;   // needed scope, "" = none (history methods decide per channel type)
  bool app_token = false;
};

const std::map<std::string, method_info>& methods() {
  // Tiers from PROTOCOL.md §5.2 (JAVA-SDK MethodsRateLimits).
  static const std::map<std::string, method_info> m = {
      {"apps.connections.open", {"1", "", true}},
      {"auth.test", {"special", ""}},
      {"chat.postMessage", {"special", "chat:write"}},
      {"chat.postEphemeral", {"4", "chat:write"}},
      {"chat.update", {"3", "chat:write"}},
      {"chat.getPermalink", {"special", ""}},
      {"reactions.add", {"3", "reactions:write"}},
      {"conversations.replies", {"3", ""}},
      {"conversations.history", {"3", ""}},
      {"users.info", {"4", "users:read"}},
      {"usergroups.users.list", {"2", "usergroups:read"}},
      {"views.open", {"4", ""}},
  };
  return m;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

void line_logger::log(const std::string& line) {
  if (!enabled_) return;
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char prefix[48];
  std::snprintf(prefix, sizeof prefix, "[slack-emu +%.3fs] ", t);
  std::lock_guard lock(mu_);
  std::cerr << prefix << line << '\n' << std::flush;
}

hub::hub(boost::asio::io_context& ioc, settings s)
    : ioc_(ioc),
      cfg_(std::move(s)),
      clock_(cfg_.clock ? cfg_.clock : std::make_shared<system_clock>()),
      log_(cfg_.log_to_stderr),
      rng_(cfg_.seed),
      limiter_(*clock_) {
  json bot = {{"id", cfg_.bot_user_id},
              {"team_id", cfg_.team_id},
              {"name", cfg_.bot_name},
              {"deleted", false},
              {"real_name", cfg_.bot_name},
              {"tz", "Europe/Berlin"},
              {"is_bot", true},
              {"is_app_user", false},
              {"profile",
               {{"display_name", cfg_.bot_name},
                {"real_name", cfg_.bot_name},
                {"bot_id", cfg_.bot_id},
                {"api_app_id", cfg_.app_id},
                {"team", cfg_.team_id}}}};
  users_[cfg_.bot_user_id] = {bot};
}

hub::~hub() = default;

void hub::shutdown() {
  std::lock_guard lock(mu_);
  stopping_ = true;
  for (auto& [id, p] : pending_) p.timer->cancel();
  for (auto& l : links_) l->drop();
  links_.clear();
}

void hub::set_origin(const std::string& origin) {
  std::lock_guard lock(mu_);
  origin_ = origin;
}

// ------------------------------------------------------------------------------------------------ helpers

std::string hub::next_ts() {
  const auto wall = clock_->wall();
  const std::int64_t us =
      std::chrono::duration_cast<std::chrono::microseconds>(wall.time_since_epoch()).count();
  last_ts_us_ = std::max(us, last_ts_us_ + 1);  // unique and monotonic even within one microsecond
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(last_ts_us_ / 1000000),
                static_cast<long long>(last_ts_us_ % 1000000));
  return buf;
}

std::string hub::new_id(const std::string& prefix, int len) {
  static constexpr char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  std::uniform_int_distribution<int> d(0, 35);
  std::string s = prefix;
  for (int i = 0; i < len; ++i) s += alphabet[d(rng_)];
  return s;
}

std::string hub::uuid() {
  std::uniform_int_distribution<int> d(0, 15);
  static constexpr char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23)
      s += '-';
    else if (i == 14)
      s += '4';
    else if (i == 19)
      s += hex[8 + d(rng_) % 4];
    else
      s += hex[d(rng_)];
  }
  return s;
}

json hub::error_json(const std::string& code) const { return {{"ok", false}, {"error", code}}; }

hub::channel_rec* hub::find_channel(const std::string& id) {
  auto it = channels_.find(id);
  return it == channels_.end() ? nullptr : &it->second;
}

json* hub::find_message(channel_rec& ch, const std::string& ts) {
  for (auto& m : ch.messages)
    if (m.value("ts", "") == ts) return &m;
  return nullptr;
}

json hub::rich_text_blocks(const std::string& text) {
  // What Slack clients attach to a typed message: one rich_text section, user mentions as `user` elements.
  json elements = json::array();
  static const std::regex mention("<@([UW][A-Z0-9]+)>");
  auto begin = std::sregex_iterator(text.begin(), text.end(), mention);
  std::size_t pos = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    if (static_cast<std::size_t>(it->position()) > pos)
      elements.push_back({{"type", "text"}, {"text", text.substr(pos, it->position() - pos)}});
    elements.push_back({{"type", "user"}, {"user_id", (*it)[1].str()}});
    pos = it->position() + it->length();
  }
  if (pos < text.size()) elements.push_back({{"type", "text"}, {"text", text.substr(pos)}});
  return json::array({{{"type", "rich_text"},
                       {"block_id", new_id("", 4)},
                       {"elements", json::array({{{"type", "rich_text_section"}, {"elements", elements}}})}}});
}

json hub::bot_profile() const {
  return {{"id", cfg_.bot_id},     {"app_id", cfg_.app_id},   {"name", cfg_.bot_name},
          {"deleted", false},      {"updated", 1607307935},   {"team_id", cfg_.team_id},
          {"icons", json::object()}};
}

std::string hub::channel_type_of(const channel_rec& ch) const { return ch.type; }

bool hub::subscribed(const std::string& channel_type) const {
  const std::string topic = channel_type == "channel" ? "message.channels"
                            : channel_type == "group" ? "message.groups"
                            : channel_type == "im"    ? "message.im"
                                                      : "message.mpim";
  return std::find(cfg_.bot_events.begin(), cfg_.bot_events.end(), topic) != cfg_.bot_events.end();
}

std::string hub::dm_with(const std::string& user) {
  for (auto& [id, ch] : channels_)
    if (ch.type == "im" && ch.members.count(user)) return id;
  std::string id = new_id("D", 10);
  channel_rec ch;
  ch.id = id;
  ch.name = id;
  ch.type = "im";
  ch.members = {user, cfg_.bot_user_id};
  channels_[id] = std::move(ch);
  return id;
}

// ------------------------------------------------------------------------------------------------ HTTP routing

http_response hub::handle_http(const http_request& req) {
  std::string path, query;
  split_target(req.target, path, query);
  http_response res;
  if (path.rfind("/api/", 0) == 0) {
    res = api(path.substr(5), req);
  } else if (path.rfind("/hooks/", 0) == 0) {
    res = hooks(path.substr(7), req);
  } else if (path.rfind("/_emulator/", 0) == 0) {
    json args = json::object();
    for (auto& [k, v] : parse_form(query)) args[k] = v;
    if (!req.body.empty()) {
      json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded() || !body.is_object()) {
        res.status = 400;
        res.body = error_json("invalid_json").dump();
        log_.log("control " + path + " -> 400 invalid_json");
        return res;
      }
      args.update(body);
    }
    json out = control(path.substr(11), args);
    res.status = out.value("ok", false) ? 200 : 400;
    res.body = out.dump();
  } else {
    res.status = 404;
    res.content_type = "text/plain";
    res.body = "not found";
    log_.log("http " + req.method + " " + req.target + " -> 404");
  }
  return res;
}

// ------------------------------------------------------------------------------------------------ Web API

http_response hub::api(const std::string& method, const http_request& req) {
  std::lock_guard lock(mu_);
  http_response res;
  ++counters_.api_calls;
  ++counters_.api_calls_by_method[method];
  auto finish = [&](const json& body, const std::string& note = "") {
    res.body = body.dump();
    std::string summary = body.value("ok", false) ? "ok" : body.value("error", "?");
    log_.log("api " + req.method + " " + method + " -> " + std::to_string(res.status) + " " + summary +
             (note.empty() ? "" : " (" + note + ")"));
    return res;
  };

  // Injected faults come first: they stand for Slack's edge failing before any logic runs.
  if (auto it = failures_.find(method); it != failures_.end() && it->second.remaining > 0) {
    --it->second.remaining;
    res.status = it->second.status;
    if (res.status == 429) {
      ++counters_.rate_limited;
      res.headers.emplace_back("Retry-After", std::to_string(it->second.retry_after));
      return finish(error_json("ratelimited"), "injected");
    }
    return finish(error_json("fatal_error"), "injected");
  }

  // Arguments: query string, then the body by content type.
  std::string path, query;
  split_target(req.target, path, query);
  json args = json::object();
  std::string body_token;
  for (auto& [k, v] : parse_form(query)) args[k] = v;
  const std::string ctype = lower(req.content_type);
  std::vector<std::string> warnings;
  bool json_body = false;
  if (ctype.rfind("application/json", 0) == 0) {
    json_body = true;
    if (ctype.find("charset") == std::string::npos) warnings.push_back("missing_charset");
    if (!req.body.empty()) {
      json body = json::parse(req.body, nullptr, false);
      if (body.is_discarded()) return finish(error_json("invalid_json"));
      if (!body.is_object()) return finish(error_json("json_not_object"));
      args.update(body);
    }
  } else if (ctype.rfind("application/x-www-form-urlencoded", 0) == 0) {
    if (ctype.find("charset") != std::string::npos) warnings.push_back("superfluous_charset");
    for (auto& [k, v] : parse_form(req.body)) args[k] = v;
  } else if (!req.body.empty()) {
    return finish(error_json("invalid_form_data"));
  }
  // JSON bodies must carry the token in the header ("Keeping up with the JSONs"); form/query may carry it.
  if (!json_body && args.contains("token") && args["token"].is_string()) body_token = args["token"];
  args.erase("token");

  auto mit = methods().find(method);
  if (mit == methods().end()) return finish(error_json("unknown_method"));
  const method_info& info = mit->second;

  std::string header_token;
  if (req.authorization.rfind("Bearer ", 0) == 0) header_token = req.authorization.substr(7);

  if (info.app_token) {
    if (req.method != "POST") return finish(error_json("invalid_post_type"), "POST only");
    if (header_token.empty()) return finish(error_json(body_token.empty() ? "not_authed" : "invalid_auth"),
                                            body_token.empty() ? "" : "token must be in the header");
    if (header_token.rfind("xapp-", 0) != 0) return finish(error_json("not_allowed_token_type"));
    if (header_token != cfg_.app_token) return finish(error_json("invalid_auth"));
  } else {
    const std::string token = header_token.empty() ? body_token : header_token;
    if (token.empty()) return finish(error_json("not_authed"));
    if (token.rfind("xapp-", 0) == 0) return finish(error_json("not_allowed_token_type"));
    if (token != cfg_.bot_token) return finish(error_json("invalid_auth"));
    res.headers.emplace_back("x-oauth-scopes", join(cfg_.bot_scopes, ","));
  }

  // Rate limits: per method per workspace; chat.postMessage per channel (§5.2).
  if (cfg_.rate_limits_enabled) {
    int retry_after = 0;
    if (method == "chat.postMessage") {
      retry_after = limiter_.acquire("chat.postMessage#" + arg_str(args, "channel"), cfg_.post_message_per_channel);
    } else {
      auto tier = cfg_.tiers.find(method);
      if (tier == cfg_.tiers.end()) tier = cfg_.tiers.find(info.bucket);
      if (tier != cfg_.tiers.end()) retry_after = limiter_.acquire(method, tier->second);
    }
    if (retry_after > 0) {
      ++counters_.rate_limited;
      res.status = 429;
      res.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return finish(error_json("ratelimited"), "Retry-After " + std::to_string(retry_after));
    }
  }

  if (!info.scope.empty() &&
      std::find(cfg_.bot_scopes.begin(), cfg_.bot_scopes.end(), info.scope) == cfg_.bot_scopes.end()) {
    json e = error_json("missing_scope");
    e["needed"] = info.scope;
    e["provided"] = join(cfg_.bot_scopes, ",");
    return finish(e);
  }

  json out;
  if (method == "apps.connections.open") {
    std::string ticket = uuid();
    tickets_[ticket] = clock_->now();
    std::string wss = origin_;
    wss.replace(0, 5, "wss");  // https → wss
    out = {{"ok", true}, {"url", wss + "/link/?ticket=" + ticket + "&app_id=" + cfg_.app_id}};
  } else if (method == "auth.test") {
    out = {{"ok", true},         {"url", "https://" + cfg_.team_domain + ".slack.com/"},
           {"team", cfg_.team_name}, {"user", cfg_.bot_name},
           {"team_id", cfg_.team_id}, {"user_id", cfg_.bot_user_id},
           {"bot_id", cfg_.bot_id},   {"is_enterprise_install", false}};
  } else if (method == "chat.postMessage") {
    out = api_post_message(args);
  } else if (method == "chat.postEphemeral") {
    out = api_post_ephemeral(args);
  } else if (method == "chat.update") {
    out = api_update(args);
  } else if (method == "chat.getPermalink") {
    out = api_permalink(args);
  } else if (method == "reactions.add") {
    out = api_reactions_add(args);
  } else if (method == "conversations.replies") {
    out = api_replies(args, false);
  } else if (method == "conversations.history") {
    out = api_replies(args, true);
  } else if (method == "users.info") {
    out = api_users_info(args);
  } else if (method == "usergroups.users.list") {
    out = api_usergroups_users_list(args);
  } else if (method == "views.open") {
    out = api_views_open(args);
  }
  if (!warnings.empty()) {
    out["warning"] = join(warnings, ",");
    out["response_metadata"]["warnings"] = warnings;
  }
  return finish(out);
}

std::optional<json> hub::check_message_content(json& args, std::size_t max_blocks) {
  if (!normalise_json_arg(args, "blocks")) return error_json("invalid_blocks_format");
  if (!normalise_json_arg(args, "attachments")) return error_json("invalid_attachments");
  const bool has_text = args.contains("text") && !arg_str(args, "text").empty();
  const bool has_blocks = args.contains("blocks") && args["blocks"].is_array() && !args["blocks"].empty();
  const bool has_attachments = args.contains("attachments") && args["attachments"].is_array() &&
                               !args["attachments"].empty();
  const bool has_markdown = args.contains("markdown_text") && !arg_str(args, "markdown_text").empty();
  if (!has_text && !has_blocks && !has_attachments && !has_markdown) return error_json("no_text");
  if (has_text && utf8_length(arg_str(args, "text")) > kMaxTextLength) return error_json("msg_too_long");
  if (has_markdown && (has_text || has_blocks)) return error_json("invalid_arguments");
  if (args.contains("blocks")) {
    block_limits lim = limits_;
    lim.max_blocks = max_blocks;
    if (auto err = validate_blocks(args["blocks"], lim)) {
      json e = error_json("invalid_blocks");
      e["errors"] = json::array({*err});
      e["response_metadata"]["messages"] = json::array({*err});
      return e;
    }
  }
  if (has_attachments && args["attachments"].size() > 100) return error_json("too_many_attachments");
  return std::nullopt;
}

json hub::store_bot_message(channel_rec& ch, const json& fields, const std::string& thread_ts, bool broadcast) {
  json msg = {{"type", "message"},   {"text", fields.value("text", "")}, {"user", cfg_.bot_user_id},
              {"bot_id", cfg_.bot_id}, {"app_id", cfg_.app_id},        {"ts", next_ts()},
              {"team", cfg_.team_id},  {"bot_profile", bot_profile()}};
  if (fields.contains("blocks") && fields["blocks"].is_array()) {
    msg["blocks"] = fields["blocks"];
    assign_block_ids(msg["blocks"], [this] { return new_id("", 4); });
  }
  if (fields.contains("attachments")) msg["attachments"] = fields["attachments"];
  if (fields.contains("markdown_text")) msg["text"] = fields["markdown_text"];
  if (fields.contains("metadata")) msg["metadata"] = fields["metadata"];
  if (!thread_ts.empty()) {
    msg["thread_ts"] = thread_ts;
    if (json* parent = find_message(ch, thread_ts)) msg["parent_user_id"] = parent->value("user", "");
    if (broadcast) {
      msg["subtype"] = "thread_broadcast";
      if (json* parent = find_message(ch, thread_ts)) msg["root"] = *parent;
    }
  }
  ch.messages.push_back(msg);
  if (!thread_ts.empty()) thread_bookkeeping(ch, thread_ts, msg);
  emit_message_event(ch, msg);
  return msg;
}

void hub::thread_bookkeeping(channel_rec& ch, const std::string& thread_ts, const json& reply) {
  json* parent = find_message(ch, thread_ts);
  if (!parent) return;
  (*parent)["thread_ts"] = thread_ts;
  (*parent)["reply_count"] = parent->value("reply_count", 0) + 1;
  json users = parent->value("reply_users", json::array());
  const std::string u = reply.value("user", "");
  if (std::find(users.begin(), users.end(), u) == users.end()) users.push_back(u);
  (*parent)["reply_users"] = users;
  (*parent)["reply_users_count"] = users.size();
  (*parent)["latest_reply"] = reply.value("ts", "");
}

json hub::api_post_message(json& args) {
  std::string channel = arg_str(args, "channel");
  if (channel.empty()) return error_json("channel_not_found");
  if (channel[0] == 'U' || channel[0] == 'W') {
    if (!users_.count(channel)) return error_json("channel_not_found");
    channel = dm_with(channel);
  }
  channel_rec* ch = find_channel(channel);
  if (!ch) return error_json("channel_not_found");
  if (!ch->members.count(cfg_.bot_user_id) &&
      std::find(cfg_.bot_scopes.begin(), cfg_.bot_scopes.end(), "chat:write.public") == cfg_.bot_scopes.end())
    return error_json("not_in_channel");
  if (auto err = check_message_content(args, limits_.max_blocks)) return *err;
  std::string thread_ts = arg_str(args, "thread_ts");
  if (!thread_ts.empty()) {
    // [INFER] Slack's behaviour for an unknown parent is undocumented; strict mode refuses it.
    json* parent = find_message(*ch, thread_ts);
    if (!parent) return error_json("thread_not_found");
    thread_ts = parent->value("thread_ts", thread_ts);  // a reply's ts resolves to its thread
  }
  json msg = store_bot_message(*ch, args, thread_ts, !thread_ts.empty() && arg_bool(args, "reply_broadcast"));
  json shown = msg;
  return {{"ok", true}, {"channel", ch->id}, {"ts", msg["ts"]}, {"message", shown}};
}

json hub::api_post_ephemeral(json& args) {
  channel_rec* ch = find_channel(arg_str(args, "channel"));
  if (!ch) return error_json("channel_not_found");
  const std::string user = arg_str(args, "user");
  if (!users_.count(user)) return error_json("user_not_found");
  if (!ch->members.count(user)) return error_json("user_not_in_channel");
  if (!ch->members.count(cfg_.bot_user_id)) return error_json("not_in_channel");
  if (auto err = check_message_content(args, limits_.max_blocks)) return *err;
  json msg = {{"type", "message"}, {"text", arg_str(args, "text")}, {"user", cfg_.bot_user_id},
              {"bot_id", cfg_.bot_id}, {"app_id", cfg_.app_id},   {"ts", next_ts()},
              {"is_ephemeral", true}};
  if (args.contains("blocks")) {
    msg["blocks"] = args["blocks"];
    assign_block_ids(msg["blocks"], [this] { return new_id("", 4); });
  }
  if (args.contains("attachments")) msg["attachments"] = args["attachments"];
  if (!arg_str(args, "thread_ts").empty()) msg["thread_ts"] = arg_str(args, "thread_ts");
  ch->ephemerals.push_back({user, msg});
  return {{"ok", true}, {"message_ts", msg["ts"]}};
}

json hub::api_update(json& args) {
  channel_rec* ch = find_channel(arg_str(args, "channel"));
  if (!ch) return error_json("channel_not_found");
  const std::string ts = arg_str(args, "ts");
  json* msg = find_message(*ch, ts);
  if (!msg) return error_json("message_not_found");
  if (msg->value("user", "") != cfg_.bot_user_id) return error_json("cant_update_message");
  if (auto err = check_message_content(args, limits_.max_blocks)) return *err;
  json previous = *msg;
  if (args.contains("text")) (*msg)["text"] = arg_str(args, "text");
  if (args.contains("blocks")) {
    (*msg)["blocks"] = args["blocks"];
    assign_block_ids((*msg)["blocks"], [this] { return new_id("", 4); });
  }
  if (args.contains("attachments")) (*msg)["attachments"] = args["attachments"];
  const std::string edit_ts = next_ts();
  (*msg)["edited"] = {{"user", cfg_.bot_user_id}, {"ts", edit_ts}};
  json updated = *msg;
  if (ch->members.count(cfg_.bot_user_id) && subscribed(ch->type)) {
    json ev = {{"type", "message"},      {"subtype", "message_changed"}, {"hidden", true},
               {"channel", ch->id},      {"channel_type", ch->type},     {"ts", edit_ts},
               {"event_ts", edit_ts},    {"message", updated},           {"previous_message", previous}};
    emit_event(ev);
  }
  return {{"ok", true}, {"channel", ch->id}, {"ts", ts}, {"text", updated.value("text", "")}, {"message", updated}};
}

json hub::api_reactions_add(json& args) {
  const std::string name = arg_str(args, "name");
  const std::string ts = arg_str(args, "timestamp");
  if (ts.empty() || arg_str(args, "channel").empty()) return error_json("no_item_specified");
  if (!valid_ts(ts)) return error_json("bad_timestamp");
  channel_rec* ch = find_channel(arg_str(args, "channel"));
  if (!ch) return error_json("channel_not_found");
  json* msg = find_message(*ch, ts);
  if (!msg) return error_json("message_not_found");
  static const std::regex emoji("^[a-z0-9_+'-]+(::skin-tone-[2-6])?$");
  if (name.empty() || !std::regex_match(name, emoji)) return error_json("invalid_name");
  json reactions = msg->value("reactions", json::array());
  for (auto& r : reactions) {
    if (r["name"] == name) {
      for (auto& u : r["users"])
        if (u == cfg_.bot_user_id) return error_json("already_reacted");
      r["users"].push_back(cfg_.bot_user_id);
      r["count"] = r["users"].size();
      (*msg)["reactions"] = reactions;
      return {{"ok", true}};
    }
  }
  reactions.push_back({{"name", name}, {"users", json::array({cfg_.bot_user_id})}, {"count", 1}});
  (*msg)["reactions"] = reactions;
  if (std::find(cfg_.bot_events.begin(), cfg_.bot_events.end(), "reaction_added") != cfg_.bot_events.end()) {
    const std::string ets = next_ts();
    emit_event({{"type", "reaction_added"},
                {"user", cfg_.bot_user_id},
                {"reaction", name},
                {"item_user", msg->value("user", "")},
                {"item", {{"type", "message"}, {"channel", ch->id}, {"ts", ts}}},
                {"event_ts", ets}});
  }
  return {{"ok", true}};
}

json hub::api_replies(json& args, bool history) {
  channel_rec* ch = find_channel(arg_str(args, "channel"));
  if (!ch) return error_json("channel_not_found");
  const std::string scope = ch->type == "channel" ? "channels:history"
                            : ch->type == "group" ? "groups:history"
                                                  : "im:history";
  if (std::find(cfg_.bot_scopes.begin(), cfg_.bot_scopes.end(), scope) == cfg_.bot_scopes.end()) {
    json e = error_json("missing_scope");
    e["needed"] = scope;
    e["provided"] = join(cfg_.bot_scopes, ",");
    return e;
  }
  if (!ch->members.count(cfg_.bot_user_id)) return error_json("not_in_channel");
  std::vector<json> list;
  if (history) {
    for (auto it = ch->messages.rbegin(); it != ch->messages.rend(); ++it) {
      const std::string tts = it->value("thread_ts", "");
      if (tts.empty() || tts == (*it)["ts"] || it->value("subtype", "") == "thread_broadcast") list.push_back(*it);
    }
  } else {
    const std::string ts = arg_str(args, "ts");
    json* parent = find_message(*ch, ts);
    if (!parent) return error_json("thread_not_found");
    const std::string root = parent->value("thread_ts", ts);
    json* root_msg = find_message(*ch, root);
    if (root_msg) list.push_back(*root_msg);
    for (auto& m : ch->messages)
      if (m.value("thread_ts", "") == root && m["ts"] != root) list.push_back(m);
  }
  std::size_t limit = history ? 100 : 1000;
  if (args.contains("limit")) {
    try {
      limit = std::clamp<long>(std::stol(arg_str(args, "limit")), 1, 1000);
    } catch (...) {
      return error_json("invalid_limit");
    }
  }
  std::size_t offset = 0;
  const std::string cursor = arg_str(args, "cursor");
  if (!cursor.empty()) {
    if (cursor.rfind("bmV4dF90czo", 0) != 0) return error_json("invalid_cursor");
    try {
      offset = std::stoul(cursor.substr(11));
    } catch (...) {
      return error_json("invalid_cursor");
    }
  }
  json messages = json::array();
  for (std::size_t i = offset; i < list.size() && messages.size() < limit; ++i) messages.push_back(list[i]);
  const bool more = offset + messages.size() < list.size();
  return {{"ok", true},
          {"messages", messages},
          {"has_more", more},
          {"response_metadata",
           {{"next_cursor", more ? "bmV4dF90czo" + std::to_string(offset + messages.size()) : ""}}}};
}

json hub::api_users_info(json& args) {
  auto it = users_.find(arg_str(args, "user"));
  if (it == users_.end()) return error_json("user_not_found");
  return {{"ok", true}, {"user", it->second.info}};
}

json hub::api_permalink(json& args) {
  channel_rec* ch = find_channel(arg_str(args, "channel"));
  if (!ch) return error_json("channel_not_found");
  const std::string ts = arg_str(args, "message_ts");
  json* msg = find_message(*ch, ts);
  if (!msg) return error_json("message_not_found");
  std::string p = ts;
  p.erase(std::remove(p.begin(), p.end(), '.'), p.end());
  std::string link = "https://" + cfg_.team_domain + ".slack.com/archives/" + ch->id + "/p" + p;
  const std::string tts = msg->value("thread_ts", "");
  if (!tts.empty() && tts != ts) link += "?thread_ts=" + tts + "&cid=" + ch->id;
  return {{"ok", true}, {"channel", ch->id}, {"permalink", link}};
}

json hub::api_usergroups_users_list(json& args) {
  auto it = usergroups_.find(arg_str(args, "usergroup"));
  if (it == usergroups_.end()) return error_json("no_such_subteam");
  return {{"ok", true}, {"users", it->second}};
}

json hub::api_views_open(json& args) {
  const std::string trigger = arg_str(args, "trigger_id");
  if (trigger.empty()) {
    json e = error_json("invalid_arguments");
    e["response_metadata"]["messages"] = json::array({"[ERROR] missing required field: trigger_id"});
    return e;
  }
  auto it = triggers_.find(trigger);
  if (it == triggers_.end()) return error_json("invalid_trigger_id");
  if (it->second.used) return error_json("exchanged_trigger_id");
  if (clock_->now() - it->second.created > cfg_.trigger_id_ttl) return error_json("expired_trigger_id");
  if (!normalise_json_arg(args, "view") || !args.contains("view") || !args["view"].is_object()) {
    json e = error_json("invalid_arguments");
    e["response_metadata"]["messages"] = json::array({"[ERROR] failed to parse view [json-pointer:/view]"});
    return e;
  }
  json view = args["view"];
  if (view.value("type", "") != "modal") {
    json e = error_json("invalid_arguments");
    e["response_metadata"]["messages"] = json::array({"[ERROR] must be modal [json-pointer:/view/type]"});
    return e;
  }
  if (view.contains("blocks")) {
    block_limits lim = limits_;
    lim.max_blocks = kModalMaxBlocks;
    if (auto err = validate_blocks(view["blocks"], lim)) {
      json e = error_json("invalid_arguments");
      e["response_metadata"]["messages"] = json::array({*err});
      return e;
    }
    assign_block_ids(view["blocks"], [this] { return new_id("", 4); });
  }
  if (view.dump().size() > 250 * 1024) return error_json("view_too_large");
  it->second.used = true;
  const std::string id = new_id("V", 10);
  view["id"] = id;
  view["team_id"] = cfg_.team_id;
  view["state"] = {{"values", json::object()}};
  view["hash"] = std::to_string(clock_->now().time_since_epoch().count() % 1000000000) + ".abc";
  view["root_view_id"] = id;
  view["previous_view_id"] = nullptr;
  view["app_id"] = cfg_.app_id;
  view["bot_id"] = cfg_.bot_id;
  if (!view.contains("private_metadata")) view["private_metadata"] = "";
  if (!view.contains("callback_id")) view["callback_id"] = "";
  views_[id] = {view, it->second.user, "open", nullptr};
  return {{"ok", true}, {"view", view}};
}

// ------------------------------------------------------------------------------------------------ response_url

json hub::make_hook(const std::string& kind, const std::string& channel, const std::string& user,
                    const std::string& source_ts, bool source_ephemeral, std::string& trigger_id) {
  const std::string key = kind + "/" + cfg_.team_id + "/" + new_id("", 11) + "/" + new_id("", 24);
  hooks_[key] = {kind, channel, user, source_ts, source_ephemeral, 0, clock_->now()};
  trigger_id = std::to_string(std::uniform_int_distribution<long long>(1000000000LL, 9999999999LL)(rng_)) + "." +
               std::to_string(std::uniform_int_distribution<long long>(1000000000LL, 9999999999LL)(rng_)) + "." +
               new_id("", 32);
  std::transform(trigger_id.begin(), trigger_id.end(), trigger_id.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  triggers_[trigger_id] = {clock_->now(), false, user};
  return origin_ + "/hooks/" + key;
}

http_response hub::hooks(const std::string& path, const http_request& req) {
  std::lock_guard lock(mu_);
  http_response res;
  res.content_type = "text/plain";
  auto reply = [&](int status, const std::string& body, const std::string& note = "") {
    res.status = status;
    res.body = body;
    log_.log("hook " + req.method + " /hooks/" + path + " -> " + std::to_string(status) + " " + body +
             (note.empty() ? "" : " (" + note + ")"));
    return res;
  };
  auto it = hooks_.find(path);
  if (it == hooks_.end()) return reply(404, "no_active_hooks");
  if (req.method != "POST") return reply(405, "invalid_method");
  hook_rec& h = it->second;
  if (clock_->now() - h.created > cfg_.response_url_ttl) return reply(404, "expired_url", "older than ttl");
  if (h.uses >= cfg_.response_url_max_uses) return reply(404, "expired_url", "use limit reached");
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return reply(400, "invalid_payload");
  ++h.uses;
  channel_rec* ch = find_channel(h.channel);
  if (!ch) return reply(404, "channel_not_found");

  if (h.kind == "actions" && arg_bool(body, "delete_original")) {
    if (h.source_ephemeral) {
      auto& e = ch->ephemerals;
      e.erase(std::remove_if(e.begin(), e.end(), [&](const ephemeral_rec& r) { return r.message["ts"] == h.source_ts; }),
              e.end());
    } else {
      auto& m = ch->messages;
      m.erase(std::remove_if(m.begin(), m.end(), [&](const json& x) { return x["ts"] == h.source_ts; }), m.end());
    }
    return reply(200, "ok", "deleted original");
  }
  if (auto err = check_message_content(body, limits_.max_blocks)) return reply(400, (*err)["error"]);
  if (h.kind == "actions" && arg_bool(body, "replace_original")) {
    json* target = nullptr;
    if (h.source_ephemeral) {
      for (auto& r : ch->ephemerals)
        if (r.message["ts"] == h.source_ts) target = &r.message;
    } else {
      target = find_message(*ch, h.source_ts);
    }
    if (!target) return reply(404, "message_not_found");
    (*target)["text"] = arg_str(body, "text");
    if (body.contains("blocks")) {
      (*target)["blocks"] = body["blocks"];
      assign_block_ids((*target)["blocks"], [this] { return new_id("", 4); });
    } else {
      target->erase("blocks");
    }
    return reply(200, "ok", "replaced original");
  }
  const std::string thread_ts = arg_str(body, "thread_ts");
  if (body.value("response_type", "ephemeral") == "in_channel") {
    store_bot_message(*ch, body, thread_ts, false);
    return reply(200, "ok", "posted in_channel");
  }
  json msg = {{"type", "message"}, {"text", arg_str(body, "text")}, {"user", cfg_.bot_user_id},
              {"bot_id", cfg_.bot_id}, {"ts", next_ts()}, {"is_ephemeral", true}};
  if (body.contains("blocks")) msg["blocks"] = body["blocks"];
  if (!thread_ts.empty()) msg["thread_ts"] = thread_ts;
  ch->ephemerals.push_back({h.user, msg});
  return reply(200, "ok", "posted ephemeral");
}

// ------------------------------------------------------------------------------------------------ Socket Mode

bool hub::accept_ticket(const std::string& target, bool& debug_reconnects) {
  std::lock_guard lock(mu_);
  std::string path, query;
  split_target(target, path, query);
  auto q = parse_form(query);
  debug_reconnects = q["debug_reconnects"] == "true";
  if (path != "/link/" && path != "/link") return false;
  auto it = tickets_.find(q["ticket"]);
  if (it == tickets_.end()) {
    log_.log("ws upgrade refused: unknown or used ticket");
    return false;
  }
  if (clock_->now() - it->second > cfg_.ticket_ttl) {
    tickets_.erase(it);
    log_.log("ws upgrade refused: expired ticket");
    return false;
  }
  if (cfg_.single_use_tickets) tickets_.erase(it);
  return true;
}

void hub::attach(const std::shared_ptr<link>& l, bool debug_reconnects) {
  std::lock_guard lock(mu_);
  ++counters_.connections_opened;
  if (static_cast<int>(links_.size()) >= cfg_.max_connections) {
    if (cfg_.too_many_target == over_cap_target::newest) {
      log_.log("conn#" + std::to_string(l->id()) + " over the cap of " + std::to_string(cfg_.max_connections) +
               " -> too_many_websockets");
      l->begin_disconnect("too_many_websockets", cfg_.disconnect_close_delay);
      return;
    }
    auto oldest = links_.front();
    links_.erase(links_.begin());
    log_.log("conn#" + std::to_string(oldest->id()) + " (oldest) -> too_many_websockets");
    oldest->begin_disconnect("too_many_websockets", cfg_.disconnect_close_delay);
  }
  links_.push_back(l);
  const auto lifetime = debug_reconnects ? cfg_.debug_connection_lifetime : cfg_.connection_lifetime;
  json hello = {{"type", "hello"},
                {"num_connections", links_.size()},
                {"connection_info", {{"app_id", cfg_.app_id}}},
                {"debug_info",
                 {{"host", "applink-emulator-" + std::to_string(l->id())},
                  {"build_number", 1},
                  {"approximate_connection_time",
                   std::chrono::duration_cast<std::chrono::seconds>(lifetime).count()}}}};
  l->send_text(hello.dump());
  log_.log("conn#" + std::to_string(l->id()) + " <- hello num_connections=" + std::to_string(links_.size()));
  l->set_server_pings(server_pings_);
  l->set_answer_pings(answer_pings_);
  l->schedule_refresh(lifetime);
  while (!waiting_.empty()) {
    json env = std::move(waiting_.front());
    waiting_.pop_front();
    send_now(std::move(env), pick_link());
  }
}

void hub::retire(std::uint64_t link_id) {
  std::lock_guard lock(mu_);
  links_.erase(std::remove_if(links_.begin(), links_.end(), [&](const auto& l) { return l->id() == link_id; }),
               links_.end());
}

int hub::open_connections() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(links_.size());
}

void hub::on_client_ping() {
  std::lock_guard lock(mu_);
  ++counters_.pings_received;
}

void hub::on_client_pong() {
  std::lock_guard lock(mu_);
  ++counters_.pongs_received;
}

std::shared_ptr<link> hub::pick_link() {
  if (links_.empty()) return nullptr;
  if (cfg_.envelope_routing == routing::random)
    return links_[std::uniform_int_distribution<std::size_t>(0, links_.size() - 1)(rng_)];
  return links_[round_robin_++ % links_.size()];
}

void hub::emit_message_event(channel_rec& ch, const json& message) {
  if (!ch.members.count(cfg_.bot_user_id) || !subscribed(ch.type)) return;
  json ev = message;
  ev["channel"] = ch.id;
  ev["channel_type"] = ch.type;
  ev["event_ts"] = message["ts"];
  emit_event(std::move(ev));
}

void hub::emit_event(json event) {
  const std::string event_id = new_id("Ev", 10);
  const auto secs =
      std::chrono::duration_cast<std::chrono::seconds>(clock_->wall().time_since_epoch()).count();
  json payload = {{"token", cfg_.verification_token},
                  {"team_id", cfg_.team_id},
                  {"api_app_id", cfg_.app_id},
                  {"event", event},
                  {"type", "event_callback"},
                  {"event_id", event_id},
                  {"event_time", secs},
                  {"authorizations",
                   json::array({{{"enterprise_id", nullptr},
                                 {"team_id", cfg_.team_id},
                                 {"user_id", cfg_.bot_user_id},
                                 {"is_bot", true},
                                 {"is_enterprise_install", false}}})},
                  {"is_ext_shared_channel", false},
                  {"event_context", "4-" + new_id("", 24)}};
  deliver({{"envelope_id", uuid()},
           {"type", "events_api"},
           {"accepts_response_payload", false},
           {"retry_attempt", 0},
           {"retry_reason", ""},
           {"payload", payload}});
}

void hub::deliver(json envelope) {
  if (stopping_) return;
  auto l = pick_link();
  if (!l) {
    log_.log("envelope " + envelope.value("type", "") + " id=" + envelope.value("envelope_id", "") +
             " queued: no open connection");
    waiting_.push_back(std::move(envelope));
    return;
  }
  send_now(std::move(envelope), l);
}

void hub::send_now(json env, const std::shared_ptr<link>& l) {
  const std::string eid = env["envelope_id"];
  const std::string type = env["type"];
  const int attempt = env.value("retry_attempt", 0);
  std::string what;
  json entry = {{"envelope_id", eid}, {"type", type}, {"connection", l->id()}, {"acked", false},
                {"timed_out", false}, {"late_ack", false}};
  if (type == "events_api") {
    entry["attempt"] = attempt;
    entry["event_id"] = env["payload"]["event_id"];
    entry["event_type"] = env["payload"]["event"].value("type", "");
    if (env["payload"]["event"].contains("subtype")) entry["event_subtype"] = env["payload"]["event"]["subtype"];
    what = "event=" + entry["event_type"].get<std::string>() + " event_id=" + entry["event_id"].get<std::string>() +
           " retry_attempt=" + std::to_string(attempt);
  } else if (type == "slash_commands") {
    entry["command"] = env["payload"]["command"];
    what = "command=" + entry["command"].get<std::string>();
  } else {
    entry["interaction"] = env["payload"].value("type", "");
    what = "interaction=" + entry["interaction"].get<std::string>();
  }
  entry["envelope"] = env;
  envelope_log_.push_back(entry);

  pending_rec rec;
  rec.envelope = env;
  rec.link_id = l->id();
  rec.sent = std::chrono::steady_clock::now();
  rec.log_index = envelope_log_.size() - 1;
  rec.timer = std::make_unique<boost::asio::steady_timer>(ioc_, cfg_.ack_timeout);
  rec.timer->async_wait([this, eid](const boost::system::error_code& ec) {
    if (ec) return;  // operation_aborted: the ack arrived and cancelled the timer
    std::lock_guard lock(mu_);
    on_ack_timeout(eid);
  });
  pending_[eid] = std::move(rec);
  ++counters_.envelopes_sent;
  if (attempt > 0) ++counters_.redeliveries;
  l->send_text(env.dump());
  log_.log("conn#" + std::to_string(l->id()) + " <- envelope " + type + " id=" + eid + " " + what);
}

void hub::on_ack_timeout(const std::string& eid) {
  auto it = pending_.find(eid);
  if (it == pending_.end()) return;
  json env = std::move(it->second.envelope);
  const std::size_t idx = it->second.log_index;
  pending_.erase(it);
  finished_[eid] = idx;
  envelope_log_[idx]["timed_out"] = true;
  ++counters_.ack_timeouts;
  const std::string type = env["type"];
  log_.log("envelope " + type + " id=" + eid + " not acked within " + std::to_string(cfg_.ack_timeout.count()) +
           " ms");
  if (type == "events_api") {
    const int attempt = env.value("retry_attempt", 0);
    if (attempt >= static_cast<int>(cfg_.retry_delays.size())) {
      log_.log("event " + env["payload"]["event_id"].get<std::string>() + " dropped after " +
               std::to_string(attempt) + " retries");
      return;
    }
    env["retry_attempt"] = attempt + 1;
    env["retry_reason"] = "timeout";
    if (cfg_.renew_envelope_id_on_retry) env["envelope_id"] = uuid();
    auto t = std::make_shared<boost::asio::steady_timer>(ioc_, cfg_.retry_delays[attempt]);
    t->async_wait([this, t, env = std::move(env)](const boost::system::error_code& ec) mutable {
      if (ec) return;  // io_context shutting down
      std::lock_guard lock(mu_);
      deliver(std::move(env));
    });
  } else if (type == "slash_commands") {
    // Slack shows the user an error and never retries a slash command (bolt-js#1727).
    ++counters_.slash_timeouts;
    const json& p = env["payload"];
    if (channel_rec* ch = find_channel(p.value("channel_id", ""))) {
      json msg = {{"type", "message"},
                  {"user", "USLACKBOT"},
                  {"text", p.value("command", "") + " failed with the error \"operation_timeout\""},
                  {"ts", next_ts()},
                  {"is_ephemeral", true}};
      ch->ephemerals.push_back({p.value("user_id", ""), msg});
    }
  }
}

void hub::on_client_text(std::uint64_t link_id, const std::string& text) {
  std::lock_guard lock(mu_);
  json msg = json::parse(text, nullptr, false);
  if (msg.is_discarded() || !msg.is_object() || !msg.contains("envelope_id") || !msg["envelope_id"].is_string()) {
    log_.log("conn#" + std::to_string(link_id) + " -> ignored frame (not an ack): " + text.substr(0, 200));
    return;
  }
  const std::string eid = msg["envelope_id"];
  const bool has_payload = msg.contains("payload");
  json payload = has_payload ? msg["payload"] : json(nullptr);
  log_.log("conn#" + std::to_string(link_id) + " -> ack id=" + eid +
           (has_payload ? " payload=" + payload.dump().substr(0, 200) : std::string(" (no payload)")));
  switch (ack_mode_) {
    case ack_mode::drop:
      ++counters_.dropped_acks;
      log_.log("ack id=" + eid + " dropped (ack_mode drop)");
      return;
    case ack_mode::delay: {
      auto t = std::make_shared<boost::asio::steady_timer>(ioc_, ack_delay_);
      t->async_wait([this, t, eid, payload, has_payload](const boost::system::error_code& ec) {
        if (ec) return;
        std::lock_guard lock(mu_);
        process_ack(eid, payload, has_payload);
      });
      return;
    }
    case ack_mode::normal:
      process_ack(eid, payload, has_payload);
  }
}

void hub::process_ack(const std::string& eid, const json& payload, bool has_payload) {
  auto it = pending_.find(eid);
  if (it == pending_.end()) {
    if (auto f = finished_.find(eid); f != finished_.end()) {
      ++counters_.late_acks;
      envelope_log_[f->second]["late_ack"] = true;
      log_.log("ack id=" + eid + " is late; accepted silently");
    } else {
      ++counters_.unknown_acks;
      log_.log("ack id=" + eid + " matches no envelope; ignored");
    }
    return;
  }
  pending_rec rec = std::move(it->second);
  pending_.erase(it);
  finished_[eid] = rec.log_index;
  rec.timer->cancel();
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - rec.sent).count();
  ++counters_.envelopes_acked;
  counters_.ack_latencies_ms.push_back(ms);
  json& entry = envelope_log_[rec.log_index];
  entry["acked"] = true;
  entry["ack_latency_ms"] = ms;
  entry["ack_payload"] = has_payload ? payload : json(nullptr);
  const std::string type = rec.envelope["type"];
  const bool non_empty = has_payload && payload.is_object() && !payload.empty();
  if (type == "slash_commands") {
    apply_slash_ack(rec.envelope, has_payload ? payload : json::object(), rec.log_index);
  } else if (type == "interactive" && rec.envelope["payload"].value("type", "") == "view_submission") {
    apply_view_ack(rec.envelope, has_payload ? payload : json::object(), rec.log_index);
  } else if (non_empty) {
    // events_api, block_actions, shortcuts: Slack ignores ack payloads (BOLT-JS types/actions).
    entry["ack_payload_ignored"] = true;
    log_.log("ack id=" + eid + " payload ignored for " + type);
  }
}

void hub::apply_slash_ack(const json& envelope, const json& payload, std::size_t log_index) {
  if (!payload.is_object() || payload.empty()) return;  // plain ack: nothing is shown
  const json& p = envelope["payload"];
  channel_rec* ch = find_channel(p.value("channel_id", ""));
  if (!ch) return;
  json body = payload;
  if (auto err = check_message_content(body, limits_.max_blocks)) {
    envelope_log_[log_index]["ack_payload_error"] = (*err)["error"];
    log_.log("slash ack payload rejected: " + err->dump());
    return;
  }
  if (body.value("response_type", "ephemeral") == "in_channel") {
    store_bot_message(*ch, body, "", false);
  } else {
    json msg = {{"type", "message"}, {"text", arg_str(body, "text")}, {"user", cfg_.bot_user_id},
                {"bot_id", cfg_.bot_id}, {"ts", next_ts()}, {"is_ephemeral", true}};
    if (body.contains("blocks")) {
      msg["blocks"] = body["blocks"];
      assign_block_ids(msg["blocks"], [this] { return new_id("", 4); });
    }
    ch->ephemerals.push_back({p.value("user_id", ""), msg});
  }
}

void hub::apply_view_ack(const json& envelope, const json& payload, std::size_t log_index) {
  const std::string view_id = envelope["payload"]["view"].value("id", "");
  auto it = views_.find(view_id);
  if (it == views_.end()) return;
  view_rec& v = it->second;
  v.last_response_action = payload;
  const std::string action = payload.is_object() ? payload.value("response_action", "") : "";
  if (action.empty() || action == "clear") {
    v.state = "closed";
  } else if (action == "update" || action == "push") {
    if (payload.contains("view") && payload["view"].is_object()) {
      json nv = payload["view"];
      nv["id"] = action == "update" ? view_id : new_id("V", 10);
      if (action == "update") v.view = nv;
    } else {
      envelope_log_[log_index]["ack_payload_error"] = "invalid_arguments";
    }
  } else if (action != "errors") {
    envelope_log_[log_index]["ack_payload_error"] = "invalid_response_action";
  }
}

// ------------------------------------------------------------------------------------------------ control API

counters hub::stats() const {
  std::lock_guard lock(mu_);
  return counters_;
}

json hub::op_create_user(const json& a) {
  const std::string name = a.value("name", "");
  if (name.empty()) return error_json("missing_name");
  const std::string id = a.contains("id") ? a["id"].get<std::string>() : new_id("U", 10);
  const std::string real = a.value("real_name", name);
  json info = {{"id", id},
               {"team_id", cfg_.team_id},
               {"name", name},
               {"deleted", false},
               {"real_name", real},
               {"tz", "Europe/Berlin"},
               {"tz_offset", 3600},
               {"is_bot", a.value("is_bot", false)},
               {"is_app_user", false},
               {"is_admin", false},
               {"profile", {{"display_name", name}, {"real_name", real}, {"team", cfg_.team_id}}}};
  if (a.contains("email")) info["profile"]["email"] = a["email"];
  users_[id] = {info};
  return {{"ok", true}, {"user", id}};
}

json hub::op_create_channel(const json& a) {
  const std::string name = a.value("name", "");
  if (name.empty()) return error_json("missing_name");
  for (auto& [id, ch] : channels_)
    if (ch.name == name) return error_json("name_taken");
  const bool priv = a.value("is_private", false);
  channel_rec ch;
  ch.id = a.contains("id") ? a["id"].get<std::string>() : new_id(priv ? "G" : "C", 10);
  ch.name = name;
  ch.type = priv ? "group" : "channel";
  for (const auto& m : a.value("members", json::array())) ch.members.insert(m.get<std::string>());
  if (a.value("bot_member", true)) ch.members.insert(cfg_.bot_user_id);
  const std::string id = ch.id;
  channels_[id] = std::move(ch);
  return {{"ok", true}, {"channel", id}};
}

json hub::op_post_message(const json& a) {
  const std::string user = a.value("user", "");
  if (!users_.count(user)) return error_json("user_not_found");
  channel_rec* ch = find_channel(a.value("channel", ""));
  if (!ch) return error_json("channel_not_found");
  if (ch->type == "im" && !ch->members.count(user)) return error_json("not_in_channel");
  ch->members.insert(user);  // a human who posts is in the channel
  const std::string text = a.value("text", "");
  std::string thread_ts = a.value("thread_ts", "");
  if (!thread_ts.empty()) {
    json* parent = find_message(*ch, thread_ts);
    if (!parent) return error_json("thread_not_found");
    thread_ts = parent->value("thread_ts", thread_ts);
  }
  json msg = {{"type", "message"}, {"user", user}, {"text", text}, {"ts", next_ts()}, {"team", cfg_.team_id},
              {"client_msg_id", uuid()}, {"blocks", rich_text_blocks(text)}};
  if (!thread_ts.empty()) {
    msg["thread_ts"] = thread_ts;
    msg["parent_user_id"] = find_message(*ch, thread_ts)->value("user", "");
  }
  ch->messages.push_back(msg);
  if (!thread_ts.empty()) thread_bookkeeping(*ch, thread_ts, msg);
  log_.log("user " + user + " posted in " + ch->id + " ts=" + msg["ts"].get<std::string>());

  // Fan-out (§3.2): a channel @-mention gives app_mention AND message (distinct event_ids); DMs only message.im.
  const bool bot_in = ch->members.count(cfg_.bot_user_id) > 0;
  const bool mentions_bot = text.find("<@" + cfg_.bot_user_id + ">") != std::string::npos;
  if (bot_in && mentions_bot && ch->type != "im" &&
      std::find(cfg_.bot_events.begin(), cfg_.bot_events.end(), "app_mention") != cfg_.bot_events.end()) {
    json ev = {{"client_msg_id", msg["client_msg_id"]}, {"type", "app_mention"}, {"text", text},
               {"user", user}, {"ts", msg["ts"]}, {"team", cfg_.team_id}, {"blocks", msg["blocks"]},
               {"channel", ch->id}, {"event_ts", msg["ts"]}};
    if (!thread_ts.empty()) ev["thread_ts"] = thread_ts;
    emit_event(ev);
  }
  emit_message_event(*ch, msg);
  return {{"ok", true}, {"ts", msg["ts"]}, {"channel", ch->id}};
}

json hub::op_slash_command(const json& a) {
  const std::string user = a.value("user", "");
  auto u = users_.find(user);
  if (u == users_.end()) return error_json("user_not_found");
  channel_rec* ch = find_channel(a.value("channel", ""));
  if (!ch) return error_json("channel_not_found");
  const std::string command = a.value("command", "");
  if (command.size() < 2 || command[0] != '/') return error_json("invalid_command");
  std::string trigger;
  const std::string url = make_hook("commands", ch->id, user, "", false, trigger);
  json payload = {{"token", cfg_.verification_token},
                  {"team_id", cfg_.team_id},
                  {"team_domain", cfg_.team_domain},
                  {"channel_id", ch->id},
                  {"channel_name", ch->type == "im" ? "directmessage" : ch->name},
                  {"user_id", user},
                  {"user_name", u->second.info["name"]},
                  {"command", command},
                  {"text", a.value("text", "")},
                  {"api_app_id", cfg_.app_id},
                  {"is_enterprise_install", "false"},
                  {"response_url", url},
                  {"trigger_id", trigger}};
  const std::string eid = uuid();
  deliver({{"envelope_id", eid}, {"type", "slash_commands"}, {"accepts_response_payload", true},
           {"payload", payload}});
  return {{"ok", true}, {"envelope_id", eid}, {"response_url", url}, {"trigger_id", trigger}};
}

json hub::op_click_button(const json& a) {
  const std::string user = a.value("user", "");
  auto u = users_.find(user);
  if (u == users_.end()) return error_json("user_not_found");
  channel_rec* ch = find_channel(a.value("channel", ""));
  if (!ch) return error_json("channel_not_found");
  const std::string ts = a.value("message_ts", "");
  const std::string action_id = a.value("action_id", "");
  json* msg = find_message(*ch, ts);
  bool ephemeral = false;
  if (!msg) {
    for (auto& r : ch->ephemerals)
      if (r.user == user && r.message["ts"] == ts) msg = &r.message;
    ephemeral = msg != nullptr;
  }
  if (!msg) return error_json("message_not_found");
  json action;
  for (const auto& b : msg->value("blocks", json::array())) {
    std::vector<json> elements;
    if (b.value("type", "") == "actions")
      for (const auto& e : b["elements"]) elements.push_back(e);
    if (b.value("type", "") == "section" && b.contains("accessory")) elements.push_back(b["accessory"]);
    for (const auto& e : elements) {
      if (e.value("action_id", "") != action_id || e.value("type", "") != "button") continue;
      action = {{"type", "button"}, {"action_id", action_id}, {"block_id", b.value("block_id", "")},
                {"text", e["text"]}, {"action_ts", next_ts()}};
      if (e.contains("value")) action["value"] = e["value"];
      if (e.contains("style")) action["style"] = e["style"];
      if (e.contains("url")) action["url"] = e["url"];
    }
  }
  if (action.is_null()) return error_json("action_not_found");
  std::string trigger;
  const std::string url = make_hook("actions", ch->id, user, ts, ephemeral, trigger);
  json container = {{"type", "message"}, {"message_ts", ts}, {"channel_id", ch->id}, {"is_ephemeral", ephemeral}};
  if (msg->contains("thread_ts")) container["thread_ts"] = (*msg)["thread_ts"];
  json payload = {{"type", "block_actions"},
                  {"user",
                   {{"id", user}, {"username", u->second.info["name"]}, {"name", u->second.info["name"]},
                    {"team_id", cfg_.team_id}}},
                  {"api_app_id", cfg_.app_id},
                  {"token", cfg_.verification_token},
                  {"container", container},
                  {"trigger_id", trigger},
                  {"team", {{"id", cfg_.team_id}, {"domain", cfg_.team_domain}}},
                  {"enterprise", nullptr},
                  {"is_enterprise_install", false},
                  {"channel", {{"id", ch->id}, {"name", ch->type == "im" ? "directmessage" : ch->name}}},
                  {"state", {{"values", json::object()}}},
                  {"response_url", url},
                  {"actions", json::array({action})}};
  if (!ephemeral) payload["message"] = *msg;
  const std::string eid = uuid();
  deliver({{"envelope_id", eid}, {"type", "interactive"},
           {"accepts_response_payload", cfg_.block_actions_accepts_response_payload}, {"payload", payload}});
  return {{"ok", true}, {"envelope_id", eid}, {"response_url", url}, {"trigger_id", trigger}};
}

json hub::op_submit_view(const json& a) {
  const std::string user = a.value("user", "");
  auto u = users_.find(user);
  if (u == users_.end()) return error_json("user_not_found");
  auto v = views_.find(a.value("view_id", ""));
  if (v == views_.end() || v->second.state != "open") return error_json("view_not_found");
  json view = v->second.view;
  view["state"] = {{"values", a.value("values", json::object())}};
  std::string trigger;
  trigger = std::to_string(std::uniform_int_distribution<long long>(1000000000LL, 9999999999LL)(rng_)) + "." +
            new_id("", 16);
  triggers_[trigger] = {clock_->now(), false, user};
  json payload = {{"type", "view_submission"},
                  {"team", {{"id", cfg_.team_id}, {"domain", cfg_.team_domain}}},
                  {"user",
                   {{"id", user}, {"username", u->second.info["name"]}, {"name", u->second.info["name"]},
                    {"team_id", cfg_.team_id}}},
                  {"api_app_id", cfg_.app_id},
                  {"token", cfg_.verification_token},
                  {"trigger_id", trigger},
                  {"view", view},
                  {"response_urls", json::array()},
                  {"is_enterprise_install", false},
                  {"enterprise", nullptr}};
  const std::string eid = uuid();
  deliver({{"envelope_id", eid}, {"type", "interactive"}, {"accepts_response_payload", true},
           {"payload", payload}});
  return {{"ok", true}, {"envelope_id", eid}};
}

json hub::op_force_disconnect(const json& a) {
  const std::string reason = a.value("reason", "refresh_requested");
  static const std::set<std::string> reasons = {"warning", "refresh_requested", "link_disabled",
                                                "too_many_websockets"};
  if (!reasons.count(reason)) return error_json("invalid_reason");
  auto targets = links_;
  if (a.contains("index")) {
    const std::size_t i = a["index"].get<std::size_t>();
    if (i >= targets.size()) return error_json("no_such_connection");
    targets = {targets[i]};
  }
  if (a.value("with_warning", false) && reason != "warning") {
    for (auto& l : targets) l->begin_disconnect("warning", std::chrono::milliseconds(0));
    auto t = std::make_shared<boost::asio::steady_timer>(ioc_, cfg_.refresh_warning_lead);
    t->async_wait([this, t, targets, reason](const boost::system::error_code& ec) {
      if (ec) return;
      std::lock_guard lock(mu_);
      for (auto& l : targets) {
        links_.erase(std::remove(links_.begin(), links_.end(), l), links_.end());
        l->begin_disconnect(reason, cfg_.disconnect_close_delay);
      }
    });
  } else {
    for (auto& l : targets) {
      if (reason != "warning") links_.erase(std::remove(links_.begin(), links_.end(), l), links_.end());
      l->begin_disconnect(reason, cfg_.disconnect_close_delay);
    }
  }
  log_.log("control: disconnect " + reason + " sent to " + std::to_string(targets.size()) + " connection(s)");
  return {{"ok", true}, {"connections", targets.size()}};
}

json hub::control(const std::string& op, const json& a) {
  std::lock_guard lock(mu_);
  json out;
  try {
    if (op == "create_user") {
      out = op_create_user(a);
    } else if (op == "create_channel") {
      out = op_create_channel(a);
    } else if (op == "join_channel") {
      channel_rec* ch = find_channel(a.value("channel", ""));
      if (!ch) return error_json("channel_not_found");
      const std::string user = a.value("user", "");
      if (!users_.count(user)) return error_json("user_not_found");
      ch->members.insert(user);
      out = {{"ok", true}};
    } else if (op == "open_dm") {
      const std::string user = a.value("user", "");
      if (!users_.count(user)) return error_json("user_not_found");
      out = {{"ok", true}, {"channel", dm_with(user)}};
    } else if (op == "create_usergroup") {
      const std::string id = new_id("S", 10);
      std::vector<std::string> members;
      for (const auto& m : a.value("users", json::array())) members.push_back(m.get<std::string>());
      usergroups_[id] = members;
      out = {{"ok", true}, {"usergroup", id}};
    } else if (op == "post_message") {
      out = op_post_message(a);
    } else if (op == "slash_command") {
      out = op_slash_command(a);
    } else if (op == "click_button") {
      out = op_click_button(a);
    } else if (op == "submit_view") {
      out = op_submit_view(a);
    } else if (op == "history" || op == "replies") {
      channel_rec* ch = find_channel(a.value("channel", ""));
      if (!ch) return error_json("channel_not_found");
      json msgs = json::array();
      if (op == "history") {
        for (const auto& m : ch->messages) {
          const std::string tts = m.value("thread_ts", "");
          if (tts.empty() || tts == m["ts"] || m.value("subtype", "") == "thread_broadcast") msgs.push_back(m);
        }
      } else {
        const std::string root = a.value("thread_ts", "");
        if (json* p = find_message(*ch, root)) msgs.push_back(*p);
        for (const auto& m : ch->messages)
          if (m.value("thread_ts", "") == root && m["ts"] != root) msgs.push_back(m);
      }
      out = {{"ok", true}, {"messages", msgs}};
    } else if (op == "ephemerals") {
      channel_rec* ch = find_channel(a.value("channel", ""));
      if (!ch) return error_json("channel_not_found");
      json msgs = json::array();
      for (const auto& r : ch->ephemerals)
        if (r.user == a.value("user", "")) msgs.push_back(r.message);
      out = {{"ok", true}, {"messages", msgs}};
    } else if (op == "envelopes") {
      out = {{"ok", true}, {"envelopes", envelope_log_}};
    } else if (op == "views") {
      json vs = json::array();
      for (const auto& [id, v] : views_)
        vs.push_back({{"id", id}, {"user", v.user}, {"state", v.state}, {"view", v.view},
                      {"last_response_action", v.last_response_action}});
      out = {{"ok", true}, {"views", vs}};
    } else if (op == "counters") {
      out = to_json(counters_);
      out["ok"] = true;
      out["open_connections"] = links_.size();
    } else if (op == "reset_counters") {
      counters_ = {};
      out = {{"ok", true}};
    } else if (op == "connections") {
      json ids = json::array();
      for (const auto& l : links_) ids.push_back(l->id());
      out = {{"ok", true}, {"open", links_.size()}, {"ids", ids}};
    } else if (op == "force_disconnect") {
      out = op_force_disconnect(a);
    } else if (op == "send_raw") {
      // Any text, JSON or not, straight onto one socket: exercises a client's handling of frames Slack
      // would never send (malformed, unknown types, envelopes missing fields). Not logged as an envelope,
      // never expects an ack.
      if (!a.contains("text") || !a["text"].is_string()) return error_json("missing_text");
      if (links_.empty()) return error_json("no_connection");
      const std::size_t i = a.value("index", std::size_t{0});
      if (i >= links_.size()) return error_json("no_such_connection");
      const std::string text = a["text"].get<std::string>();
      links_[i]->send_text(text);
      ++counters_.raw_frames_sent;
      log_.log("conn#" + std::to_string(links_[i]->id()) + " <- raw frame (" + std::to_string(text.size()) +
               " bytes)");
      out = {{"ok", true}, {"connection", links_[i]->id()}};
    } else if (op == "drop_connections") {
      auto targets = links_;
      links_.clear();
      for (auto& l : targets) l->drop();
      out = {{"ok", true}, {"connections", targets.size()}};
    } else if (op == "inject_failure") {
      const std::string method = a.value("method", "");
      if (method.empty()) return error_json("missing_method");
      failures_[method] = {a.value("status", 429), a.value("count", 1), a.value("retry_after", 1)};
      out = {{"ok", true}};
    } else if (op == "set_server_pings" || op == "set_answer_pings") {
      const bool enabled = a.value("enabled", true);
      (op == "set_server_pings" ? server_pings_ : answer_pings_) = enabled;
      for (auto& l : links_) {
        if (op == "set_server_pings")
          l->set_server_pings(enabled);
        else
          l->set_answer_pings(enabled);
      }
      out = {{"ok", true}};
    } else if (op == "set_ack_mode") {
      const std::string mode = a.value("mode", "normal");
      if (mode == "normal")
        ack_mode_ = ack_mode::normal;
      else if (mode == "drop")
        ack_mode_ = ack_mode::drop;
      else if (mode == "delay")
        ack_mode_ = ack_mode::delay;
      else
        return error_json("invalid_mode");
      ack_delay_ = std::chrono::milliseconds(a.value("delay_ms", 0));
      out = {{"ok", true}};
    } else {
      return error_json("unknown_op");
    }
  } catch (const json::exception& e) {
    // Bad control input (wrong JSON types) is a test bug: report it, keep serving.
    out = error_json("invalid_arguments");
    out["detail"] = e.what();
  }
  log_.log("control " + op + " -> " + (out.value("ok", false) ? "ok" : out.value("error", "?")));
  return out;
}

}  // namespace slack_emulator::detail
