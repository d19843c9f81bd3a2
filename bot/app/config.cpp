#include "bot/app/config.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace docbot::bot {
namespace {

/// Thrown inside the parser only; load_config turns it into the one-line error.
struct ConfigError {
  std::string line;
};

[[noreturn]] void fail(const std::string& key, const std::string& what) {
  throw ConfigError{key + ": " + what};
}

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "." + b; }

void check_keys(const YAML::Node& n, const std::string& where, const std::set<std::string>& allowed) {
  if (!n.IsMap()) fail(where.empty() ? "(top level)" : where, "must be a mapping");
  for (const auto& kv : n) {
    const std::string k = kv.first.as<std::string>();
    if (allowed.count(k)) continue;
    if (k.find("token") != std::string::npos)
      fail(join(where, k), "tokens are not read from the config file; set SLACK_BOT_TOKEN / SLACK_APP_TOKEN");
    fail(join(where, k), "unknown key");
  }
}

std::string scalar(const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) fail(key, "must be a string");
  return n.as<std::string>();
}

long long integer(const YAML::Node& n, const std::string& key, long long lo, long long hi) {
  if (!n.IsScalar()) fail(key, "must be a number");
  const std::string s = n.as<std::string>();
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end) fail(key, "'" + s + "' is not a whole number");
  if (v < lo || v > hi)
    fail(key, std::to_string(v) + " is out of range " + std::to_string(lo) + "…" + std::to_string(hi));
  return v;
}

bool id_like(const std::string& s, const std::string& prefixes) {
  if (s.size() < 2 || prefixes.find(s[0]) == std::string::npos) return false;
  for (char c : s)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

std::vector<std::string> id_list(const YAML::Node& n, const std::string& key, const std::string& prefixes,
                                 const std::string& what) {
  if (!n.IsSequence()) fail(key, "must be a list");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string k = key + "[" + std::to_string(i) + "]";
    const std::string v = scalar(n[i], k);
    if (!id_like(v, prefixes)) fail(k, "'" + v + "' is not a Slack " + what);
    out.push_back(v);
  }
  return out;
}

std::chrono::milliseconds ms(const YAML::Node& n, const std::string& key, long long lo, long long hi) {
  return std::chrono::milliseconds(integer(n, key, lo, hi));
}

