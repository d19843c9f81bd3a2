#include "bot/protocol/answer.hpp"

#include <algorithm>
#include <cctype>

#include "bot/protocol/mrkdwn.hpp"

namespace docbot::bot::protocol {
namespace {

using nlohmann::json;

json mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }
json plain(const std::string& text) { return {{"type", "plain_text"}, {"text", text}, {"emoji", true}}; }

json section(const std::string& block_id, const std::string& text) {
  // Callers budget their text; the final cut is a guard so the limit holds whatever they pass.
  return {
      {"type", "section"}, {"block_id", block_id}, {"text", mrkdwn(truncate_chars(text, kMaxSectionText))}};
}

json context(const std::string& block_id, const std::string& text) {
  return {{"type", "context"},
          {"block_id", block_id},
          {"elements", json::array({mrkdwn(truncate_chars(text, kMaxSectionText))})}};
}

json button(const char* action_id, const std::string& label, const std::string& value,
            const char* style = nullptr) {
  json b = {{"type", "button"},
            {"action_id", action_id},
            {"text", plain(truncate_chars(label, 75))},
            {"value", truncate_chars(value, kMaxButtonValue)}};
  if (style) b["style"] = style;
  return b;
}

/// Slack ids are upper-case letters and digits; anything else is dropped so config cannot inject markup.
std::string slack_id(const std::string& id) {
  std::string out;
  for (char c : id)
    if (std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c))) out += c;
  return out.substr(0, 32);
}

std::string answer_value(const std::string& answer_id) { return truncate_chars(answer_id, 100); }

std::string hit_label(const Hit& h) {
  // `section` is a heading path that usually starts with the page title ("Debug Pods › My pod…").
  if (h.section.empty()) return h.title.empty() ? h.url : h.title;
  if (h.title.empty() || h.section.rfind(h.title, 0) == 0) return h.section;
  return h.title + " › " + h.section;
}

/// "<url|label>" when the URL is http(s), else the escaped label alone.
std::string hit_link(const Hit& h, std::size_t max_url = kMaxUrl) {
  const std::string label = link_label(hit_label(h), kMaxLabel);
  std::string url = link_url(h.url);
  if (url.size() > max_url) url.clear();  // a cut URL is a broken link: show the label alone
  if (url.empty()) return label;
  return "<" + url + "|" + label + ">";
}

std::string hit_text(const Hit& h, Lang lang) {
  std::string t = "*" + hit_link(h) + "*\n_" + type_label(h.type, lang) + "_";
  const std::string snip = snippet_to_mrkdwn(h.snippet, kMaxSnippet);
  if (!snip.empty()) t += " · " + snip;
  return t;
}

std::string hit_plain(const Hit& h, Lang lang) {
  std::string t = escape_truncate(hit_label(h), kMaxLabel) + " (" + type_label(h.type, lang) + ")";
  const std::string url = link_url(h.url);
  if (!url.empty() && url.size() <= kMaxUrl) t += " " + url;
  return t;
}

std::vector<Hit> capped(const std::vector<Hit>& hits) {
  return {hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(std::min(hits.size(), kMaxResults))};
}

/// mrkdwn "<url|label>" → "label (url)", then decode entities: terminal output.
std::string mrkdwn_to_terminal(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '<') {
      std::size_t end = s.find('>', i);
      if (end != std::string::npos) {
        std::string inner = s.substr(i + 1, end - i - 1);
        std::size_t bar = inner.find('|');
        if (bar != std::string::npos)
          out += inner.substr(bar + 1) + " (" + unescape(inner.substr(0, bar)) + ")";
        else
          out += inner;
        i = end + 1;
        continue;
      }
    }
    out += s[i++];
  }
  return unescape(out);
}

}  // namespace

std::string type_label(const std::string& type, Lang lang) {
  const Texts& t = texts(lang);
  if (type == "how-to") return t.type_how_to;
  if (type == "reference") return t.type_reference;
  if (type == "explanation") return t.type_explanation;
  if (type == "tutorial") return t.type_tutorial;
  return t.type_page;
}

