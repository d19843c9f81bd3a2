#include "bot/protocol/texts.hpp"

#include <cctype>

namespace docbot::bot::protocol {
namespace {

constexpr Texts kEn{
    .intro = "Here is what the docs say about “{1}”:",
    .intro_shared = "{1} shared what the docs say about “{2}”:",
    .did_you_mean = "Did you mean *{1}*? Showing results for that.",
    .fallback_head = "Docs for “{1}”:",
    .type_tutorial = "Tutorial",
    .type_how_to = "How-to guide",
    .type_reference = "Reference",
    .type_explanation = "Explanation",
    .type_page = "Page",
    .btn_share = "Share in channel",
    .btn_solved = "Solved",
    .btn_not_helpful = "Not helpful",
    .btn_human = "Talk to a human",
    .btn_wrong_topic = "Wrong topic",
    .btn_incomplete = "Right topic, didn't answer",
    .btn_outdated = "Outdated",
    .not_found = "I couldn't find a confident answer to “{1}” in the docs.",
    .not_found_offer = " A person from the platform team can help.",
    .not_found_escalated = " I've asked the on-call engineer to help.",
    .ask_reason = "Sorry that didn't help. What was wrong?",
    .reason_wrong_topic = "wrong topic",
    .reason_incomplete = "right topic, but didn't answer",
    .reason_outdated = "outdated",
    .reason_thanks =
        "Thanks — noted ({1}). It goes to the docs maintainers. Press *Talk to a human* if you "
        "still need help.",
    .solved_thanks = "Glad that solved it — thanks for letting me know! :white_check_mark:",
    .escalated_note = "I've asked the on-call engineer to help you in this channel.",
    .expired = "That answer has expired — ask again and I'll search the docs afresh.",
    .empty_question = "Ask me a question about the platform docs, e.g. _why is my pod pending?_",
    .help_text = "Usage: {1} <question> — searches the docs and shows the answer only to you.",
    .help_blocks =
        "*{1} <question>* searches the platform docs and shows the answer only to you, with a "
        "*Share in channel* button.\nExamples: `{1} pod stuck in CrashLoopBackOff`, `{1} how do I "
        "add a secret`\nYou can also mention me in a channel, or ask in an inquiry channel: I "
        "reply in the thread, and *Talk to a human* hands over to the on-call engineer.",
    .esc_oncall_fallback = "On-call: ",
    .esc_head = "{1}— <@{2}> needs a hand. {3}",
    .esc_why_not_confident = "The docs don't cover this (no confident match).",
    .esc_why_not_helpful = "The suggested pages didn't help.",
    .esc_why_asked = "They asked to talk to a human.",
    .esc_question = "Question",
    .esc_suggested = "Bot suggested",
    .esc_nothing = "nothing confident",
    .esc_asker_said = "Asker said",
    .esc_nothing_yet = "nothing yet",
    .esc_plain_question = "Question: ",
    .esc_plain_suggested = "Bot suggested: ",
    .esc_plain_said = "Asker said: ",
    .fb_not_helpful = "Not helpful",
    .fb_reason = "Why: {1}",
    .fb_solved = "Solved",
};

// Written as a Japanese engineer would read it in Slack: polite but short, Slack's own terms (スレッド,
// チャンネル) and the Kubernetes words left in English where the docs use them.
constexpr Texts kJa{
    .intro = "「{1}」に関するドキュメントはこちらです:",
    .intro_shared = "{1} さんが「{2}」に関するドキュメントを共有しました:",
    .did_you_mean = "もしかして *{1}* ですか? その検索結果を表示しています。",
    .fallback_head = "「{1}」に関するドキュメント:",
    .type_tutorial = "チュートリアル",
    .type_how_to = "ハウツーガイド",
    .type_reference = "リファレンス",
    .type_explanation = "解説",
    .type_page = "ページ",
    .btn_share = "チャンネルに共有",
    .btn_solved = "解決した",
    .btn_not_helpful = "役に立たなかった",
    .btn_human = "担当者に相談",
    .btn_wrong_topic = "内容が違う",
    .btn_incomplete = "内容は合っているが解決しない",
    .btn_outdated = "情報が古い",
    .not_found = "「{1}」について、ドキュメントに確かな回答が見つかりませんでした。",
    .not_found_offer = "プラットフォームチームの担当者に相談できます。",
    .not_found_escalated = "オンコール担当のエンジニアに対応を依頼しました。",
    .ask_reason = "お役に立てずすみません。どこが問題でしたか?",
    .reason_wrong_topic = "内容が違う",
    .reason_incomplete = "内容は合っているが解決しない",
    .reason_outdated = "情報が古い",
    .reason_thanks =
        "ありがとうございます。フィードバックを記録しました({1})。ドキュメントのメンテナーに共有します。"
        "まだ解決しない場合は *担当者に相談* を押してください。",
    .solved_thanks = "解決してよかったです。お知らせいただきありがとうございます! :white_check_mark:",
    .escalated_note = "オンコール担当のエンジニアに、このチャンネルで対応するよう依頼しました。",
    .expired =
        "この回答は有効期限が切れています。もう一度質問していただければ、改めてドキュメントを検索します。",
    .empty_question =
        "プラットフォームのドキュメントについて質問してください。例: _Pod が Pending のままなのはなぜ?_",
    .help_text = "使い方: {1} <質問> — ドキュメントを検索し、回答をあなただけに表示します。",
    .help_blocks =
        "*{1} <質問>* でプラットフォームのドキュメントを検索し、回答をあなただけに表示します"
        "(*チャンネルに共有* ボタン付き)。\n例: `{1} Pod が CrashLoopBackOff になる`、`{1} Secret "
        "を追加するには`\nチャンネルでメンションしたり、問い合わせチャンネルで質問したりすることも"
        "できます。回答はスレッドに投稿され、*担当者に相談* でオンコール担当のエンジニアに引き継ぎます。",
    .esc_oncall_fallback = "オンコール担当: ",
    .esc_head = "{1}— <@{2}> さんがサポートを必要としています。{3}",
    .esc_why_not_confident = "ドキュメントに該当する内容がありません(確かな一致なし)。",
    .esc_why_not_helpful = "提示したページでは解決しませんでした。",
    .esc_why_asked = "担当者への相談を希望しています。",
    .esc_question = "質問",
    .esc_suggested = "ボットの提案",
    .esc_nothing = "確かな候補なし",
    .esc_asker_said = "質問者のコメント",
    .esc_nothing_yet = "まだありません",
    .esc_plain_question = "質問: ",
    .esc_plain_suggested = "ボットの提案: ",
    .esc_plain_said = "質問者のコメント: ",
    .fb_not_helpful = "役に立たなかった",
    .fb_reason = "理由: {1}",
    .fb_solved = "解決した",
};

}  // namespace

Lang lang_from_code(std::string_view code) {
  if (code.size() >= 2 && std::tolower(static_cast<unsigned char>(code[0])) == 'j' &&
      std::tolower(static_cast<unsigned char>(code[1])) == 'a' &&
      (code.size() == 2 || code[2] == '-' || code[2] == '_'))
    return Lang::ja;
  return Lang::en;
}

std::string_view lang_code(Lang l) { return l == Lang::ja ? "ja" : "en"; }

Lang reply_lang(std::string_view question_lang, Lang configured_default) {
  return lang_from_code(question_lang) == Lang::ja || configured_default == Lang::ja ? Lang::ja : Lang::en;
}

const Texts& texts(Lang l) { return l == Lang::ja ? kJa : kEn; }

std::string fill(std::string_view tmpl, std::initializer_list<std::string_view> args) {
  std::string out;
  out.reserve(tmpl.size() + 64);
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 1] >= '1' && tmpl[i + 1] <= '9' &&
        tmpl[i + 2] == '}') {
      const std::size_t n = static_cast<std::size_t>(tmpl[i + 1] - '1');
      if (n < args.size()) out += *(args.begin() + n);
      i += 2;
      continue;
    }
    out += tmpl[i];
  }
  return out;
}

std::string reason_label(std::string_view code, Lang l) {
  const Texts& t = texts(l);
  // Older rows hold the English phrase; map it like its code so a Japanese digest reads Japanese.
  if (code == reason::wrong_topic || code == kEn.reason_wrong_topic) return t.reason_wrong_topic;
  if (code == reason::incomplete || code == kEn.reason_incomplete) return t.reason_incomplete;
  if (code == reason::outdated || code == kEn.reason_outdated) return t.reason_outdated;
  return std::string(code);
}

std::string feedback_line(std::string_view kind, std::string_view detail, Lang l) {
  const Texts& t = texts(l);
  if (kind == "not_helpful") return t.fb_not_helpful;
  if (kind == "reason") return fill(t.fb_reason, {reason_label(detail, l)});
  if (kind == "solved") return t.fb_solved;
  return {};
}

}  // namespace docbot::bot::protocol
