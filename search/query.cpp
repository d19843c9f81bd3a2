#include "search/query.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/text.hpp"

namespace docbot::search {
namespace {

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

/// Removes every occurrence of `word` as a whole ASCII word (case-insensitive input expected lowercased).
void erase_word(std::string& s, std::string_view word) {
  for (std::size_t p = 0; (p = text::find_word(s, word, p)) != std::string::npos;) s.replace(p, word.size(), " ");
}

void erase_all(std::string& s, std::string_view needle) {
  for (std::size_t p = 0; (p = s.find(needle, p)) != std::string::npos;) s.replace(p, needle.size(), " ");
}

/// Words and phrases that signal an error or failing state. Lowercased.
constexpr std::array<std::string_view, 44> kSymptomWords{
    "error", "failed", "failure", "fails", "failing", "forbidden", "denied", "refused", "timeout", "timed out",
    "crashloopbackoff", "imagepullbackoff", "errimagepull", "oomkilled", "pending", "evicted", "unauthorized",
    "x509", "cannot", "can't", "unable", "won't", "doesn't work", "not working", "broken", "stuck", "exception",
    "panic", "503", "502", "504", "no such host", "i/o timeout", "connection reset", "back-off", "backoff",
    "exceeded", "not found", "notfound", "createcontainerconfigerror", "permission", "unhealthy", "killed",
    "invalid"};
constexpr std::array<std::string_view, 16> kSymptomJa{
    "エラー", "失敗", "できない", "できません", "起動しない", "動かない", "落ちる", "落ちた", "タイムアウト",
    "拒否", "繋がらない", "つながらない", "権限がない", "見つからない", "再起動を繰り返", "止まった"};

struct IntentRule {
  std::string_view phrase;
  Intent intent;
};
// Order matters: the first rule that matches wins ("how does X work" is explanation, "how do I" how-to).
constexpr std::array<IntentRule, 41> kIntentRules{{
    {"how does", Intent::explanation}, {"how do i", Intent::how_to}, {"how can i", Intent::how_to},
    {"how to", Intent::how_to}, {"how do you", Intent::how_to}, {"steps to", Intent::how_to},
    {"what is", Intent::explanation}, {"what are", Intent::explanation}, {"what's", Intent::explanation},
    {"why do", Intent::explanation}, {"why does", Intent::explanation}, {"why is", Intent::explanation},
    {"why are", Intent::explanation}, {"explain", Intent::explanation}, {"difference between", Intent::explanation},
    {"list of", Intent::reference}, {"what are the options", Intent::reference}, {"options", Intent::reference},
    {"fields", Intent::reference}, {"flags", Intent::reference}, {"reference", Intent::reference},
    {"spec", Intent::reference}, {"defaults", Intent::reference}, {"default value", Intent::reference},
    {"tutorial", Intent::tutorial}, {"getting started", Intent::tutorial}, {"get started", Intent::tutorial},
    {"learn", Intent::tutorial}, {"walkthrough", Intent::tutorial},
    {"手順", Intent::how_to}, {"方法", Intent::how_to}, {"やり方", Intent::how_to}, {"するには", Intent::how_to},
    {"とは", Intent::explanation}, {"なぜ", Intent::explanation}, {"仕組み", Intent::explanation},
    {"一覧", Intent::reference}, {"仕様", Intent::reference}, {"オプション", Intent::reference},
    {"入門", Intent::tutorial}, {"チュートリアル", Intent::tutorial},
}};

// Pure intent phrasing, removed before matching (the intent itself is kept in QueryAnalysis).
constexpr std::array<std::string_view, 17> kIntentOnlyEn{
    "how do i", "how can i", "how to", "how do you", "what is", "what are", "what's", "is there a way to",
    "is it possible to", "can i", "can someone", "can anyone", "does anyone know", "i want to", "i need to",
    "tell me", "explain"};
// Not "したい": erasing it would cut 切り戻したい down to 切り戻 (the verb's own し).
constexpr std::array<std::string_view, 9> kIntentOnlyJa{"とは", "方法", "やり方", "手順", "教えて", "ください",
                                                         "について", "でしょうか", "ですか"};

constexpr std::array<std::string_view, 22> kGreetingsEn{
    "hi all", "hi team", "hello team", "hey team", "hi", "hello", "hey", "good morning", "thanks in advance",
    "thank you", "thanks", "thx", "please help", "please", "pls", "sorry to bother", "quick question", "question",
    "team", "folks", "all", "guys"};
constexpr std::array<std::string_view, 12> kGreetingsJa{
    "お疲れ様です", "お疲れさまです", "おつかれさまです", "こんにちは", "すみません", "失礼します",
    "よろしくお願いします", "よろしくお願いいたします", "お願いします", "ありがとうございます", "質問です", "助けてください"};

bool is_error_line(std::string_view line) {
  const auto low = text::ascii_lower(line);
  for (auto w : {"error", "fail", "forbidden", "denied", "refused", "timeout", "timed out", "exception", "panic",
                 "fatal", "backoff", "back-off", "oomkilled", "x509", "unauthorized", "cannot", "unable", "killed",
                 "not found", "invalid", "exceeded"})
    if (contains(low, w)) return true;
  // CamelCase status words such as CrashLoopBackOff
  int humps = 0;
  for (std::size_t i = 1; i < line.size(); ++i)
    if (std::isupper(static_cast<unsigned char>(line[i])) && std::islower(static_cast<unsigned char>(line[i - 1])))
      ++humps;
  return humps >= 2 && contains(line, "Off");
}

}  // namespace

std::string strip_slack_markup(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    const char c = in[i];
    if (c == '<') {
      const auto end = in.find('>', i + 1);
      if (end != std::string_view::npos && end - i < 2000) {
        const std::string_view inner = in.substr(i + 1, end - i - 1);
        const auto bar = inner.find('|');
        if (!inner.empty() && (inner[0] == '@' || inner[0] == '!')) {
          // user / group / special mention: no search value
        } else if (!inner.empty() && inner[0] == '#') {
          if (bar != std::string_view::npos) out.append(inner.substr(bar + 1));
        } else if (bar != std::string_view::npos) {
          out.append(inner.substr(bar + 1));  // link label
        } else if (contains(inner, "://") || inner.substr(0, 7) == "mailto:") {
          // bare link: drop
        } else {
          out.append(in.substr(i, end - i + 1));  // not Slack markup (e.g. "<none>")
        }
        out += ' ';
        i = end + 1;
        continue;
      }
    }
    if (c == ':' && i + 2 < in.size()) {
      // :emoji_name: or :+1::skin-tone-2:
      std::size_t j = i + 1;
      while (j < in.size() && (std::isalnum(static_cast<unsigned char>(in[j])) || in[j] == '_' || in[j] == '-' ||
                               in[j] == '+'))
        ++j;
      if (j < in.size() && in[j] == ':' && j > i + 1 && j - i < 64 &&
          std::islower(static_cast<unsigned char>(in[i + 1]))) {
        const bool prev_ok = i == 0 || !std::isalnum(static_cast<unsigned char>(in[i - 1]));
        if (prev_ok) {
          out += ' ';
          i = j + 1;
          continue;
        }
      }
    }
    if (c == '`') {
      out += ' ';
      ++i;
      continue;
    }
    if (c == '&') {  // Slack escapes & < > in message text
      if (in.substr(i, 5) == "&amp;") { out += '&'; i += 5; continue; }
      if (in.substr(i, 4) == "&lt;") { out += '<'; i += 4; continue; }
      if (in.substr(i, 4) == "&gt;") { out += '>'; i += 4; continue; }
    }
    out += c;
    ++i;
  }
  return out;
}

