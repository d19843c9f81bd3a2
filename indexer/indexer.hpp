#pragma once
/// @file indexer.hpp
/// @brief Builds or updates a docbot Xapian index from Markdown trees.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "indexer/page.hpp"

namespace docbot::indexer {

struct SourceSpec {
  std::string name;  ///< doc ids are "<name>/<path relative to dir>"
  std::string dir;
  SlugStyle slug_style = SlugStyle::hugo;
};

struct Options {
  std::vector<SourceSpec> sources;
  std::string index_dir;
  std::string synonyms_file;                       ///< "" for none
  std::uintmax_t max_file_bytes = 2 * 1024 * 1024;  ///< larger files are skipped with a warning
  unsigned threads = 0;                            ///< parser threads; 0 = hardware concurrency
  /// Testing aid for the crash-atomicity test: raise SIGKILL after this many files were
  /// written to the pending revision (0 = never). Set from DOCBOT_INDEX_CRASH_AFTER.
  unsigned crash_after_files = 0;
};

struct Stats {
  unsigned files_seen = 0, files_indexed = 0, files_unchanged = 0, files_deleted = 0, files_skipped = 0;
  unsigned sections = 0;  ///< sections written in this run
  std::map<std::string, unsigned> pages_by_type, pages_by_lang, pages_by_rule;
  unsigned heuristic_only = 0;  ///< pages whose type came only from content heuristics
  unsigned synonym_groups = 0;
  bool full_rebuild = false;
  double seconds = 0;
  std::uint64_t total_sections = 0;  ///< documents in the index after the run
};

/// Progress callback: (files done, files total).
using Progress = std::function<void(unsigned, unsigned)>;
/// Warning sink: one line naming the file (and line when known).
using Warn = std::function<void(const std::string&)>;

/// @brief Runs the indexer. Returns false (with *error set to one line) only when no index could
/// be written; bad input files are reported through `warn` and skipped.
bool run(const Options& options, Stats* stats, const Progress& progress, const Warn& warn, std::string* error);

}  // namespace docbot::indexer
