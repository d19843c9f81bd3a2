#pragma once
/// @file config.hpp
/// @brief `docbot serve` configuration: one YAML file (secrets never in it), validated at start-up.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace docbot::bot {

/// @brief One documentation source: how its results map to the public docs site.
struct SourceConfig {
  std::string name;                ///< source name used at index time (docbot-index --source NAME=DIR)
  std::string base_url;            ///< e.g. https://kubernetes.io/docs/
  std::string url_style = "hugo";  ///< hugo | mkdocs | plain
  std::string strip_prefix;        ///< leading path to drop, e.g. "en/"
};

/// @brief What to do with replies inside a thread the bot answered in an inquiry channel.
enum class FollowUp {
  mention_only,  ///< only when the bot is mentioned (default: never butt in)
  all,           ///< answer every human thread reply in inquiry channels
};

struct Config {
  std::string index;  ///< index directory (docbot-index --index)
  std::vector<SourceConfig> sources;
  std::vector<std::string> inquiry_channels;   ///< channel ids (C…/G…)
  std::vector<std::string> escalation_users;   ///< U…/W… ids
  std::string escalation_usergroup;            ///< S… id
  std::string language = "en";                 ///< default reply language (en | ja)
  std::string http_listen = "127.0.0.1:8080";  ///< health/metrics; port 0 picks a free one
  FollowUp follow_up = FollowUp::mention_only;
  int max_results = 3;                            ///< 1…5 results per answer
  std::string state_db = "docbot-state.sqlite3";  ///< SQLite file (":memory:" for tests)
  std::string slash_command = "/docs";
  int workers = 4;
  std::chrono::milliseconds index_reopen_interval{10000};
  // Socket Mode timing (compressible for tests).
  std::chrono::milliseconds ping_interval{5000};
  std::chrono::milliseconds pong_timeout{15000};  ///< no pong for this long ⇒ connection is dead
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds backoff_initial{1000};
  std::chrono::milliseconds backoff_max{30000};
  std::chrono::milliseconds http_timeout{10000};
  std::chrono::milliseconds post_interval{1000};  ///< chat.postMessage per channel
  std::chrono::milliseconds drain_timeout{10000};
};

/// @brief Loads and validates. On error returns nullopt and sets @p error to one line naming the key,
/// e.g. "config: escalation.users[1]: 'bob' is not a Slack user id (U… or W…)".
std::optional<Config> load_config(const std::string& path, std::string* error);
/// @brief Same, from YAML text (tests).
std::optional<Config> parse_config(const std::string& yaml_text, std::string* error);

/// @brief Secrets from the environment: NAME, or the file named by NAME_FILE (trailing newline trimmed).
std::optional<std::string> secret_from_env(const std::string& name, std::string* error);

}  // namespace docbot::bot
