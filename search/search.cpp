#include "search/search.hpp"

#include <xapian.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <unordered_set>
#include <iostream>
#include <map>
#include <set>
#include <unordered_map>

#include "common/text.hpp"
#include "search/query.hpp"
#include "search/schema.hpp"

namespace docbot::search {
namespace {

namespace sc = docbot::schema;
std::string str(std::string_view s) { return std::string(s); }

// ---- Ranking constants (calibrated on ../shared/eval/dev-queries.jsonl and docs-corpus/queries.jsonl;
// change them only with both evals in hand) ----
constexpr double kScaleTitle = 1.0;      // extra BM25 clause for a query word in the page title
constexpr double kScaleHeading = 0.7;    // ... in the section's heading path
constexpr double kScaleErrorToken = 1.5; // exact error token (CrashLoopBackOff) found in docs' code
constexpr double kScaleSynonym = 0.5;    // a synonym expansion counts half of the user's own word
constexpr double kScaleNear = 0.5;            // two consecutive query words within kNearWindow
constexpr Xapian::termcount kNearWindow = 4;
constexpr double kScaleTroubleshootTitle = 0.6; // symptom: "Debug …" / "Troubleshooting …" titles
constexpr double kScaleSourceName = 0.3;  // "argocd" in a question over the Argo CD docs
constexpr double kBoostNamedSource = 1.15;  // ... but do prefer that source's pages
constexpr double kScaleParticle = 0.2;   // hiragana-only CJK n-grams: mostly particles/inflection
constexpr double kScaleLoneKanji = 0.3;  // a single kanji between kana: weak on its own
constexpr double kScaleKanaMix = 0.5;    // kanji/katakana + hiragana bigrams: often straddle a particle
constexpr double kBoostIntentType = 1.25;      // page type equals the query's Diátaxis intent
constexpr double kBoostSymptomHowTo = 1.3;     // pasted error: troubleshooting how-to first
constexpr double kBoostSymptomReference = 1.1; // ... then the reference
constexpr double kBoostSameLang = 2.0;// Japanese question, Japanese page
constexpr double kPenaltyOtherLang = 0.45;     // English question, page in another language
constexpr double kPenaltyLanding = 0.85;       // section landing pages are lists of links
constexpr double kPenaltyFragment = 0.7;       // snippets the site includes elsewhere
// Abstention: the best page must cover most of the question's meaning (idf-weighted concepts,
// synonyms count) — or at least a good part of it *and* share a word with the page's title, the
// sign that the page is about the question's topic rather than mentioning its words in passing.
// Calibrated on both query sets (dev + docs-corpus): chatty but answerable Slack questions sit at
// 0.38–0.6 coverage with a title hit; unanswerable ones that reach 0.45–0.63 never hit a title.
constexpr double kMinCoverage = 0.75;
constexpr double kMinCoverageOnTopic = 0.35;
constexpr double kMinCoverageShort = 0.99;  // one-concept queries must match that concept
constexpr int kCandidates = 30;
constexpr unsigned kSectionsPerPage = 3;
constexpr double kBoostTitleFit = 1.5;       // x(1 + this * F1 of title vs query)
constexpr double kBoostTroubleshooting = 1.2; // symptom + a debugging/troubleshooting page

const std::set<std::string>& stopwords() {
  static const std::set<std::string> kStop{
      "a", "an", "the", "to", "of", "in", "on", "for", "is", "are", "was", "were", "be", "been", "my", "i", "it",
      "its", "with", "and", "or", "do", "does", "did", "this", "that", "these", "those", "from", "by", "at", "as",
      "me", "we", "our", "you", "your", "can", "could", "should", "would", "how", "what", "why", "when", "where",
      "which", "who", "there", "any", "some", "so", "if", "but", "not", "no", "all", "about", "into", "out", "up",
      "get", "got", "have", "has", "had", "will", "just", "also", "than", "then", "them", "they", "he", "she",
      "us", "am", "im", "i'm", "it's", "via", "using", "use", "way", "someone", "anyone", "know", "need", "want",
      "after", "before", "now", "still", "again", "help", "same", "many", "much", "each", "every", "other",
      "another", "one", "something", "thing", "things", "like", "make", "sure", "trying", "try", "tried", "see",
      "seems", "anything", "everything", "here", "only", "even", "own", "very", "really", "more", "most",
      "keep", "keeps", "kept", "keeping", "happen", "happens", "happened", "happening", "going",
      "whose", "whom", "while", "during", "across", "between", "within", "without", "through", "over", "under"};
  return kStop;
}

bool is_cjk_term(const std::string& t) {
  std::size_t i = 0;
  return !t.empty() && text::is_cjk(text::next_code_point(t, i));
}

bool all_hiragana(const std::string& t) {
  for (std::size_t i = 0; i < t.size();) {
    const char32_t c = text::next_code_point(t, i);
    if (!(c >= 0x3040 && c <= 0x309F)) return false;
  }
  return true;
}

bool has_hiragana(const std::string& t) {
  for (std::size_t i = 0; i < t.size();) {
    const char32_t c = text::next_code_point(t, i);
    if (c >= 0x3040 && c <= 0x309F) return true;
  }
  return false;
}

std::size_t code_points(const std::string& t) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < t.size();) {
    text::next_code_point(t, i);
    ++n;
  }
  return n;
}