std::string condense_log(std::string_view textv, std::size_t max_bytes) {
  if (textv.size() <= max_bytes) return std::string(textv);
  std::vector<std::string_view> lines;
  for (std::size_t p = 0; p < textv.size();) {
    auto nl = textv.find('\n', p);
    if (nl == std::string_view::npos) nl = textv.size();
    lines.push_back(textv.substr(p, nl - p));
    p = nl + 1;
  }
  std::string human, errors;
  std::vector<std::string> seen;
  // Human text: leading lines before the paste starts (no timestamps, not indented, not "at ...").
  for (const auto& l : lines) {
    const auto t = text::squash_space(l);
    if (t.empty()) continue;
    const bool logish = std::isdigit(static_cast<unsigned char>(t[0])) || t.rfind("at ", 0) == 0 ||
                        l.rfind("  ", 0) == 0 || l.rfind("\t", 0) == 0 || contains(t, "{\"") || t[0] == '[' ||
                        contains(t, "Traceback");
    if (logish || is_error_line(t)) break;
    if (human.size() + t.size() > max_bytes / 2) break;
    human += t + " ";
  }
  // Error lines: the first few distinct ones (a stack trace repeats itself).
  for (const auto& l : lines) {
    if (errors.size() >= max_bytes / 2) break;
    if (!is_error_line(l)) continue;
    std::string t = text::squash_space(l);
    // Drop a leading timestamp / log level column.
    while (!t.empty() && (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '-' || t[0] == ':' ||
                          t[0] == 'T' || t[0] == 'Z' || t[0] == '.' || t[0] == ' ' || t[0] == '['))
      t.erase(0, 1);
    t = std::string(text::truncate_utf8(t, 200));
    if (std::find(seen.begin(), seen.end(), t) != seen.end()) continue;
    seen.push_back(t);
    errors += t + " ";
    if (seen.size() >= 3) break;
  }
  std::string out = human + errors;
  if (out.empty()) out = std::string(text::truncate_utf8(textv, max_bytes));
  return std::string(text::truncate_utf8(out, max_bytes));
}