Config parse(const YAML::Node& root) {
  Config c;
  if (!root || root.IsNull()) fail("(top level)", "empty configuration");
  check_keys(root, "", {"index", "sources", "slack", "escalation", "reply", "http", "state", "tuning"});

  if (!root["index"]) fail("index", "is required (the directory built by docbot-index)");
  c.index = scalar(root["index"], "index");
  if (c.index.empty()) fail("index", "must not be empty");

  if (auto s = root["sources"]) {
    if (!s.IsSequence()) fail("sources", "must be a list");
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string k = "sources[" + std::to_string(i) + "]";
      check_keys(s[i], k, {"name", "base_url", "url_style", "strip_prefix"});
      SourceConfig src;
      if (!s[i]["name"]) fail(k + ".name", "is required");
      src.name = scalar(s[i]["name"], k + ".name");
      if (auto b = s[i]["base_url"]) {
        src.base_url = scalar(b, k + ".base_url");
        if (src.base_url.rfind("https://", 0) != 0 && src.base_url.rfind("http://", 0) != 0)
          fail(k + ".base_url", "'" + src.base_url + "' must start with https:// or http://");
      }
      if (auto st = s[i]["url_style"]) {
        src.url_style = scalar(st, k + ".url_style");
        if (src.url_style != "hugo" && src.url_style != "mkdocs" && src.url_style != "plain")
          fail(k + ".url_style", "'" + src.url_style + "' must be hugo, mkdocs or plain");
      }
      if (auto p = s[i]["strip_prefix"]) src.strip_prefix = scalar(p, k + ".strip_prefix");
      c.sources.push_back(src);
    }
  }

  if (auto s = root["slack"]) {
    check_keys(s, "slack", {"inquiry_channels", "follow_up", "slash_command"});
    if (auto ch = s["inquiry_channels"])
      c.inquiry_channels = id_list(ch, "slack.inquiry_channels", "CGD", "channel id (C…, G… or D…)");
    if (auto f = s["follow_up"]) {
      const std::string v = scalar(f, "slack.follow_up");
      if (v == "mention_only")
        c.follow_up = FollowUp::mention_only;
      else if (v == "all")
        c.follow_up = FollowUp::all;
      else
        fail("slack.follow_up", "'" + v + "' must be mention_only or all");
    }
    if (auto sc = s["slash_command"]) {
      c.slash_command = scalar(sc, "slack.slash_command");
      if (c.slash_command.size() < 2 || c.slash_command[0] != '/')
        fail("slack.slash_command", "'" + c.slash_command + "' must start with /");
    }
  }

  if (auto e = root["escalation"]) {
    check_keys(e, "escalation", {"users", "usergroup"});
    if (auto u = e["users"]) c.escalation_users = id_list(u, "escalation.users", "UW", "user id (U… or W…)");
    if (auto g = e["usergroup"]) {
      c.escalation_usergroup = scalar(g, "escalation.usergroup");
      if (!id_like(c.escalation_usergroup, "S"))
        fail("escalation.usergroup", "'" + c.escalation_usergroup + "' is not a Slack user group id (S…)");
    }
  }
  if (c.escalation_users.empty() && c.escalation_usergroup.empty())
    fail("escalation", "needs users and/or usergroup (who takes over when the docs do not answer)");

  if (auto r = root["reply"]) {
    check_keys(r, "reply", {"language", "max_results"});
    if (auto l = r["language"]) {
      c.language = scalar(l, "reply.language");
      if (c.language != "en" && c.language != "ja")
        fail("reply.language", "'" + c.language + "' must be en or ja");
    }
    if (auto m = r["max_results"]) c.max_results = static_cast<int>(integer(m, "reply.max_results", 1, 5));
  }

  if (auto h = root["http"]) {
    check_keys(h, "http", {"listen"});
    if (auto l = h["listen"]) {
      c.http_listen = scalar(l, "http.listen");
      const auto colon = c.http_listen.rfind(':');
      if (colon == std::string::npos || colon == 0)
        fail("http.listen", "'" + c.http_listen + "' must be HOST:PORT");
      integer(YAML::Node(c.http_listen.substr(colon + 1)), "http.listen", 0, 65535);
    }
  }

  if (auto s = root["state"]) {
    check_keys(s, "state", {"path"});
    if (auto p = s["path"]) c.state_db = scalar(p, "state.path");
  }

  if (auto t = root["tuning"]) {
    check_keys(
        t, "tuning",
        {"workers", "index_reopen_interval_ms", "ping_interval_ms", "pong_timeout_ms", "connect_timeout_ms",
         "backoff_initial_ms", "backoff_max_ms", "http_timeout_ms", "post_interval_ms", "drain_timeout_ms"});
    if (auto v = t["workers"]) c.workers = static_cast<int>(integer(v, "tuning.workers", 1, 64));
    if (auto v = t["index_reopen_interval_ms"])
      c.index_reopen_interval = ms(v, "tuning.index_reopen_interval_ms", 10, 86400000);
    if (auto v = t["ping_interval_ms"]) c.ping_interval = ms(v, "tuning.ping_interval_ms", 10, 600000);
    if (auto v = t["pong_timeout_ms"]) c.pong_timeout = ms(v, "tuning.pong_timeout_ms", 20, 600000);
    if (auto v = t["connect_timeout_ms"]) c.connect_timeout = ms(v, "tuning.connect_timeout_ms", 10, 600000);
    if (auto v = t["backoff_initial_ms"]) c.backoff_initial = ms(v, "tuning.backoff_initial_ms", 1, 600000);
    if (auto v = t["backoff_max_ms"]) c.backoff_max = ms(v, "tuning.backoff_max_ms", 1, 3600000);
    if (auto v = t["http_timeout_ms"]) c.http_timeout = ms(v, "tuning.http_timeout_ms", 10, 600000);
    if (auto v = t["post_interval_ms"]) c.post_interval = ms(v, "tuning.post_interval_ms", 0, 60000);
    if (auto v = t["drain_timeout_ms"]) c.drain_timeout = ms(v, "tuning.drain_timeout_ms", 0, 600000);
  }
  if (c.pong_timeout <= c.ping_interval)
    fail("tuning.pong_timeout_ms", "must be longer than tuning.ping_interval_ms");
  if (c.backoff_max < c.backoff_initial)
    fail("tuning.backoff_max_ms", "must be at least tuning.backoff_initial_ms");
  return c;
}

}  // namespace

std::optional<Config> parse_config(const std::string& yaml_text, std::string* error) {
  try {
    return parse(YAML::Load(yaml_text));
  } catch (const ConfigError& e) {
    if (error) *error = "config: " + e.line;
  } catch (const YAML::Exception& e) {
    if (error) *error = "config: invalid YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg;
  }
  return std::nullopt;
}

std::optional<Config> load_config(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    if (error) *error = "config: cannot read '" + path + "'";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  auto c = parse_config(ss.str(), error);
  if (!c && error) error->insert(0, path + ": ");
  return c;
}

std::optional<std::string> secret_from_env(const std::string& name, std::string* error) {
  if (const char* v = std::getenv(name.c_str()); v && *v) return std::string(v);
  const std::string file_var = name + "_FILE";
  if (const char* f = std::getenv(file_var.c_str()); f && *f) {
    std::ifstream in(f);
    if (!in) {
      if (error) *error = file_var + ": cannot read '" + f + "'";
      return std::nullopt;
    }
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    if (s.empty()) {
      if (error) *error = file_var + ": '" + std::string(f) + "' is empty";
      return std::nullopt;
    }
    return s;
  }
  if (error) *error = name + " (or " + file_var + ") is not set";
  return std::nullopt;
}

}  // namespace docbot::bot