/// One unit of query meaning: a word (with its stem), a CJK bigram, or a synonym expansion.
struct Concept {
  std::vector<std::string> terms;  ///< unprefixed terms, combined with OP_SYNONYM
  double scale = 1.0;
  bool coverage = true;            ///< counts towards the abstention rule
  int alt = -1;                    ///< index of a synonym concept that also satisfies this one
  double idf = 0;
};

/// The doc id with its language folder blanked: en/x.md and ja/x.md are twins.
std::string twin_key(const std::string& docid) {
  static constexpr std::string_view kLangs[] = {"en", "ja", "ko", "zh", "zh-cn", "zh-tw"};
  std::string key;
  std::size_t start = 0;
  while (start <= docid.size()) {
    auto end = docid.find('/', start);
    if (end == std::string::npos) end = docid.size();
    const std::string_view seg(docid.data() + start, end - start);
    const bool lang = std::find(std::begin(kLangs), std::end(kLangs), seg) != std::end(kLangs);
    key.append(lang ? "*" : std::string(seg));
    if (end < docid.size()) key += '/';
    start = end + 1;
  }
  return key;
}

/// The part of a long section worth showing: ~1.5 KB around the first query word it contains.
/// MSet::snippet scores every window of the text it is given, so handing it 30 KB is slow.
std::string snippet_window(const std::string& data, const std::set<std::string>& qterms) {
  constexpr std::size_t kWindow = 900;
  if (data.size() <= kWindow) return data;
  const std::string low = text::ascii_lower(data);
  std::size_t first = std::string::npos;
  for (const auto& t : qterms) {
    if (t.empty() || t[0] == 'Z') continue;
    const auto p = low.find(t);
    if (p < first) first = p;
  }
  std::size_t start = first == std::string::npos || first < kWindow / 3 ? 0 : first - kWindow / 3;
  while (start > 0 && (static_cast<unsigned char>(data[start]) & 0xC0) == 0x80) --start;
  return std::string(text::truncate_utf8(std::string_view(data).substr(start), kWindow));
}

/// English words from the system word list (Debian's wamerican), loaded once per process and
/// never changed after: a word in it is spelled right even when the docs never use it, so we do
/// not "correct" lunch to launch. Missing list: no such check (spelling still works).
const std::unordered_set<std::string>& dictionary() {
  static const std::unordered_set<std::string> words = [] {
    std::unordered_set<std::string> w;
    const char* env = std::getenv("DOCBOT_WORDS");
    std::ifstream in(env ? env : "/usr/share/dict/words");
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line.find('\'') == std::string::npos) w.insert(text::ascii_lower(line));
    return w;
  }();
  return words;
}

std::string hugo_path(std::string p) {
  if (p.size() > 3 && p.substr(p.size() - 3) == ".md") p.resize(p.size() - 3);
  else if (p.size() > 9 && p.substr(p.size() - 9) == ".markdown") p.resize(p.size() - 9);
  const auto slash = p.rfind('/');
  const std::string name = slash == std::string::npos ? p : p.substr(slash + 1);
  if (name == "_index" || name == "index") p.resize(slash == std::string::npos ? 0 : slash + 1);
  else p += '/';
  return p;
}

}  // namespace

struct Searcher::Impl {
  Xapian::Database db;
  Xapian::Stem stemmer{"english"};
  Xapian::TermGenerator tg;
  std::vector<std::pair<std::string, std::vector<std::string>>> synonyms;  // key -> values
  std::vector<SourceUrl> urls;
  std::set<std::string> sources;  // source names, lowercased
  /// Title → (its content terms incl. stems, number of content words). Titles repeat across
  /// queries, so tokenising each once saves most of the rerank's time. Bounded by the page count.
  struct TitleTerms {
    std::set<std::string> terms;                             ///< content words, their stems, CJK bigrams
    std::vector<std::pair<std::string, std::string>> words;  ///< (word, Z-stem or "") per content word
  };
  std::unordered_map<std::string, TitleTerms> title_cache;