std::string strip_greetings(std::string_view in) {
  std::string s(in);
  for (auto g : kGreetingsJa) erase_all(s, g);
  std::string low = text::ascii_lower(s);
  for (auto g : kGreetingsEn) {
    // Remove in both the lowercase copy (for matching) and the original (keep case elsewhere).
    for (std::size_t p = 0; (p = text::find_word(low, g, p)) != std::string::npos; p += g.size()) {
      low.replace(p, g.size(), std::string(g.size(), ' '));
      s.replace(p, g.size(), std::string(g.size(), ' '));
    }
  }
  return text::squash_space(s);
}

QueryAnalysis analyse(std::string_view raw) {
  QueryAnalysis qa;
  std::string s = strip_slack_markup(raw);
  s = condense_log(s);
  s = strip_greetings(s);
  // A query that was only greetings keeps its text, so the caller can still say something useful.
  qa.cleaned = s.empty() ? text::squash_space(strip_slack_markup(raw)) : s;
  // An English question never contains kana, while a Japanese one often pastes long English
  // error text: any kana makes the question Japanese (documents use the ratio rule instead).
  {
    bool kana = false;
    for (std::size_t i = 0; i < qa.cleaned.size() && !kana;) kana = text::is_kana(text::next_code_point(qa.cleaned, i));
    qa.lang = kana || text::detect_language(qa.cleaned) == "ja" ? "ja" : "en";
  }
  const std::string low = text::ascii_lower(qa.cleaned);
  for (auto w : kSymptomWords)
    if (contains(low, w)) qa.symptom = true;
  for (auto w : kSymptomJa)
    if (contains(qa.cleaned, w)) qa.symptom = true;
  // CamelCase status tokens (CrashLoopBackOff, OOMKilled) are symptoms too.
  {
    int run_upper = 0;
    for (std::size_t i = 0; i + 1 < qa.cleaned.size(); ++i) {
      const unsigned char a = qa.cleaned[i], b = qa.cleaned[i + 1];
      if (std::islower(a) && std::isupper(b)) ++run_upper;
      if (std::isspace(a)) run_upper = 0;
      if (run_upper >= 2) qa.symptom = true;
    }
  }
  for (const auto& r : kIntentRules) {
    const bool ascii = static_cast<unsigned char>(r.phrase[0]) < 0x80;
    bool hit = false;
    if (ascii) {
      hit = text::find_word(low, r.phrase) != std::string::npos;
    } else {
      hit = contains(qa.cleaned, r.phrase);
    }
    if (hit) {
      qa.intent = r.intent;
      break;
    }
  }
  // A request that starts with a verb ("create a secret …", "assign CPU …") asks for a task.
  if (!qa.intent) {
    static constexpr std::array<std::string_view, 40> kTaskVerbs{
        "add", "assign", "change", "configure", "connect", "create", "debug", "delete", "deploy", "enable",
        "disable", "expose", "find", "fix", "get", "give", "grant", "install", "limit", "list", "migrate", "mount",
        "move", "perform", "expose", "rename", "restart", "restrict", "roll", "rollback", "rotate", "run", "scale",
        "set", "setup", "share", "troubleshoot", "update", "upgrade", "use"};
    const auto sp = low.find(' ');
    const std::string first = low.substr(0, sp);
    if (sp != std::string::npos && std::find(kTaskVerbs.begin(), kTaskVerbs.end(), first) != kTaskVerbs.end())
      qa.intent = Intent::how_to;
  }
  // Japanese: "…を<verb>" ending in a dictionary-form verb (…を使う, …を割り当てる) asks to do something.
  if (!qa.intent && qa.lang == "ja" && contains(qa.cleaned, "を")) {
    static constexpr std::array<std::string_view, 9> kVerbEndings{"る", "う", "く", "す", "つ", "む", "ぶ", "ぐ", "たい"};
    std::string_view t = qa.cleaned;
    while (!t.empty() && (t.back() == ' ' || t.back() == '?' || t.back() == '.')) t.remove_suffix(1);
    for (auto e : kVerbEndings)
      if (t.size() >= e.size() && t.substr(t.size() - e.size()) == e) qa.intent = Intent::how_to;
  }
  // A pasted error or failing status asks "how do I fix this": troubleshooting how-to first.
  if (qa.symptom && (!qa.intent || *qa.intent == Intent::reference)) qa.intent = Intent::how_to;
  return qa;
}

std::string matching_text(const QueryAnalysis& qa) {
  std::string s = text::ascii_lower(qa.cleaned);
  for (auto w : kIntentOnlyEn) erase_word(s, w);
  for (auto w : kIntentOnlyJa) erase_all(s, w);
  s = text::squash_space(s);
  return s.empty() ? text::ascii_lower(qa.cleaned) : s;
}

std::string_view to_string(Intent i) {
  switch (i) {
    case Intent::tutorial: return "tutorial";
    case Intent::how_to: return "how-to";
    case Intent::reference: return "reference";
    case Intent::explanation: return "explanation";
  }
  return "";
}

}  // namespace docbot::search