Message build_answer(const Answer& a, Surface surface) {
  Message m;
  const Texts& t = texts(a.lang);
  const auto hits = capped(a.hits);
  const std::string q = escape_truncate(squash_space(a.question), kMaxQuestionEcho);
  if (surface == Surface::shared)
    m.blocks.push_back(
        section("docbot_intro", fill(t.intro_shared, {"<@" + slack_id(a.shared_by) + ">", q})));
  else
    m.blocks.push_back(section("docbot_intro", fill(t.intro, {q})));
  if (!a.did_you_mean.empty())
    m.blocks.push_back(
        context("docbot_dym",
                fill(t.did_you_mean, {escape_truncate(squash_space(a.did_you_mean), kMaxQuestionEcho)})));
  std::string fallback = fill(t.fallback_head, {q});
  for (std::size_t i = 0; i < hits.size(); ++i) {
    m.blocks.push_back(section("docbot_hit_" + std::to_string(i), hit_text(hits[i], a.lang)));
    fallback += "\n" + std::to_string(i + 1) + ". " + hit_plain(hits[i], a.lang);
  }
  if (surface != Surface::shared) {
    m.blocks.push_back({{"type", "divider"}});
    const std::string v = answer_value(a.answer_id);
    json buttons = json::array();
    if (surface == Surface::ephemeral) buttons.push_back(button(action::share, t.btn_share, v, "primary"));
    buttons.push_back(
        button(action::solved, t.btn_solved, v, surface == Surface::thread ? "primary" : nullptr));
    buttons.push_back(button(action::not_helpful, t.btn_not_helpful, v));
    buttons.push_back(button(action::human, t.btn_human, v));
    m.blocks.push_back({{"type", "actions"}, {"block_id", "docbot_feedback"}, {"elements", buttons}});
  }
  m.text = truncate_chars(fallback, kMaxFallbackText);
  return m;
}

Message build_not_found(const std::string& question, const std::string& answer_id, bool offer_human,
                        Lang lang) {
  Message m;
  const Texts& t = texts(lang);
  const std::string q = escape_truncate(squash_space(question), kMaxQuestionEcho);
  m.text = fill(t.not_found, {q});
  if (offer_human) {
    m.blocks.push_back(section("docbot_intro", m.text + t.not_found_offer));
    m.blocks.push_back({{"type", "actions"},
                        {"block_id", "docbot_feedback"},
                        {"elements", json::array({button(action::human, t.btn_human, answer_value(answer_id),
                                                         "primary")})}});
  } else {
    m.blocks.push_back(section("docbot_intro", m.text + t.not_found_escalated));
  }
  return m;
}

Message build_ask_reason(const std::string& answer_id, Lang lang) {
  Message m;
  const Texts& t = texts(lang);
  m.text = t.ask_reason;
  const std::string v = answer_value(answer_id);
  m.blocks.push_back(section("docbot_ask_reason", m.text));
  m.blocks.push_back({{"type", "actions"},
                      {"block_id", "docbot_reason"},
                      {"elements", json::array({button(action::reason_wrong_topic, t.btn_wrong_topic, v),
                                                button(action::reason_incomplete, t.btn_incomplete, v),
                                                button(action::reason_outdated, t.btn_outdated, v),
                                                button(action::human, t.btn_human, v)})}});
  return m;
}

Message build_note(const std::string& text) {
  Message m;
  m.text = truncate_chars(text, kMaxFallbackText);
  m.blocks.push_back(section("docbot_note", m.text));
  return m;
}

Message build_help(const std::string& command, Lang lang) {
  const Texts& t = texts(lang);
  const std::string c = escape_truncate(command.empty() ? "/docs" : command, 32);
  Message m;
  m.text = fill(t.help_text, {c});
  m.blocks.push_back(section("docbot_help", fill(t.help_blocks, {c})));
  return m;
}