  const TitleTerms& title_terms(const std::string& title) {
    auto it = title_cache.find(title);
    if (it != title_cache.end()) return it->second;
    TitleTerms tt;
    for (const auto& t : tokens(text::ascii_lower(title))) {
      if (stopwords().count(t) || (is_cjk_term(t) && (code_points(t) == 1 || all_hiragana(t)))) continue;
      if (!tt.terms.insert(t).second) continue;
      std::string z = is_cjk_term(t) ? "" : "Z" + stemmer(t);
      if (!z.empty()) tt.terms.insert(z);
      tt.words.emplace_back(t, std::move(z));
    }
    return title_cache.emplace(title, std::move(tt)).first->second;
  }

  void load_sources() {
    sources.clear();
    // {"name": {"dir": …, "slug_style": …}, …} as the indexer writes it; a damaged value only
    // loses the source-name hint, never the search.
    const auto meta = nlohmann::json::parse(db.get_metadata(std::string(sc::kMetaSources)), nullptr, false);
    if (meta.is_object())
      for (const auto& item : meta.items()) sources.insert(text::ascii_lower(item.key()));
  }

  Impl() { tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM); tg.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE); }

  void load_synonyms() {
    synonyms.clear();
    for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
      std::vector<std::string> vals;
      for (auto v = db.synonyms_begin(*k); v != db.synonyms_end(*k); ++v) vals.push_back(*v);
      synonyms.emplace_back(*k, std::move(vals));
    }
    // Longest keys first so "won't start" is tried before "start".
    std::stable_sort(synonyms.begin(), synonyms.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }

  /// Raw terms of `s` in position order (TermGenerator does the tokenising, as at index time).
  std::vector<std::string> tokens(const std::string& s) {
    Xapian::Document d;
    tg.set_document(d);
    tg.index_text(s);
    std::vector<std::pair<Xapian::termpos, std::string>> by_pos;
    for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t) {
      // CJK bigrams carry no positions: keep them, after the positioned words.
      if (t.positionlist_count() == 0) by_pos.emplace_back(~0u, *t);
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) by_pos.emplace_back(*p, *t);
    }
    std::sort(by_pos.begin(), by_pos.end());
    std::vector<std::string> out;
    for (auto& [p, t] : by_pos) out.push_back(std::move(t));
    tg.set_document(Xapian::Document());
    return out;
  }

  double idf(const std::string& term) {
    const double n = std::max<double>(1, db.get_doccount());
    const double tf = db.get_termfreq(term);
    // A word no page contains is the strongest sign the docs do not cover the question:
    // give it the largest idf rather than none, so coverage (abstention) notices it.
    return std::log((n + 1) / std::max(0.5, tf));
  }

  /// Adds the concepts for a token list; returns the concept indexes created. CJK bigrams in
  /// `toks` are ignored here: CJK text goes through add_cjk_concepts, which knows the runs.
  std::vector<int> add_concepts(const std::vector<std::string>& toks, std::vector<Concept>& out, double scale,
                                bool coverage) {
    std::vector<int> made;
    std::set<std::string> dup;
    for (const auto& t : toks) {
      if (!dup.insert(t).second || is_cjk_term(t)) continue;
      if (stopwords().count(t)) continue;
      Concept c;
      c.scale = scale;
      c.coverage = coverage;
      const std::string z = "Z" + stemmer(t);
      c.terms = {t};
      if (z != "Z" + t || db.term_exists(z)) c.terms.push_back(z);
      made.push_back(static_cast<int>(out.size()));
      out.push_back(std::move(c));
    }
    return made;
  }

  /// Japanese/Chinese text has no spaces; the index holds CJK bigrams (and unigrams). Without a
  /// morphological analyser we use script runs as word guesses: a run of kanji or of katakana
  /// (コンテナ, 環境変数) is one concept made of its bigrams; bigrams that cross from kanji to
  /// hiragana mostly straddle a particle or an inflection (数と, 動し) and count only weakly;
  /// hiragana-only bigrams are nearly noise; a lone kanji is weak evidence on its own.
  std::vector<int> add_cjk_concepts(const std::string& textv, std::vector<Concept>& out) {
    enum Cls { kOther, kKanji, kKata, kHira };
    auto cls = [](char32_t c) {
      if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005)
        return kKanji;
      if ((c >= 0x30A0 && c <= 0x30FF) || (c >= 0xFF66 && c <= 0xFF9F) || (c >= 0x31F0 && c <= 0x31FF)) return kKata;
      if (c >= 0x3040 && c <= 0x309F) return kHira;
      return kOther;
    };
    std::vector<std::pair<std::string, Cls>> chars;
    for (std::size_t i = 0; i < textv.size();) {
      const std::size_t b = i;
      const char32_t c = text::next_code_point(textv, i);
      chars.emplace_back(textv.substr(b, i - b), cls(c));
    }
    std::vector<int> made;
    std::set<std::string> seen;
    auto add = [&](std::vector<std::string> terms, double scale, bool coverage) {
      std::vector<std::string> fresh;
      for (auto& t : terms)
        if (seen.insert(t).second) fresh.push_back(std::move(t));
      if (fresh.empty()) return;
      Concept c;
      c.terms = std::move(fresh);
      c.scale = scale;
      c.coverage = coverage;
      made.push_back(static_cast<int>(out.size()));
      out.push_back(std::move(c));
    };
    std::size_t i = 0;
    while (i < chars.size()) {
      if (chars[i].second == kOther) { ++i; continue; }
      std::size_t j = i;  // [i, j) is one CJK span
      while (j < chars.size() && chars[j].second != kOther) ++j;
      // Runs of one script inside the span.
      std::size_t r = i;
      while (r < j) {
        std::size_t e = r;
        while (e < j && chars[e].second == chars[r].second) ++e;
        const Cls k = chars[r].second;
        if ((k == kKanji || k == kKata) && e - r >= 2) {
          std::vector<std::string> grams;
          for (std::size_t x = r; x + 1 < e; ++x) grams.push_back(chars[x].first + chars[x + 1].first);
          add(grams, 1.0, true);
        } else if (k == kKanji && e - r == 1) {
          add({chars[r].first}, kScaleLoneKanji, false);
        }
        r = e;
      }
      // Bigrams across a script change.
      for (std::size_t x = i; x + 1 < j; ++x) {
        const Cls a = chars[x].second, b = chars[x + 1].second;
        if (a == b) {
          if (a == kHira) add({chars[x].first + chars[x + 1].first}, kScaleParticle, false);
          continue;
        }
        add({chars[x].first + chars[x + 1].first}, kScaleKanaMix, false);
      }
      i = j;
    }
    return made;
  }

  Xapian::Query concept_query(const Concept& c, const std::string& prefix) {
    std::vector<Xapian::Query> qs;
    for (const auto& t : c.terms) {
      if (t[0] == 'Z') qs.emplace_back("Z" + prefix + t.substr(1));
      else qs.emplace_back(prefix + t);
    }
    return Xapian::Query(Xapian::Query::OP_SYNONYM, qs.begin(), qs.end());
  }
};

