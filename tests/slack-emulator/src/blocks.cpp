#include "blocks.hpp"

#include <set>

namespace slack_emulator::detail {

std::size_t utf8_length(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

namespace {

using nlohmann::json;

struct checker {
  const block_limits& lim;
  std::optional<std::string> error;

  bool fail(const std::string& what, const std::string& pointer) {
    if (!error) error = "[ERROR] " + what + " [json-pointer:" + pointer + "]";
    return false;
  }

  bool text_object(const json& t, const std::string& ptr, std::size_t max, bool plain_only) {
    if (!t.is_object()) return fail("must be an object", ptr);
    const std::string type = t.value("type", "");
    if (type != "plain_text" && type != "mrkdwn") return fail("must be plain_text or mrkdwn", ptr + "/type");
    if (plain_only && type != "plain_text") return fail("must be plain_text", ptr + "/type");
    if (!t.contains("text") || !t["text"].is_string()) return fail("missing required field: text", ptr + "/text");
    const auto len = utf8_length(t["text"].get<std::string>());
    if (len < 1) return fail("must be more than 0 characters", ptr + "/text");
    if (len > max) return fail("must be less than " + std::to_string(max + 1) + " characters", ptr + "/text");
    return true;
  }

  bool string_field(const json& o, const char* key, std::size_t max, const std::string& ptr, bool required) {
    if (!o.contains(key)) return required ? fail(std::string("missing required field: ") + key, ptr) : true;
    if (!o[key].is_string()) return fail("must be a string", ptr + "/" + key);
    if (utf8_length(o[key].get<std::string>()) > max)
      return fail("must be less than " + std::to_string(max + 1) + " characters", ptr + "/" + key);
    return true;
  }

  bool element(const json& e, const std::string& ptr, std::set<std::string>& action_ids) {
    if (!e.is_object() || !e.contains("type") || !e["type"].is_string())
      return fail("missing required field: type", ptr);
    const std::string type = e["type"];
    if (e.contains("action_id")) {
      if (!string_field(e, "action_id", lim.action_id, ptr, false)) return false;
      if (!action_ids.insert(e["action_id"].get<std::string>()).second)
        return fail("duplicate action_id", ptr + "/action_id");
    }
    if (type == "button") {
      if (!e.contains("text")) return fail("missing required field: text", ptr);
      if (!text_object(e["text"], ptr + "/text", lim.button_text, true)) return false;
      if (!string_field(e, "value", lim.button_value, ptr, false)) return false;
      if (!string_field(e, "url", lim.button_url, ptr, false)) return false;
      if (e.contains("style") && e["style"] != "primary" && e["style"] != "danger")
        return fail("must be primary or danger", ptr + "/style");
    }
    return true;
  }

  bool block(const json& b, const std::string& ptr, std::set<std::string>& block_ids) {
    if (!b.is_object()) return fail("must be an object", ptr);
    if (!b.contains("type") || !b["type"].is_string()) return fail("missing required field: type", ptr);
    if (b.contains("block_id")) {
      if (!string_field(b, "block_id", lim.block_id, ptr, false)) return false;
      if (!block_ids.insert(b["block_id"].get<std::string>()).second)
        return fail("duplicate block_id", ptr + "/block_id");
    }
    const std::string type = b["type"];
    std::set<std::string> action_ids;
    if (type == "section") {
      if (!b.contains("text") && !b.contains("fields")) return fail("must provide text or fields", ptr);
      if (b.contains("text") && !text_object(b["text"], ptr + "/text", lim.section_text, false)) return false;
      if (b.contains("fields")) {
        if (!b["fields"].is_array()) return fail("must be an array", ptr + "/fields");
        if (b["fields"].size() > lim.section_fields)
          return fail("must provide no more than " + std::to_string(lim.section_fields) + " items", ptr + "/fields");
        for (std::size_t i = 0; i < b["fields"].size(); ++i)
          if (!text_object(b["fields"][i], ptr + "/fields/" + std::to_string(i), lim.section_field_text, false))
            return false;
      }
      if (b.contains("accessory") && !element(b["accessory"], ptr + "/accessory", action_ids)) return false;
    } else if (type == "header") {
      if (!b.contains("text")) return fail("missing required field: text", ptr);
      if (!text_object(b["text"], ptr + "/text", lim.header_text, true)) return false;
    } else if (type == "context") {
      if (!b.contains("elements") || !b["elements"].is_array() || b["elements"].empty())
        return fail("missing required field: elements", ptr);
      if (b["elements"].size() > lim.context_elements)
        return fail("must provide no more than " + std::to_string(lim.context_elements) + " items",
                    ptr + "/elements");
      for (std::size_t i = 0; i < b["elements"].size(); ++i) {
        const auto& e = b["elements"][i];
        const std::string et = e.is_object() ? e.value("type", "") : "";
        if (et == "plain_text" || et == "mrkdwn") {
          if (!text_object(e, ptr + "/elements/" + std::to_string(i), lim.text_object, false)) return false;
        } else if (et != "image") {
          return fail("must be an image or text object", ptr + "/elements/" + std::to_string(i));
        }
      }
    } else if (type == "actions") {
      if (!b.contains("elements") || !b["elements"].is_array() || b["elements"].empty())
        return fail("missing required field: elements", ptr);
      if (b["elements"].size() > lim.actions_elements)
        return fail("must provide no more than " + std::to_string(lim.actions_elements) + " items",
                    ptr + "/elements");
      for (std::size_t i = 0; i < b["elements"].size(); ++i)
        if (!element(b["elements"][i], ptr + "/elements/" + std::to_string(i), action_ids)) return false;
    } else if (type == "markdown") {
      if (!string_field(b, "text", lim.markdown_text, ptr, true)) return false;
    } else if (type == "divider" || type == "image" || type == "rich_text" || type == "input" || type == "file" ||
               type == "video") {
      // Accepted without deeper checks: a docs bot does not build these.
    } else {
      return fail("unsupported type: " + type, ptr + "/type");
    }
    return true;
  }
};

}  // namespace

std::optional<std::string> validate_blocks(const json& blocks, const block_limits& limits) {
  checker c{limits, std::nullopt};
  if (!blocks.is_array()) {
    c.fail("must be an array", "/blocks");
    return c.error;
  }
  if (blocks.size() > limits.max_blocks) {
    c.fail("must provide no more than " + std::to_string(limits.max_blocks) + " items", "/blocks");
    return c.error;
  }
  std::set<std::string> block_ids;
  for (std::size_t i = 0; i < blocks.size(); ++i)
    if (!c.block(blocks[i], "/blocks/" + std::to_string(i), block_ids)) break;
  return c.error;
}

void assign_block_ids(json& blocks, const std::function<std::string()>& make_id) {
  if (!blocks.is_array()) return;
  for (auto& b : blocks)
    if (b.is_object() && !b.contains("block_id")) b["block_id"] = make_id();
}

}  // namespace slack_emulator::detail