Message build_escalation(const Digest& d) {
  Message m;
  const Texts& t = texts(d.lang);
  std::string who;
  for (const auto& u : d.oncall_users)
    if (!slack_id(u).empty()) who += "<@" + slack_id(u) + "> ";
  if (!slack_id(d.oncall_group).empty()) who += "<!subteam^" + slack_id(d.oncall_group) + "> ";
  if (who.empty()) who = t.esc_oncall_fallback;
  const char* why = d.reason == "not_confident" ? t.esc_why_not_confident
                    : d.reason == "not_helpful" ? t.esc_why_not_helpful
                                                : t.esc_why_asked;
  const std::string head = fill(t.esc_head, {who, slack_id(d.asker), why});
  const std::string q = escape_truncate(squash_space(d.question), 1000);
  m.blocks.push_back(section("docbot_esc_head", head));
  m.blocks.push_back(section("docbot_esc_question", "*" + std::string(t.esc_question) + "*\n>" + q));
  std::string sug = "*" + std::string(t.esc_suggested) + "*";
  std::string sug_plain;
  if (d.suggested.empty()) {
    sug += "\n_" + std::string(t.esc_nothing) + "_";
    sug_plain = t.esc_nothing;
  }
  for (const auto& h : capped(d.suggested)) {
    sug += "\n• " + hit_link(h, 300) + " (" + type_label(h.type, d.lang) + ")";
    sug_plain += (sug_plain.empty() ? "" : "; ") + escape_truncate(hit_label(h), kMaxLabel);
  }
  m.blocks.push_back(section("docbot_esc_suggested", sug));
  std::string said = "*" + std::string(t.esc_asker_said) + "*";
  std::string said_plain;
  if (d.feedback.empty()) said += "\n_" + std::string(t.esc_nothing_yet) + "_";
  for (std::size_t i = 0; i < d.feedback.size() && i < 10; ++i) {
    said += "\n• " + escape_truncate(squash_space(d.feedback[i]), 200);
    said_plain += (said_plain.empty() ? "" : "; ") + escape_truncate(squash_space(d.feedback[i]), 200);
  }
  m.blocks.push_back(section("docbot_esc_feedback", said));
  // The fallback text carries the mentions too: notifications are computed from `text`.
  m.text = truncate_chars(head + "\n" + t.esc_plain_question + q + "\n" + t.esc_plain_suggested + sug_plain +
                              (said_plain.empty() ? "" : "\n" + std::string(t.esc_plain_said) + said_plain),
                          kMaxFallbackText);
  return m;
}

nlohmann::json post_message_body(const std::string& channel, const std::string& thread_ts, const Message& m) {
  json b = {{"channel", channel}, {"text", m.text}, {"unfurl_links", false}, {"unfurl_media", false}};
  if (!m.blocks.empty()) b["blocks"] = m.blocks;
  if (!thread_ts.empty()) b["thread_ts"] = thread_ts;
  return b;
}

nlohmann::json response_url_body(const Message& m, bool in_channel, bool replace_original) {
  json b = {{"text", m.text},
            {"response_type", in_channel ? "in_channel" : "ephemeral"},
            {"replace_original", replace_original}};
  if (!m.blocks.empty()) b["blocks"] = m.blocks;
  return b;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string render_text(const Message& m) {
  std::string out;
  if (m.blocks.empty()) return mrkdwn_to_terminal(m.text) + "\n";
  for (const auto& b : m.blocks) {
    const std::string type = b.value("type", "");
    if (type == "section" && b.contains("text")) {
      out += mrkdwn_to_terminal(b["text"].value("text", "")) + "\n";
    } else if (type == "context") {
      for (const auto& e : b.value("elements", json::array()))
        out += "  " + mrkdwn_to_terminal(e.value("text", "")) + "\n";
    } else if (type == "divider") {
      out += "---\n";
    } else if (type == "actions") {
      std::string line;
      for (const auto& e : b.value("elements", json::array()))
        line += (line.empty() ? "" : " ") + ("[" + e["text"].value("text", "") + "]");
      out += line + "\n";
    }
  }
  return out;
}

}  // namespace docbot::bot::protocol