Searcher::Searcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Searcher::~Searcher() = default;

std::unique_ptr<Searcher> Searcher::open(const std::string& index_dir, std::string* error) {
  auto impl = std::make_unique<Impl>();
  try {
    impl->db = Xapian::Database(index_dir);
    const auto schema = impl->db.get_metadata(str(sc::kMetaSchema));
    if (schema.empty()) {
      *error = index_dir + " is not a docbot index (no schema version); build it with docbot-index";
      return nullptr;
    }
    if (schema != sc::kSchemaVersion) {
      *error = index_dir + " has schema " + schema + ", this docbot reads " + str(sc::kSchemaVersion) +
               "; re-run docbot-index";
      return nullptr;
    }
    impl->load_synonyms();
    impl->load_sources();
  } catch (const Xapian::Error& e) {
    *error = "cannot open index " + index_dir + ": " + e.get_msg();
    return nullptr;
  }
  return std::unique_ptr<Searcher>(new Searcher(std::move(impl)));
}

bool Searcher::reopen() {
  try {
    const bool changed = impl_->db.reopen();
    if (changed) {
      impl_->title_cache.clear();
      impl_->load_synonyms();
      impl_->load_sources();
    }
    return changed;
  } catch (const Xapian::Error& e) {
    std::cerr << "search: reopen failed: " << e.get_description() << "\n";
    return false;
  }
}

void Searcher::set_urls(std::vector<SourceUrl> urls) { impl_->urls = std::move(urls); }

bool Searcher::healthy(std::string* why) {
  std::string out;
  bool ok = false;
  try {
    const auto schema = impl_->db.get_metadata(str(sc::kMetaSchema));
    const auto docs = impl_->db.get_doccount();
    if (schema != sc::kSchemaVersion)
      out = "index schema '" + schema + "', this docbot reads " + str(sc::kSchemaVersion);
    else if (docs == 0)
      out = "index has no documents";
    else {
      out = std::to_string(docs) + " documents";
      ok = true;
    }
  } catch (const Xapian::Error& e) {
    out = "index unreadable: " + e.get_description();
  }
  if (why) *why = out;
  return ok;
}

