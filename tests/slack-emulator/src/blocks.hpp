// Block Kit validation with Slack's limits (PROTOCOL.md §6.2) and block_id assignment. Pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace slack_emulator::detail {

/// @brief Limits enforced on messages and views (defaults from Slack's docs and SDK validators).
struct block_limits {
  std::size_t max_blocks = 50;        ///< 100 for modals
  std::size_t block_id = 255;
  std::size_t section_text = 3000;
  std::size_t section_fields = 10;
  std::size_t section_field_text = 2000;
  std::size_t header_text = 150;
  std::size_t context_elements = 10;
  std::size_t actions_elements = 25;
  std::size_t button_text = 75;
  std::size_t button_value = 2000;
  std::size_t button_url = 3000;
  std::size_t action_id = 255;
  std::size_t markdown_text = 12000;
  std::size_t text_object = 3000;
};

/// @brief Validate a `blocks` array. Returns nullopt when valid, else a Slack-style message such as
/// "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
std::optional<std::string> validate_blocks(const nlohmann::json& blocks, const block_limits& limits);

/// @brief Give every block without a `block_id` one (Slack assigns a short random id).
void assign_block_ids(nlohmann::json& blocks, const std::function<std::string()>& make_id);

/// @brief Number of Unicode code points in a UTF-8 string (Slack's limits count characters).
std::size_t utf8_length(const std::string& s);

}  // namespace slack_emulator::detail
