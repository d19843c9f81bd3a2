#include "indexer/indexer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <xapian.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "common/text.hpp"
#include "indexer/classify.hpp"
#include "search/schema.hpp"

namespace fs = std::filesystem;

namespace docbot::indexer {
namespace {

namespace sc = docbot::schema;

constexpr std::size_t kMaxDataBytes = 32 * 1024;  // section text kept for snippets
constexpr std::size_t kWindow = 256;              // parsed files buffered ahead of the writer

std::string str(std::string_view s) { return std::string(s); }

std::string fnv1a_hex(std::string_view data);

/// Xapian terms and metadata keys are limited to 245 bytes: long ids keep a readable head and
/// a hash of the whole, so they stay unique and stable.
std::string bounded_key(std::string key) {
  constexpr std::size_t kMax = 240;
  if (key.size() <= kMax) return key;
  const std::string h = fnv1a_hex(key);
  std::string head(key.substr(0, kMax - h.size() - 1));
  while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0x80) head.pop_back();
  if (!head.empty() && static_cast<unsigned char>(head.back()) >= 0xC0) head.pop_back();
  return head + "~" + h;
}

std::string fnv1a_hex(std::string_view data) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

struct FileMeta {
  std::uintmax_t size = 0;
  long long mtime_ns = 0;
  std::string hash;
  std::string encode() const { return std::to_string(size) + ":" + std::to_string(mtime_ns) + ":" + hash; }
  static std::optional<FileMeta> decode(const std::string& s) {
    const auto a = s.find(':'), b = s.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) return std::nullopt;
    try {
      return FileMeta{std::stoull(s.substr(0, a)), std::stoll(s.substr(a + 1, b - a - 1)), s.substr(b + 1)};
    } catch (...) {
      return std::nullopt;
    }
  }
};

struct Job {
  const SourceSpec* source = nullptr;
  fs::path path;
  std::string rel;    // path relative to the source dir, '/'-separated
  std::string docid;  // "<source>/<rel>"
  FileMeta meta;      // size + mtime now (hash filled by the worker)
  std::optional<FileMeta> old;
};

struct Prepared {
  enum class Status { indexed, same_content, skipped } status = Status::skipped;
  FileMeta meta;
  std::vector<std::pair<std::string, Xapian::Document>> docs;  // (unique id term, doc)
  std::unordered_map<std::string, unsigned> spelling;
  std::string warning;
  std::string type, rule, lang;
};

bool is_markdown(const fs::path& p) {
  const auto ext = text::ascii_lower(p.extension().string());
  return ext == ".md" || ext == ".markdown";
}

bool is_skipped_name(const std::string& name) {
  const auto n = text::ascii_lower(name);
  return n == "readme.md" || n == "notice.md" || n.rfind("license", 0) == 0 || n == "changelog.md";
}

void collect_spelling(std::string_view s, std::unordered_map<std::string, unsigned>& words) {
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t start = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    if (i - start >= 4 && i - start <= 24 && (i >= s.size() || static_cast<unsigned char>(s[i]) < 0x80))
      ++words[text::ascii_lower(s.substr(start, i - start))];
  }
}

std::string join_path(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += " \xE2\x80\xBA ";  // " › "
    out += p;
  }
  return out;
}

