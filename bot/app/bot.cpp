#include "bot/app/bot.hpp"

#include <algorithm>

#include "bot/protocol/answer.hpp"
#include "bot/protocol/mrkdwn.hpp"

namespace docbot::bot {
namespace {

using nlohmann::json;

json hits_json(const std::vector<protocol::Hit>& hits) {
  json a = json::array();
  for (const auto& h : hits)
    a.push_back({{"title", h.title},
                 {"section", h.section},
                 {"type", h.type},
                 {"url", h.url},
                 {"snippet", h.snippet}});
  return a;
}

std::vector<protocol::Hit> hits_from_json(const json& a) {
  std::vector<protocol::Hit> out;
  if (!a.is_array()) return out;
  for (const auto& h : a)
    out.push_back({h.value("title", ""), h.value("section", ""), h.value("type", ""), h.value("url", ""),
                   h.value("snippet", "")});
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

Bot::Bot(const Config& config, DocSearch& docs, WebApi& api, StateStore& state, Escalator& escalator,
         Clock& clock, Log& log, Metrics& metrics)
    : cfg_(config),
      docs_(docs),
      api_(api),
      state_(state),
      escalator_(escalator),
      log_(log),
      metrics_(metrics),
      seen_(clock),
      default_lang_(protocol::lang_from_code(config.language)) {}

protocol::Lang Bot::lang_for(const search::Response& r) const {
  return protocol::reply_lang(r.lang, default_lang_);
}

void Bot::set_identity(std::string user_id, std::string bot_id) {
  self_user_ = std::move(user_id);
  self_bot_ = std::move(bot_id);
}

bool Bot::is_inquiry(const std::string& channel) const {
  return std::find(cfg_.inquiry_channels.begin(), cfg_.inquiry_channels.end(), channel) !=
         cfg_.inquiry_channels.end();
}

Composed compose(DocSearch& docs, const std::string& question, int max_results) {
  Composed c;
  // A pasted 40k-character log must not cost a slow query: the head of a question carries its meaning.
  c.response = docs.search(protocol::truncate_chars(question, 2000));
  c.hits = select_hits(c.response, static_cast<std::size_t>(max_results));
  c.confident = c.response.confident && !c.hits.empty();
  return c;
}

Composed Bot::compose(const std::string& question) { return bot::compose(docs_, question, cfg_.max_results); }

void Bot::handle(const protocol::Event& event) {
  try {
    if (auto* m = std::get_if<protocol::MessageEvent>(&event))
      on_message(*m);
    else if (auto* c = std::get_if<protocol::SlashCommand>(&event))
      on_slash(*c);
    else if (auto* a = std::get_if<protocol::BlockAction>(&event))
      on_action(*a);
    else if (const auto& ig = std::get<protocol::IgnoredEvent>(event); ig.malformed) {
      // Acked already (so Slack does not redeliver it), but broken: worth a warning and a count.
      ++metrics_.malformed;
      log_.warn("bot", "malformed envelope ignored: " + ig.what);
    } else {
      log_.debug("bot", "ignored: " + ig.what);
    }
  } catch (const std::exception& e) {
    // Bad input or a store error must not take the worker down: log, count, carry on.
    ++metrics_.reply_errors;
    log_.error("bot", std::string("handler failed: ") + e.what());
  }
}

void Bot::on_message(const protocol::MessageEvent& m) {
  // Never answer ourselves or other bots; never react to edits, deletes, joins (any subtype).
  if (!m.bot_id.empty() || m.user.empty() || m.user == self_user_ || !m.subtype.empty()) {
    log_.debug("bot", "ignored " + m.type + " " + m.event_id + " (bot, self or subtype '" + m.subtype + "')");
    return;
  }
  if (!seen_.insert("event:" + m.event_id)) {
    ++metrics_.duplicates;
    log_.info("bot",
              "duplicate event " + m.event_id + " (retry " + std::to_string(m.retry_attempt) + ") dropped");
    return;
  }
  const bool top_level = m.thread_ts.empty() || m.thread_ts == m.ts;
  const bool mentions_me = !self_user_.empty() && m.text.find("<@" + self_user_) != std::string::npos;
  bool act = false;
  if (m.type == "app_mention") {
    act = true;
  } else if (m.channel_type == "im" || is_inquiry(m.channel)) {
    // A mention arrives as app_mention too (in channels): let that one answer a thread reply.
    if (top_level)
      act = true;
    else if (mentions_me)
      act = m.channel_type == "im";
    else
      act = cfg_.follow_up == FollowUp::all;
  }
  if (!act) return;
  // A channel mention arrives as both app_mention and message (different event_ids): one answer per message.
  if (!seen_.insert("msg:" + m.channel + ":" + m.ts)) {
    ++metrics_.duplicates;
    return;
  }
  const std::string thread = top_level ? m.ts : m.thread_ts;
  answer_in_thread(m.channel, thread, m.ts, m.user, protocol::question_from_text(m.text, self_user_));
}

void Bot::answer_in_thread(const std::string& channel, const std::string& thread_ts,
                           const std::string& question_ts, const std::string& user,
                           const std::string& question) {
  if (question.empty()) {
    post(channel, thread_ts, protocol::build_note(protocol::texts(default_lang_).empty_question));
    return;
  }
  Composed c = compose(question);
  const protocol::Lang lang = lang_for(c.response);
  AnswerRecord rec;
  rec.surface = "thread";
  rec.channel = channel;
  rec.thread_ts = thread_ts;
  rec.question_ts = question_ts;
  rec.user = user;
  rec.question = question;
  rec.confident = c.confident;
  rec.lang = lang;
  if (c.confident) rec.hits = hits_json(c.hits);
  rec.id = state_.add_answer(rec);
  if (!c.confident) {
    // Say so in one line and hand over at once; weak links are never posted as an answer.
    post(channel, thread_ts, protocol::build_not_found(question, rec.id, /*offer_human=*/false, lang));
    escalate(rec, "not_confident", "");
    return;
  }
  protocol::Answer a{question, c.response.did_you_mean.value_or(""), c.hits, rec.id, "", lang};
  post(channel, thread_ts, protocol::build_answer(a, protocol::Surface::thread));
}

bool Bot::post(const std::string& channel, const std::string& thread_ts, const protocol::Message& m) {
  auto r = api_.call("chat.postMessage", protocol::post_message_body(channel, thread_ts, m));
  if (r.ok)
    ++metrics_.replies;
  else
    ++metrics_.reply_errors;
  return r.ok;
}

bool Bot::respond(const std::string& response_url, const std::string& channel, const std::string& user,
                  const protocol::Message& m, bool in_channel) {
  ApiResult r;
  if (!response_url.empty()) {
    r = api_.post_url(response_url, protocol::response_url_body(m, in_channel, false));
  } else if (in_channel) {
    r = api_.call("chat.postMessage", protocol::post_message_body(channel, "", m));
  } else {
    json body = protocol::post_message_body(channel, "", m);
    body["user"] = user;
    r = api_.call("chat.postEphemeral", body);
  }
  if (r.ok)
    ++metrics_.replies;
  else
    ++metrics_.reply_errors;
  return r.ok;
}

void Bot::on_slash(const protocol::SlashCommand& c) {
  if (c.command != cfg_.slash_command) {
    log_.warn("bot", "unexpected slash command " + c.command);
    return;
  }
  const std::string q = trim(protocol::unescape(c.text));
  if (q.empty() || q == "help" || q == "-h" || q == "--help" || q == "ヘルプ") {
    const auto lang = q == "ヘルプ" ? protocol::Lang::ja : default_lang_;
    respond(c.response_url, c.channel_id, c.user_id, protocol::build_help(c.command, lang), false);
    return;
  }
  Composed comp = compose(q);
  const protocol::Lang lang = lang_for(comp.response);
  AnswerRecord rec;
  rec.surface = "ephemeral";
  rec.channel = c.channel_id;
  rec.user = c.user_id;
  rec.question = q;
  rec.confident = comp.confident;
  rec.lang = lang;
  if (comp.confident) rec.hits = hits_json(comp.hits);
  rec.id = state_.add_answer(rec);
  if (!comp.confident) {
    // Private question: say so privately and let the asker decide to involve a person (one click).
    respond(c.response_url, c.channel_id, c.user_id,
            protocol::build_not_found(q, rec.id, /*offer_human=*/true, lang), false);
    return;
  }
  protocol::Answer a{q, comp.response.did_you_mean.value_or(""), comp.hits, rec.id, "", lang};
  respond(c.response_url, c.channel_id, c.user_id, protocol::build_answer(a, protocol::Surface::ephemeral),
          false);
}

void Bot::escalate(const AnswerRecord& a, const std::string& reason, const std::string& response_url) {
  if (!state_.mark_escalated(a.id, reason)) {
    log_.info("bot", "answer " + a.id + " already escalated");
    return;
  }
  EscalationCase ec{a, reason, state_.feedback_lines(a.id, a.lang), response_url};
  if (escalator_.escalate(ec)) ++metrics_.escalations;
}

void Bot::on_action(const protocol::BlockAction& act) {
  using namespace protocol::action;
  const std::string& id = act.action_id;
  if (id.rfind("docbot_", 0) != 0) return;
  auto rec = state_.answer(act.value);
  if (!rec) {
    respond(act.response_url, act.channel_id, act.user_id,
            protocol::build_note(protocol::texts(default_lang_).expired), false);
    return;
  }
  const protocol::Lang lang = rec->lang;  // follow-ups speak the answer's language
  const protocol::Texts& t = protocol::texts(lang);
  const bool in_thread = rec->surface == "thread";
  // Replies to a thread answer go to the thread; for a private /docs answer they stay private.
  auto reply = [&](const protocol::Message& m) {
    if (in_thread)
      post(rec->channel, rec->thread_ts, m);
    else
      respond(act.response_url, act.channel_id, act.user_id, m, false);
  };

  if (id == share) {
    if (rec->hits.empty()) return;
    protocol::Answer a{rec->question, "", hits_from_json(rec->hits), rec->id, act.user_id, lang};
    state_.add_feedback(rec->id, act.user_id, "shared", "");
    respond(act.response_url, rec->channel, act.user_id, protocol::build_answer(a, protocol::Surface::shared),
            true);
  } else if (id == solved) {
    state_.add_feedback(rec->id, act.user_id, "solved", "");
    ++metrics_.feedback_solved;
    if (in_thread && !rec->question_ts.empty())
      api_.call("reactions.add",
                {{"channel", rec->channel}, {"timestamp", rec->question_ts}, {"name", "white_check_mark"}});
    reply(protocol::build_note(t.solved_thanks));
  } else if (id == not_helpful) {
    state_.add_feedback(rec->id, act.user_id, "not_helpful", "");
    ++metrics_.feedback_not_helpful;
    reply(protocol::build_ask_reason(rec->id, lang));
  } else if (id == reason_wrong_topic || id == reason_incomplete || id == reason_outdated) {
    const char* code = id == reason_wrong_topic  ? protocol::reason::wrong_topic
                       : id == reason_incomplete ? protocol::reason::incomplete
                                                 : protocol::reason::outdated;
    state_.add_feedback(rec->id, act.user_id, "reason", code);
    reply(protocol::build_note(protocol::fill(t.reason_thanks, {protocol::reason_label(code, lang)})));
  } else if (id == human) {
    state_.add_feedback(rec->id, act.user_id, "escalated", "");
    const bool unhelpful = state_.has_feedback(rec->id, "not_helpful");
    escalate(*rec, unhelpful ? "not_helpful" : "asked", in_thread ? "" : act.response_url);
    if (!in_thread) reply(protocol::build_note(t.escalated_note));
  }
}

}  // namespace docbot::bot
