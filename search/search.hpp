#pragma once
/// @file search.hpp
/// @brief The search library: query understanding, ranking, snippets, abstention.
/// Used by `docbot search` and by the bot. Xapian types stay out of this header.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace docbot::search {

/// One result: the best section of one page.
struct Result {
  std::string doc;      ///< "<source>/<path relative to the source>"
  std::string anchor;   ///< section anchor, "" for the page intro
  std::string title;    ///< page title
  std::string section;  ///< heading path, e.g. "Debugging Pods › My pod stays pending"
  std::string type;     ///< tutorial | how-to | reference | explanation | ""
  std::string lang;     ///< en | ja
  std::string url;      ///< deep link (see UrlMapper); "<doc>#<anchor>" when no base URL is known
  double score = 0;     ///< ranking score, larger is better (comparable within one response)
  std::string snippet;  ///< short excerpt; matched terms wrapped in ** (Markdown bold)
};

/// Diátaxis intent read from the query; nullopt when the query shows none.
enum class Intent { tutorial, how_to, reference, explanation };
std::string_view to_string(Intent i);

struct Response {
  std::string query;                     ///< the query as given
  std::string cleaned;                   ///< after noise removal (Slack markup, logs) — what was searched
  std::string lang;                      ///< detected language of the query: en | ja
  std::optional<Intent> intent;
  bool symptom = false;                  ///< the query carries an error message / status
  bool confident = false;                ///< false: evidence too weak to post as an answer
  std::optional<std::string> did_you_mean;
  std::vector<Result> results;
};

struct Options {
  int limit = 10;
};

/// Maps a result to a public URL. Configured per source by the bot; the CLI uses defaults.
struct SourceUrl {
  std::string source;    ///< source name
  std::string base_url;  ///< e.g. "https://kubernetes.io/docs/"
  std::string style;     ///< "hugo" (dir/ pretty URLs), "mkdocs" (dir/), "plain" (path as is)
  std::string strip_prefix; ///< leading path part to drop, e.g. "en/"
};

/// @brief An open index. Thread-compatible: use one Searcher per thread, or guard it.
/// Xapian exceptions never escape: open() reports them as an error string.
class Searcher {
 public:
  /// Opens the index; returns nullptr and sets *error (one line) when missing or unreadable.
  static std::unique_ptr<Searcher> open(const std::string& index_dir, std::string* error);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  /// Runs a query. Never throws for bad input; an internal Xapian error yields zero results
  /// and confident=false (logged to stderr).
  Response search(std::string_view query, const Options& options = {});

  /// Picks up a newer revision written by the indexer (cheap when nothing changed).
  /// Returns true when the index changed.
  bool reopen();

  void set_urls(std::vector<SourceUrl> urls);

  /// @brief Cheap health check (no query): the index answers, carries this schema version and has documents.
  /// On success *why (when given) is "<doccount> documents" — the count first, in decimal; on failure it is
  /// one line saying why. Never throws.
  bool healthy(std::string* why);

 private:
  struct Impl;
  explicit Searcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace docbot::search