/// Worker side: read, validate and parse one file into ready-to-write Xapian documents.
Prepared prepare(const Job& job, const Options& opt, Xapian::TermGenerator& tg) {
  Prepared p;
  p.meta = job.meta;
  if (job.meta.size > opt.max_file_bytes) {
    p.warning = job.path.string() + ": skipped: " + std::to_string(job.meta.size) + " bytes is over the " +
                std::to_string(opt.max_file_bytes) + "-byte cap (--max-file-size)";
    return p;
  }
  std::ifstream in(job.path, std::ios::binary);
  if (!in) {
    p.warning = job.path.string() + ": skipped: cannot read file (" + std::strerror(errno) + ")";
    return p;
  }
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    p.warning = job.path.string() + ": skipped: read error";
    return p;
  }
  if (content.find('\0') != std::string::npos) {
    p.warning = job.path.string() + ": skipped: binary file (contains NUL bytes)";
    return p;
  }
  if (const auto bad = text::find_invalid_utf8(content); bad != std::string::npos) {
    const auto line = 1 + std::count(content.begin(), content.begin() + static_cast<long>(bad), '\n');
    p.warning = job.path.string() + ":" + std::to_string(line) + ": skipped: invalid UTF-8 at byte " +
                std::to_string(bad);
    return p;
  }
  p.meta.hash = fnv1a_hex(content);
  if (job.old && job.old->hash == p.meta.hash) {
    p.status = Prepared::Status::same_content;
    return p;
  }

  const std::string path_lang = classify_language(Page{}, job.rel);  // path-only guess for shortcode labels
  Page page = parse_page(content, job.source->slug_style, path_lang);
  if (page.front.error) {
    p.warning = job.path.string() + ":" + std::to_string(page.front.error_line) +
                ": broken front matter (" + *page.front.error + "); indexed without it";
  }
  if (page.title.empty()) page.title = job.path.stem().string();
  const auto type = classify_type(page, job.rel);
  const auto lang = classify_language(page, job.rel);
  const auto kind = classify_kind(page, job.rel);
  p.type = type.type;
  p.rule = type.rule;
  p.lang = lang;

  tg.set_stemmer(lang == "en" ? Xapian::Stem("english") : Xapian::Stem());
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);

  for (const auto& sec : page.sections) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(page.title, sc::kWdfTitle);
    tg.index_text(page.title, 1, str(sc::kPrefixTitle));
    tg.increase_termpos();
    const std::string headings = join_path(sec.heading_path);
    if (!headings.empty()) {
      tg.index_text(headings, sc::kWdfHeading);
      tg.index_text(headings, 1, str(sc::kPrefixHeading));
      tg.increase_termpos();
    }
    if (!page.front.scalars["description"].empty() && sec.level == 1) {
      tg.index_text(page.front.scalars["description"], 2);
      tg.increase_termpos();
    }
    tg.index_text(sec.text, sc::kWdfBody);
    tg.increase_termpos();
    if (!sec.code.empty()) {
      tg.index_text(sec.code, sc::kWdfCode);
      tg.index_text(sec.code, 1, str(sc::kPrefixCode));
      std::set<std::string> errors;
      for (auto& e : text::error_tokens(sec.code)) errors.insert(std::move(e));
      for (const auto& e : errors) doc.add_term(str(sc::kPrefixError) + e, sc::kWdfError);
    }
    tg.set_document(Xapian::Document());  // drop the generator's handle: doc moves to the writer thread

    const std::string id_term = bounded_key(str(sc::kPrefixId) + job.docid + "#" + sec.anchor);
    doc.add_boolean_term(id_term);
    doc.add_boolean_term(bounded_key(str(sc::kPrefixPage) + job.docid));
    doc.add_boolean_term(str(sc::kPrefixLang) + lang);
    if (!type.type.empty()) doc.add_boolean_term(str(sc::kPrefixType) + type.type);
    doc.add_boolean_term(str(sc::kPrefixSource) + job.source->name);
    doc.add_boolean_term(str(sc::kPrefixKind) + kind);
    doc.add_value(sc::kSlotDoc, job.docid);
    doc.add_value(sc::kSlotAnchor, sec.anchor);
    doc.add_value(sc::kSlotTitle, page.title);
    doc.add_value(sc::kSlotSection, headings);
    doc.add_value(sc::kSlotType, type.type);
    doc.add_value(sc::kSlotLang, lang);
    doc.add_value(sc::kSlotTypeRule, type.rule);
    doc.add_value(sc::kSlotKind, kind);
    doc.add_value(sc::kSlotDepth, std::to_string(sec.level));
    // Snippet source: the prose, then the code (error lines in code blocks make good snippets).
    doc.set_data(std::string(text::truncate_utf8(sec.code.empty() ? sec.text : sec.text + "\n" + sec.code, kMaxDataBytes)));
    p.docs.emplace_back(id_term, std::move(doc));

    if (lang == "en") {
      collect_spelling(page.title, p.spelling);
      collect_spelling(headings, p.spelling);
      collect_spelling(sec.text, p.spelling);
    }
  }
  p.status = Prepared::Status::indexed;
  return p;
}

/// Synonym groups from YAML: {groups: [[a, b, c], ...]} (a bare top-level list also works).
std::vector<std::vector<std::string>> load_synonyms(const std::string& file, std::string* error) {
  std::vector<std::vector<std::string>> groups;
  try {
    const YAML::Node root = YAML::LoadFile(file);
    const YAML::Node list = root.IsMap() ? root["groups"] : root;
    if (!list || !list.IsSequence()) {
      *error = file + ": expected a 'groups:' list of synonym groups";
      return {};
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].IsSequence()) {
        *error = file + ":" + std::to_string(list[i].Mark().line + 1) + ": a synonym group must be a list";
        return {};
      }
      std::vector<std::string> g;
      for (const auto& t : list[i]) {
        auto s = text::squash_space(text::ascii_lower(t.as<std::string>()));
        if (!s.empty()) g.push_back(std::move(s));
      }
      if (g.size() >= 2) groups.push_back(std::move(g));
    }
  } catch (const YAML::Exception& e) {
    *error = file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg;
    return {};
  }
  return groups;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Exchanges two directories atomically (Linux renameat2); readers see the old or the new
