// Small HTTP helpers shared by the hub and its tests: URL decoding, form and query parsing.
#pragma once

#include <map>
#include <string>

namespace slack_emulator::detail {

/// @brief Decode %XX escapes and '+' (form encoding). Invalid escapes are kept verbatim.
std::string url_decode(const std::string& s);
/// @brief Percent-encode everything except unreserved characters.
std::string url_encode(const std::string& s);
/// @brief Parse `a=1&b=2` into a map (last value wins).
std::map<std::string, std::string> parse_form(const std::string& body);
/// @brief Split a request target into path and query (without '?').
void split_target(const std::string& target, std::string& path, std::string& query);

}  // namespace slack_emulator::detail
