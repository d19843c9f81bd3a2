// docbot-index — Markdown trees → sections → a Xapian index (see README).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "indexer/indexer.hpp"

namespace {

constexpr const char* kUsage =
    "usage: docbot-index --source [NAME=]DIR [--source ...] --index OUT [--synonyms FILE]\n"
    "                    [--slug-style NAME=hugo|mkdocs] [--max-file-size BYTES] [--threads N] [--quiet]\n"
    "  Indexes Markdown (.md, .markdown) under each DIR; doc ids are NAME/<path relative to DIR>.\n"
    "  Re-running on the same OUT re-indexes only changed files and removes deleted ones.\n";

int usage_error(const std::string& msg) {
  std::cerr << "docbot-index: " << msg << "\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  docbot::indexer::Options opt;
  bool quiet = false;
  std::vector<std::pair<std::string, std::string>> slug_styles;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)name;
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--source") {
      const char* v = value("--source");
      if (!v) return usage_error("--source needs [NAME=]DIR");
      std::string s = v;
      docbot::indexer::SourceSpec src;
      const auto eq = s.find('=');
      if (eq != std::string::npos && eq > 0) {
        src.name = s.substr(0, eq);
        src.dir = s.substr(eq + 1);
      } else {
        src.dir = s;
        src.name = fs::path(s).lexically_normal().filename().string();
        if (src.name.empty()) src.name = fs::path(s).lexically_normal().parent_path().filename().string();
      }
      if (src.name.empty() || src.name.find('/') != std::string::npos)
        return usage_error("bad source name in '" + s + "'");
      // MkDocs sites carry mkdocs.yml next to (or above) docs/: use its anchor style.
      std::error_code ec;
      if (fs::exists(fs::path(src.dir) / "mkdocs.yml", ec) || fs::exists(fs::path(src.dir) / ".." / "mkdocs.yml", ec))
        src.slug_style = docbot::indexer::SlugStyle::mkdocs;
      opt.sources.push_back(src);
    } else if (a == "--index") {
      const char* v = value("--index");
      if (!v) return usage_error("--index needs a directory");
      opt.index_dir = v;
    } else if (a == "--synonyms") {
      const char* v = value("--synonyms");
      if (!v) return usage_error("--synonyms needs a file");
      opt.synonyms_file = v;
    } else if (a == "--slug-style") {
      const char* v = value("--slug-style");
      std::string s = v ? v : "";
      const auto eq = s.find('=');
      if (eq == std::string::npos || (s.substr(eq + 1) != "hugo" && s.substr(eq + 1) != "mkdocs"))
        return usage_error("--slug-style needs NAME=hugo or NAME=mkdocs");
      slug_styles.emplace_back(s.substr(0, eq), s.substr(eq + 1));
    } else if (a == "--max-file-size") {
      const char* v = value("--max-file-size");
      char* end = nullptr;
      const auto n = v ? std::strtoull(v, &end, 10) : 0;
      if (!v || *end || n == 0) return usage_error("--max-file-size needs a positive number of bytes");
      opt.max_file_bytes = n;
    } else if (a == "--threads") {
      const char* v = value("--threads");
      char* end = nullptr;
      const auto n = v ? std::strtoul(v, &end, 10) : 0;
      if (!v || *end || n == 0 || n > 64) return usage_error("--threads needs a number from 1 to 64");
      opt.threads = static_cast<unsigned>(n);
    } else if (a == "--quiet" || a == "-q") {
      quiet = true;
    } else {
      return usage_error("unknown argument '" + a + "'");
    }
  }
  if (opt.sources.empty()) return usage_error("at least one --source is required");
  if (opt.index_dir.empty()) return usage_error("--index is required");
  for (const auto& [name, style] : slug_styles) {
    bool found = false;
    for (auto& s : opt.sources)
      if (s.name == name) {
        s.slug_style = style == "mkdocs" ? docbot::indexer::SlugStyle::mkdocs : docbot::indexer::SlugStyle::hugo;
        found = true;
      }
    if (!found) return usage_error("--slug-style names unknown source '" + name + "'");
  }
  if (const char* c = std::getenv("DOCBOT_INDEX_CRASH_AFTER")) opt.crash_after_files = static_cast<unsigned>(std::atoi(c));

  const bool tty = ::isatty(STDERR_FILENO);
  unsigned last_step = ~0u;
  auto progress = [&](unsigned done, unsigned total) {
    if (quiet || total == 0) return;
    if (tty) {
      const unsigned width = 30, filled = done * width / total;
      if (filled == last_step && done != total) return;
      last_step = filled;
      std::fprintf(stderr, "\r[%s%s] %u/%u files", std::string(filled, '#').c_str(),
                   std::string(width - filled, ' ').c_str(), done, total);
      if (done == total) std::fputc('\n', stderr);
    } else {
      const unsigned step = done * 10 / total;  // one plain line per 10 %
      if (step == last_step && done != total) return;
      last_step = step;
      std::fprintf(stderr, "indexed %u/%u files\n", done, total);
    }
  };
  unsigned warnings = 0;
  auto warn = [&](const std::string& w) {
    ++warnings;
    if (tty && !quiet) std::fputc('\r', stderr);
    std::cerr << "warning: " << w << "\n";
  };

  docbot::indexer::Stats st;
  std::string error;
  if (!docbot::indexer::run(opt, &st, progress, warn, &error)) {
    std::cerr << "docbot-index: error: " << error << "\n";
    return 1;
  }
  if (quiet) return 0;
  std::cout << (st.full_rebuild ? "built" : "updated") << " " << opt.index_dir << " in " << st.seconds << " s\n"
            << "files: " << st.files_seen << " seen, " << st.files_indexed << " indexed, " << st.files_unchanged
            << " unchanged, " << st.files_deleted << " deleted, " << st.files_skipped << " skipped ("
            << warnings << " warnings)\n"
            << "sections: " << st.sections << " written, " << st.total_sections << " in index\n";
  auto print_map = [](const char* label, const std::map<std::string, unsigned>& m) {
    std::cout << label;
    bool first = true;
    for (const auto& [k, v] : m) {
      std::cout << (first ? " " : ", ") << k << " " << v;
      first = false;
    }
    std::cout << (m.empty() ? " -" : "") << "\n";
  };
  print_map("pages by type:", st.pages_by_type);
  print_map("pages by language:", st.pages_by_lang);
  print_map("type decided by:", st.pages_by_rule);
  std::cout << "type from heuristics only: " << st.heuristic_only << " pages\n";
  if (!opt.synonyms_file.empty()) std::cout << "synonym groups: " << st.synonym_groups << "\n";
  return 0;
}
