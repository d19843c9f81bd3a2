#include "bot/app/escalation.hpp"

#include "bot/protocol/answer.hpp"

namespace docbot::bot {

bool SlackEscalator::escalate(const EscalationCase& c) {
  protocol::Digest d;
  d.asker = c.answer.user;
  d.question = c.answer.question;
  for (const auto& h : c.answer.hits)
    d.suggested.push_back(
        {h.value("title", ""), h.value("section", ""), h.value("type", ""), h.value("url", ""), ""});
  d.feedback = c.feedback;
  d.reason = c.reason;
  d.oncall_users = users_;
  d.oncall_group = group_;
  d.lang = c.answer.lang;  // the digest lands in the asker's thread: same language as the answer
  const auto msg = protocol::build_escalation(d);
  auto r =
      api_.call("chat.postMessage", protocol::post_message_body(c.answer.channel, c.answer.thread_ts, msg));
  if (r.ok) return true;
  // A /docs answer may come from a channel the bot is not in: the response_url can still post there.
  if (!c.response_url.empty()) {
    r = api_.post_url(c.response_url,
                      protocol::response_url_body(msg, /*in_channel=*/true, /*replace_original=*/false));
    if (r.ok) return true;
  }
  log_.error("escalation", "could not post escalation for answer " + c.answer.id + ": " + r.error);
  return false;
}

}  // namespace docbot::bot