Response Searcher::search(std::string_view query, const Options& options) {
  Impl& I = *impl_;
  Response r;
  const bool debug_ = std::getenv("DOCBOT_SEARCH_DEBUG") != nullptr;
  r.query = std::string(query);
  QueryAnalysis qa = analyse(query);
  r.cleaned = qa.cleaned;
  r.lang = qa.lang;
  r.intent = qa.intent;
  r.symptom = qa.symptom;
  if (qa.cleaned.empty()) return r;

  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      std::string mtext = matching_text(qa);

      // ---- Spelling: replace unknown English words by the index's suggestion ----
      {
        std::vector<std::pair<std::string, std::string>> fixes;  // (typo, correction)
        for (const auto& t : I.tokens(mtext)) {
          if (is_cjk_term(t) || t.size() < 4 || stopwords().count(t)) continue;
          if (std::any_of(t.begin(), t.end(), [](char c) { return !std::isalpha(static_cast<unsigned char>(c)); }))
            continue;
          if (I.db.term_exists(t) || I.db.term_exists("Z" + I.stemmer(t)) || dictionary().count(t)) continue;
          const std::string s = I.db.get_spelling_suggestion(t, 2);
          // Typos rarely hit the first letter; "night" -> "might" is a real word the docs lack.
          if (s.empty() || s == t || s[0] != t[0]) continue;
          fixes.emplace_back(t, s);
        }
        if (!fixes.empty()) {
          auto apply = [&](std::string text, bool fold) {
            std::string low = fold ? text::ascii_lower(text) : text;
            for (const auto& [bad, good] : fixes)
              for (std::size_t p = 0; (p = text::find_word(low, bad, p)) != std::string::npos; p += good.size()) {
                text.replace(p, bad.size(), good);
                low.replace(p, bad.size(), good);
              }
            return text;
          };
          r.did_you_mean = apply(qa.cleaned, true);  // the user's own words, corrected
          mtext = apply(mtext, false);
        }
      }

      // ---- Concepts: words, CJK bigrams, error tokens, synonyms ----
      const std::vector<std::string> toks = I.tokens(mtext);
      std::vector<Concept> concepts;
      std::vector<int> own = I.add_concepts(toks, concepts, 1.0, true);
      for (int ci : I.add_cjk_concepts(mtext, concepts))
        if (concepts[static_cast<std::size_t>(ci)].coverage) own.push_back(ci);
      if (own.empty()) {  // only stopwords: search them rather than nothing
        for (const auto& t : toks) {
          Concept c;
          c.terms = {t};
          concepts.push_back(c);
        }
      }
      // A word that names a doc source ("argocd", "kubernetes") says where to look, not what the
      // page is about: it must not make every page of that source look relevant.
      std::set<std::string> named_sources;
      for (auto& c : concepts) {
        if (I.sources.count(c.terms[0])) {
          named_sources.insert(c.terms[0]);
          c.coverage = false;
          c.scale *= kScaleSourceName;
        }
      }
      std::vector<Xapian::Query> extra;
      // Exact error tokens the docs show in code (CrashLoopBackOff, x509, NXDOMAIN).
      for (const auto& t : text::error_tokens(qa.cleaned)) {
        const std::string xe = str(sc::kPrefixError) + t;
        if (I.db.term_exists(xe)) {
          extra.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(xe), kScaleErrorToken));
          // ConfigMap and StatefulSet are machine-made words too, but name things, not failures:
          // only a failure word makes the question a symptom.
          if (text::is_failure_word(t)) {
            r.symptom = true;
            if (!r.intent || *r.intent == Intent::reference) r.intent = Intent::how_to;
          }
        }
      }
      // Synonyms: keys are lowercase words/phrases (ASCII: whole words; CJK: substrings).
      {
        std::string hay = " " + mtext + " ";
        for (const auto& [key, vals] : I.synonyms) {
          const bool ascii = static_cast<unsigned char>(key[0]) < 0x80;
          const std::size_t pos = ascii ? text::find_word(hay, key) : hay.find(key);
          if (pos == std::string::npos) continue;
          // The key's own concepts (to let the synonym satisfy them for coverage).
          const auto key_toks = I.tokens(key);
          std::vector<std::string> syn_terms;
          for (const auto& v : vals)
            for (const auto& t : I.tokens(v)) {
              if (stopwords().count(t)) continue;
              if (is_cjk_term(t) && (code_points(t) == 1 || all_hiragana(t))) continue;
              syn_terms.push_back(t);
              if (!is_cjk_term(t)) {
                const std::string z = "Z" + I.stemmer(t);
                if (I.db.term_exists(z)) syn_terms.push_back(z);
              }
            }
          // Terms the question already asks for are not synonyms of it (no double counting).
          syn_terms.erase(std::remove_if(syn_terms.begin(), syn_terms.end(),
                                         [&](const std::string& t) {
                                           for (int ci : own)
                                             for (const auto& ot : concepts[static_cast<std::size_t>(ci)].terms)
                                               if (ot == t) return true;
                                           return false;
                                         }),
                          syn_terms.end());
          if (syn_terms.empty()) continue;
          std::sort(syn_terms.begin(), syn_terms.end());
          syn_terms.erase(std::unique(syn_terms.begin(), syn_terms.end()), syn_terms.end());
          Concept sc_;
          sc_.terms = syn_terms;
          sc_.scale = kScaleSynonym;
          sc_.coverage = false;
          const int idx = static_cast<int>(concepts.size());
          concepts.push_back(sc_);
          for (int ci : own) {
            auto& c = concepts[static_cast<std::size_t>(ci)];
            if (c.alt >= 0) continue;
            if (std::find(key_toks.begin(), key_toks.end(), c.terms[0]) != key_toks.end()) c.alt = idx;
          }
          // Blank the key out so a shorter key inside it does not fire again.
          hay.replace(pos, key.size(), std::string(key.size(), ' '));
        }
      }

      if (debug_) {
        std::cerr << "query: " << mtext << " lang=" << qa.lang << " symptom=" << r.symptom << "\n";
        for (const auto& c : concepts) {
          std::cerr << "  concept";
          for (const auto& t : c.terms) std::cerr << " " << t;
          std::cerr << " scale=" << c.scale << " cov=" << c.coverage << " alt=" << c.alt << "\n";
        }
      }
      // ---- The Xapian query ----
      std::vector<Xapian::Query> parts;
      for (auto& c : concepts) {
        double best = 0;
        for (const auto& t : c.terms) best = std::max(best, I.idf(t));
        c.idf = best;
        parts.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, I.concept_query(c, ""), c.scale));
        parts.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                      I.concept_query(c, str(sc::kPrefixTitle)), c.scale * kScaleTitle));
        parts.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                      I.concept_query(c, str(sc::kPrefixHeading)), c.scale * kScaleHeading));
      }
      // Proximity: consecutive query words that stand near each other in a section ("rolling
      // update", "termination message") are stronger evidence than the same words far apart.
      for (std::size_t i = 0; i + 1 < own.size(); ++i) {
        const Concept& a = concepts[static_cast<std::size_t>(own[i])];
        const Concept& b = concepts[static_cast<std::size_t>(own[i + 1])];
        if (is_cjk_term(a.terms[0]) || is_cjk_term(b.terms[0]) || !a.coverage || !b.coverage) continue;
        // Only unstemmed terms carry positions (STEM_SOME), so match the words as written.
        const Xapian::Query pair[] = {Xapian::Query(a.terms[0]), Xapian::Query(b.terms[0])};
        parts.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                      Xapian::Query(Xapian::Query::OP_NEAR, pair, pair + 2, kNearWindow), kScaleNear));
      }
      // A symptom wants the troubleshooting pages: pull pages titled debug/troubleshoot/diagnose
      // into the candidates (weakly: they still need the question's own words to rank).
      if (r.symptom) {
        for (const char* w : {"Zdebug", "Ztroubleshoot", "Zdiagnos"})
          parts.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                        Xapian::Query(std::string("Z") + str(sc::kPrefixTitle) + (w + 1)), kScaleTroubleshootTitle));
        for (const auto& t : I.tokens("デバッグ トラブルシューティング"))
          if (code_points(t) == 2)
            parts.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(str(sc::kPrefixTitle) + t),
                                          kScaleTroubleshootTitle / 2));
      }
      parts.insert(parts.end(), extra.begin(), extra.end());
      if (parts.empty()) return r;
      const Xapian::Query xq(Xapian::Query::OP_OR, parts.begin(), parts.end());

      Xapian::Enquire enquire(I.db);
      enquire.set_query(xq);
      enquire.set_docid_order(Xapian::Enquire::DONT_CARE);  // lets the matcher stop early on ties
      // Up to kSectionsPerPage sections per page, so a page that covers the topic in several
      // sections beats a page with one lucky sentence.
      // No collapse key: reading the page id of every matching section costs more than the
      // whole rest of the query; we group the top sections by page ourselves below.
      Xapian::MSet mset = enquire.get_mset(0, kCandidates * kSectionsPerPage * 2);

      double total_idf = 0;
      int coverage_concepts = 0;
      for (const auto& c : concepts)
        if (c.coverage) {
          total_idf += c.idf;
          ++coverage_concepts;
        }
      // Group sections by page, best section first (the MSet is in weight order).
      struct Page {
        std::vector<Xapian::MSetIterator> sections;
        double weight = 0;
      };
      std::vector<Page> pages;
      std::unordered_map<std::string, std::size_t> page_of;
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const std::string docid = it.get_document().get_value(sc::kSlotDoc);
        auto [pos, fresh] = page_of.emplace(docid, pages.size());
        if (fresh) pages.emplace_back();
        Page& pg = pages[pos->second];
        if (pg.sections.size() >= kSectionsPerPage) continue;
        static constexpr double kSectionDecay[] = {1.0, 0.3, 0.15};
        pg.weight += it.get_weight() * kSectionDecay[std::min<std::size_t>(pg.sections.size(), 2)];
        pg.sections.push_back(it);
      }
      std::stable_sort(pages.begin(), pages.end(), [](const Page& a, const Page& b) { return a.weight > b.weight; });
      if (pages.size() > static_cast<std::size_t>(kCandidates)) pages.resize(kCandidates);

      // ---- Rerank with what BM25 cannot see: coverage, title fit, intent, language, page kind ----
      struct Cand {
        double score;
        double coverage;
        double title_coverage;
        int covered_concepts;
        Xapian::MSetIterator it;
      };
      std::vector<Cand> cands;
      auto concept_in = [](const Concept& c, const std::set<std::string>& terms) {
        for (const auto& t : c.terms)
          if (terms.count(t)) return true;
        return false;
      };
      // Which query terms each candidate section contains: one pass down each term's posting
      // list with skip_to over the sorted candidates (far cheaper than walking long termlists).
      std::vector<Xapian::docid> cand_ids;
      for (const Page& pg : pages)
        for (const auto& sit : pg.sections) cand_ids.push_back(*sit);
      std::sort(cand_ids.begin(), cand_ids.end());
      std::unordered_map<Xapian::docid, std::vector<const std::string*>> terms_in;
      std::set<std::string> qterms;  // outlives terms_in's pointers into it
      {
        for (const auto& c : concepts) qterms.insert(c.terms.begin(), c.terms.end());
        for (const auto& t : qterms) {
          Xapian::PostingIterator p = I.db.postlist_begin(t);
          const Xapian::PostingIterator pend = I.db.postlist_end(t);
          for (Xapian::docid id : cand_ids) {
            p.skip_to(id);
            if (p == pend) break;
            if (*p == id) terms_in[id].push_back(&*qterms.find(t));
          }
        }
      }
      for (const Page& pg : pages) {
        const Xapian::Document doc = pg.sections.front().get_document();
        std::set<std::string> matched;
        for (const auto& sit : pg.sections)
          for (const std::string* t : terms_in[*sit]) matched.insert(*t);
        double covered = 0;
        int covered_concepts = 0;
        for (const auto& c : concepts) {
          if (!c.coverage) continue;
          if (concept_in(c, matched) || (c.alt >= 0 && concept_in(concepts[static_cast<std::size_t>(c.alt)], matched))) {
            covered += c.idf;
            ++covered_concepts;
          }
        }
        const double coverage = total_idf > 0 ? covered / total_idf : 0.0;

        // Title fit: F1 of (query concepts found in the title) and (title words the query asked for).
        const std::string title = doc.get_value(sc::kSlotTitle);
        const auto& tt = I.title_terms(title);
        const auto& title_terms = tt.terms;
        double t_cov = 0;
        for (const auto& c : concepts) {
          const bool in_title = concept_in(c, title_terms);
          if (c.coverage && (in_title || (c.alt >= 0 && concept_in(concepts[static_cast<std::size_t>(c.alt)], title_terms))))
            t_cov += c.idf;
        }
        t_cov = total_idf > 0 ? t_cov / total_idf : 0.0;
        // Precision: the share of the title's words the question asked for (CJK bigrams count as words).
        int t_hits = 0;
        for (const auto& [w, z] : tt.words)
          if (qterms.count(w) || (!z.empty() && qterms.count(z))) ++t_hits;
        const double t_prec = tt.words.empty() ? 0.0 : static_cast<double>(t_hits) / static_cast<double>(tt.words.size());
        const double title_f = t_cov + t_prec > 0 ? 2 * t_cov * t_prec / (t_cov + t_prec) : 0.0;

        double s = pg.weight * (0.5 + 0.5 * coverage) * (1 + kBoostTitleFit * title_f);
        const std::string type = doc.get_value(sc::kSlotType);
        const std::string lang = doc.get_value(sc::kSlotLang);
        const std::string kind = doc.get_value(sc::kSlotKind);
        if (r.symptom) {
          if (type == "how-to") s *= kBoostSymptomHowTo;
          else if (type == "reference") s *= kBoostSymptomReference;
          const std::string where = text::ascii_lower(title + " " + doc.get_value(sc::kSlotDoc));
          for (std::string_view w : {"debug", "troubleshoot", "diagnos", "デバッグ", "トラブルシュート", "トラブルシューティング"})
            if (where.find(w) != std::string::npos) {
              s *= kBoostTroubleshooting;
              break;
            }
        } else if (r.intent && type == to_string(*r.intent)) {
          s *= kBoostIntentType;
        }
        if (qa.lang == "ja") {
          if (lang == "ja") s *= kBoostSameLang;
        } else if (lang != "en") {
          s *= kPenaltyOtherLang;
        }
        if (kind == "landing") s *= kPenaltyLanding;
        else if (kind == "fragment") s *= kPenaltyFragment;
        if (!named_sources.empty()) {
          const std::string docid = doc.get_value(sc::kSlotDoc);
          if (named_sources.count(docid.substr(0, docid.find('/')))) s *= kBoostNamedSource;
        }
        if (debug_)
          std::cerr << "  " << doc.get_value(sc::kSlotDoc) << " w=" << pg.weight << " n=" << pg.sections.size()
                    << " cov=" << coverage << " tf=" << title_f << " (tcov=" << t_cov << " tprec=" << t_prec
                    << ") type=" << type << " lang=" << lang << " kind=" << kind << " => " << s << "\n";
        cands.push_back({s, coverage, t_cov, covered_concepts, pg.sections.front()});
      }
      std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.score > b.score; });

      const int limit = std::max(0, options.limit);
      // A translated page is the same answer: show one version of it, in the question's language
      // when there is one (at the rank of the better-ranked twin), so twins do not crowd out other pages.
      std::unordered_map<std::string, std::size_t> twin_at;  // twin key -> index in r.results
      for (const auto& c : cands) {
        const Xapian::Document doc = c.it.get_document();
        const std::string tkey = twin_key(doc.get_value(sc::kSlotDoc));
        const auto seen = twin_at.find(tkey);
        if (seen == twin_at.end() && static_cast<int>(r.results.size()) >= limit) continue;
        if (seen != twin_at.end() &&
            (r.results[seen->second].lang == qa.lang || doc.get_value(sc::kSlotLang) != qa.lang))
          continue;
        Result res;
        res.doc = doc.get_value(sc::kSlotDoc);
        res.anchor = doc.get_value(sc::kSlotAnchor);
        res.title = doc.get_value(sc::kSlotTitle);
        res.section = doc.get_value(sc::kSlotSection);
        res.type = doc.get_value(sc::kSlotType);
        res.lang = doc.get_value(sc::kSlotLang);
        res.score = std::round(c.score * 1000) / 1000;
        const unsigned flags = Xapian::MSet::SNIPPET_CJK_NGRAM;
        res.snippet = mset.snippet(snippet_window(doc.get_data(), qterms), 240,
                                   res.lang == "en" ? I.stemmer : Xapian::Stem(), flags, "**", "**", "…");
        res.url = res.doc + (res.anchor.empty() ? "" : "#" + res.anchor);
        for (const auto& u : I.urls) {
          if (res.doc.rfind(u.source + "/", 0) != 0) continue;
          std::string path = res.doc.substr(u.source.size() + 1);
          if (!u.strip_prefix.empty() && path.rfind(u.strip_prefix, 0) == 0) path = path.substr(u.strip_prefix.size());
          if (u.style != "plain") path = hugo_path(path);
          res.url = u.base_url + path + (res.anchor.empty() ? "" : "#" + res.anchor);
        }
        if (seen != twin_at.end()) {
          res.score = r.results[seen->second].score;  // keeps the better twin's rank
          r.results[seen->second] = std::move(res);
        } else {
          twin_at.emplace(tkey, r.results.size());
          r.results.push_back(std::move(res));
        }
      }
      // ---- Abstention ----
      // Confident only when the best page covers most of the query's meaning: BM25 always
      // returns *something* for a query that shares one common word with the docs ("system",
      // "時間"), and the bot must hand those to a human instead of posting weak links.
      if (!cands.empty()) {
        const Cand& best = cands.front();
        if (coverage_concepts <= 1) r.confident = best.coverage >= kMinCoverageShort;
        else r.confident = best.coverage >= kMinCoverage ||
                           (best.coverage >= kMinCoverageOnTopic && best.title_coverage > 0 &&
                            best.covered_concepts >= 2);  // one shared word is not a topic
      }
      return r;
    } catch (const Xapian::DatabaseModifiedError&) {
      I.db.reopen();  // the indexer committed underneath us: retry once on the new revision
      r.results.clear();
    } catch (const Xapian::Error& e) {
      std::cerr << "search: " << e.get_description() << "\n";
      r.results.clear();
      r.confident = false;
      return r;
    }
  }
  return r;
}

}  // namespace docbot::search
