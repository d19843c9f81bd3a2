#pragma once
/// @file url.hpp
/// @brief Splits https:// and wss:// URLs into host, port and target.
#include <optional>
#include <string>

namespace docbot::bot {

struct Url {
  std::string scheme;  ///< https | wss | http | ws
  std::string host;
  std::string port;    ///< defaulted from the scheme
  std::string target;  ///< path + query, at least "/"
};

inline std::optional<Url> parse_url(const std::string& s) {
  Url u;
  const auto p = s.find("://");
  if (p == std::string::npos) return std::nullopt;
  u.scheme = s.substr(0, p);
  if (u.scheme != "https" && u.scheme != "wss" && u.scheme != "http" && u.scheme != "ws") return std::nullopt;
  const auto rest = s.substr(p + 3);
  const auto slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (!u.target.empty() && u.target[0] == '?') u.target = "/" + u.target;
  if (authority.empty()) return std::nullopt;
  if (authority[0] == '[') {  // [v6]:port
    const auto close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') u.port = authority.substr(close + 2);
  } else {
    const auto colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) u.port = authority.substr(colon + 1);
  }
  if (u.port.empty()) u.port = (u.scheme == "https" || u.scheme == "wss") ? "443" : "80";
  if (u.host.empty()) return std::nullopt;
  return u;
}

}  // namespace docbot::bot