/// index, never a missing one.
bool exchange_dirs(const std::string& a, const std::string& b) {
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return true;
#endif
  return false;
}

bool is_docbot_index(const std::string& dir, std::string* schema, std::string* rules) {
  try {
    Xapian::Database db(dir);
    *schema = db.get_metadata(str(sc::kMetaSchema));
    *rules = db.get_metadata(str(sc::kMetaRules));
    return true;
  } catch (const Xapian::Error&) {
    return false;
  }
}

}  // namespace

bool run(const Options& opt, Stats* stats, const Progress& progress, const Warn& warn, std::string* error) {
  const auto t0 = std::chrono::steady_clock::now();
  *stats = Stats{};
  if (opt.sources.empty()) {
    *error = "no --source given";
    return false;
  }
  for (const auto& s : opt.sources) {
    std::error_code ec;
    if (!fs::is_directory(s.dir, ec)) {
      *error = "source '" + s.name + "': " + s.dir + " is not a readable directory";
      return false;
    }
  }

  // Synonyms first: a broken synonyms file is a configuration error, found before any work.
  std::vector<std::vector<std::string>> synonyms;
  std::string synonyms_hash;
  if (!opt.synonyms_file.empty()) {
    synonyms = load_synonyms(opt.synonyms_file, error);
    if (!error->empty()) return false;
    synonyms_hash = fnv1a_hex(read_file(opt.synonyms_file));
  }

  // Decide the mode: update in place inside one transaction, or build aside and swap in.
  std::string schema, rules;
  const bool exists = fs::exists(opt.index_dir);
  const bool in_place = exists && is_docbot_index(opt.index_dir, &schema, &rules) && schema == sc::kSchemaVersion &&
                        rules == sc::kRulesVersion;
  if (exists && !in_place && !fs::is_directory(opt.index_dir)) {
    *error = opt.index_dir + " exists and is not a directory";
    return false;
  }
  if (exists && !in_place && !fs::is_empty(opt.index_dir) && schema.empty() &&
      !fs::exists(fs::path(opt.index_dir) / "iamglass")) {
    *error = opt.index_dir + " exists and is not a docbot index; refusing to replace it";
    return false;
  }
  const std::string build_dir = in_place ? opt.index_dir : opt.index_dir + ".tmp-" + std::to_string(::getpid());
  if (!in_place) {
    std::error_code ec;
    const auto parent = fs::path(opt.index_dir).parent_path();
    if (!parent.empty()) fs::create_directories(parent, ec);  // like mkdir -p: a new path just works
  }
  stats->full_rebuild = !in_place;

  Xapian::WritableDatabase db;
  try {
    if (in_place) {
      db = Xapian::WritableDatabase(opt.index_dir, Xapian::DB_OPEN);
      db.begin_transaction();
    } else {
      fs::remove_all(build_dir);
      db = Xapian::WritableDatabase(build_dir, Xapian::DB_CREATE_OR_OVERWRITE);
    }
  } catch (const Xapian::DatabaseLockError&) {
    *error = opt.index_dir + " is locked by another docbot-index run";
    return false;
  } catch (const Xapian::Error& e) {
    *error = "cannot open " + build_dir + " for writing: " + e.get_msg();
    return false;
  }

  try {
    // Walk the sources.
    std::vector<Job> jobs;
    for (const auto& src : opt.sources) {
      std::error_code ec;
      const fs::path root = fs::canonical(src.dir, ec);
      fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
      if (ec) {
        *error = "cannot read source '" + src.name + "': " + ec.message();
        return false;
      }
      for (; it != end; it.increment(ec)) {
        if (ec) {
          warn(it->path().string() + ": skipped: " + ec.message());
          ec.clear();
          continue;
        }
        const auto name = it->path().filename().string();
        if (it->is_directory(ec)) {
          if (!name.empty() && (name[0] == '.' || name == "node_modules")) it.disable_recursion_pending();
          continue;
        }
        if (!it->is_regular_file(ec) || !is_markdown(it->path()) || is_skipped_name(name)) continue;
        Job j;
        j.source = &src;
        j.path = it->path();
        j.rel = fs::relative(it->path(), root, ec).generic_string();
        j.docid = src.name + "/" + j.rel;
        j.meta.size = it->file_size(ec);
        const auto mt = it->last_write_time(ec);
        j.meta.mtime_ns = static_cast<long long>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(mt.time_since_epoch()).count());
        if (in_place) j.old = FileMeta::decode(db.get_metadata(bounded_key(str(sc::kMetaFilePrefix) + j.docid)));
        jobs.push_back(std::move(j));
      }
    }
    std::sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.docid < b.docid; });
    stats->files_seen = static_cast<unsigned>(jobs.size());

    // Unchanged files (same size and mtime) are not even read.
    std::vector<const Job*> work;
    std::set<std::string> seen;
    for (const auto& j : jobs) {
      seen.insert(bounded_key(str(sc::kMetaFilePrefix) + j.docid));
      if (j.old && j.old->size == j.meta.size && j.old->mtime_ns == j.meta.mtime_ns) {
        ++stats->files_unchanged;
        continue;
      }
      work.push_back(&j);
    }

    // Parse in worker threads, write in this one (Xapian's writer is single-threaded).
    const unsigned nthreads =
        std::max(1u, opt.threads ? opt.threads : std::min(4u, std::thread::hardware_concurrency()));
    std::vector<std::optional<Prepared>> slots(work.size());
    std::mutex m;
    std::condition_variable ready, space;
    std::size_t next = 0, consumed = 0;
    bool stop = false;
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < nthreads && !work.empty(); ++t) {
      workers.emplace_back([&] {
        Xapian::TermGenerator tg;
        tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        for (;;) {
          std::size_t i;
          {
            std::unique_lock lk(m);
            space.wait(lk, [&] { return stop || next >= work.size() || next < consumed + kWindow; });
            if (stop || next >= work.size()) return;
            i = next++;
          }
          Prepared p;
          try {
            p = prepare(*work[i], opt, tg);
          } catch (const std::exception& e) {  // a bad file must never stop the run
            p = Prepared{};
            p.warning = work[i]->path.string() + ": skipped: " + e.what();
          } catch (const Xapian::Error& e) {
            p = Prepared{};
            p.warning = work[i]->path.string() + ": skipped: " + e.get_description();
          }
          {
            std::lock_guard lk(m);
            slots[i] = std::move(p);
          }
          ready.notify_all();
        }
      });
    }
    struct Joiner {
      std::vector<std::thread>& w;
      std::mutex& m;
      bool& stop;
      std::condition_variable& cv;
      ~Joiner() {
        { std::lock_guard lk(m); stop = true; }
        cv.notify_all();
        for (auto& t : w) t.join();
      }
    } joiner{workers, m, stop, space};

    unsigned written_files = 0;
    for (std::size_t i = 0; i < work.size(); ++i) {
      Prepared p;
      {
        std::unique_lock lk(m);
        ready.wait(lk, [&] { return slots[i].has_value(); });
        p = std::move(*slots[i]);
        slots[i].reset();
        consumed = i + 1;
      }
      space.notify_all();
      const Job& j = *work[i];
      if (!p.warning.empty()) warn(p.warning);
      switch (p.status) {
        case Prepared::Status::skipped:
          ++stats->files_skipped;  // keep what the index had for it: bad input loses nothing
          break;
        case Prepared::Status::same_content:
          ++stats->files_unchanged;
          db.set_metadata(bounded_key(str(sc::kMetaFilePrefix) + j.docid), p.meta.encode());
          break;
        case Prepared::Status::indexed: {
          if (in_place) db.delete_document(bounded_key(str(sc::kPrefixPage) + j.docid));
          try {
            for (auto& [id, doc] : p.docs) db.replace_document(id, doc);
          } catch (const Xapian::InvalidArgumentError& e) {  // e.g. an over-long term: skip the file
            db.delete_document(bounded_key(str(sc::kPrefixPage) + j.docid));
            warn(j.path.string() + ": skipped: " + e.get_msg());
            ++stats->files_skipped;
            break;
          }
          for (const auto& [w, n] : p.spelling) db.add_spelling(w, n);
          db.set_metadata(bounded_key(str(sc::kMetaFilePrefix) + j.docid), p.meta.encode());
          ++stats->files_indexed;
          stats->sections += static_cast<unsigned>(p.docs.size());
          ++stats->pages_by_type[p.type.empty() ? "unknown" : p.type];
          ++stats->pages_by_lang[p.lang];
          ++stats->pages_by_rule[p.rule];
          if (p.rule == "heuristic") ++stats->heuristic_only;
          ++written_files;
          if (opt.crash_after_files && written_files == opt.crash_after_files) {
            ::kill(::getpid(), SIGKILL);  // crash-atomicity test: die mid-run, nothing committed
          }
          break;
        }
      }
      if (progress) progress(static_cast<unsigned>(i + 1), static_cast<unsigned>(work.size()));
    }

    // Files that disappeared from a source given in this run.
    for (const auto& src : opt.sources) {
      const std::string prefix = str(sc::kMetaFilePrefix) + src.name + "/";
      std::vector<std::string> gone;
      for (auto k = db.metadata_keys_begin(prefix); k != db.metadata_keys_end(prefix); ++k)
        if (!seen.count(*k)) gone.push_back(*k);
      for (const auto& key : gone) {
        // Delete by the page term each section carries; its docid is the key minus the prefix
        // (for over-long ids, the sections are found through their stored doc value instead).
        const std::string docid = key.substr(sc::kMetaFilePrefix.size());
        if (key.find('~') == std::string::npos) {
          db.delete_document(bounded_key(str(sc::kPrefixPage) + docid));
        } else {
          std::vector<Xapian::docid> ids;
          for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
            if (bounded_key(str(sc::kMetaFilePrefix) + db.get_document(*it).get_value(sc::kSlotDoc)) == key)
              ids.push_back(*it);
          for (auto id : ids) db.delete_document(id);
        }
        db.set_metadata(key, "");
        ++stats->files_deleted;
      }
    }

    // Synonyms: replace the whole table when the file changed (or on a fresh build).
    if (!opt.synonyms_file.empty() && (!in_place || db.get_metadata("docbot.synonyms.hash") != synonyms_hash)) {
      std::vector<std::string> keys;
      for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) keys.push_back(*k);
      for (const auto& k : keys) db.clear_synonyms(k);
      for (const auto& g : synonyms)
        for (const auto& a : g)
          for (const auto& b : g)
            if (a != b) db.add_synonym(a, b);
      db.set_metadata("docbot.synonyms.hash", synonyms_hash);
    }
    stats->synonym_groups = static_cast<unsigned>(synonyms.size());

    nlohmann::json sources = nlohmann::json::object();
    if (in_place) {
      try {
        sources = nlohmann::json::parse(db.get_metadata(str(sc::kMetaSources)));
      } catch (...) {
        sources = nlohmann::json::object();
      }
    }
    for (const auto& s : opt.sources)
      sources[s.name] = {{"dir", fs::canonical(s.dir).string()},
                         {"slug_style", s.slug_style == SlugStyle::mkdocs ? "mkdocs" : "hugo"}};
    db.set_metadata(str(sc::kMetaSources), sources.dump());
    db.set_metadata(str(sc::kMetaSchema), str(sc::kSchemaVersion));
    db.set_metadata(str(sc::kMetaRules), str(sc::kRulesVersion));
    stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    stats->total_sections = db.get_doccount();
    db.set_metadata(str(sc::kMetaStats),
                    nlohmann::json{{"files_seen", stats->files_seen},
                                   {"files_indexed", stats->files_indexed},
                                   {"sections", stats->total_sections},
                                   {"written_at", std::chrono::duration_cast<std::chrono::seconds>(
                                                      std::chrono::system_clock::now().time_since_epoch())
                                                      .count()}}
                        .dump());
    if (in_place) db.commit_transaction();
    else db.commit();
    db.close();
  } catch (const Xapian::Error& e) {
    *error = "index write failed: " + e.get_description();
    if (!in_place) fs::remove_all(build_dir);
    return false;
  }

  if (!in_place) {
    std::error_code ec;
    if (!exists) {
      fs::rename(build_dir, opt.index_dir, ec);
    } else if (exchange_dirs(build_dir, opt.index_dir)) {
      fs::remove_all(build_dir, ec);  // now holds the old index
    } else {
      // No atomic exchange on this filesystem: move the old one away, then the new one in.
      const std::string old = opt.index_dir + ".old-" + std::to_string(::getpid());
      fs::rename(opt.index_dir, old, ec);
      if (!ec) fs::rename(build_dir, opt.index_dir, ec);
      if (!ec) fs::remove_all(old, ec);
    }
    if (ec) {
      *error = "cannot move the new index into place at " + opt.index_dir + ": " + ec.message();
      return false;
    }
  }
  stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return true;
}

}  // namespace docbot::indexer
