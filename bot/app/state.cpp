#include "bot/app/state.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace docbot::bot {
namespace {

constexpr const char* kSchema = R"sql(
PRAGMA journal_mode=WAL;
CREATE TABLE IF NOT EXISTS answers (
  id TEXT PRIMARY KEY, surface TEXT, channel TEXT, thread_ts TEXT, question_ts TEXT, user TEXT,
  question TEXT, hits TEXT, confident INTEGER, created INTEGER, lang TEXT);
CREATE TABLE IF NOT EXISTS feedback (
  answer_id TEXT, user TEXT, kind TEXT, detail TEXT, created INTEGER);
CREATE TABLE IF NOT EXISTS escalations (
  answer_id TEXT PRIMARY KEY, reason TEXT, created INTEGER);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback(answer_id);
)sql";

/// RAII statement; bind by position, all text.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db));
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt& text(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& integer(int i, long long v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(sqlite3_errmsg(db_));
  }
  std::string col(int i) {
    const auto* p = sqlite3_column_text(s_, i);
    return p ? reinterpret_cast<const char*>(p) : "";
  }
  long long col_int(int i) { return sqlite3_column_int64(s_, i); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::unique_ptr<StateStore> StateStore::open(const std::string& path, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    if (error) *error = "state: cannot open '" + path + "': " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 2000);
  std::unique_ptr<StateStore> s(new StateStore(db));
  try {
    s->exec(kSchema);
    s->migrate();
  } catch (const std::exception& e) {
    if (error) *error = "state: cannot initialise '" + path + "': " + e.what();
    return nullptr;
  }
  return s;
}

StateStore::~StateStore() { sqlite3_close(db_); }

void StateStore::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "sqlite error";
    sqlite3_free(err);
    throw std::runtime_error(m);
  }
}

void StateStore::migrate() {
  // Databases created before replies were localised lack answers.lang; their answers were English.
  bool has_lang = false;
  {
    Stmt s(db_, "PRAGMA table_info(answers)");  // finalised before the ALTER below
    while (s.step()) has_lang = has_lang || s.col(1) == "lang";
  }
  if (!has_lang) exec("ALTER TABLE answers ADD COLUMN lang TEXT DEFAULT 'en'");
}

std::string StateStore::add_answer(const AnswerRecord& a) {
  std::lock_guard lock(mu_);
  // Ids are random (not sequential) so a button value from one workspace cannot guess another answer.
  std::random_device rd;
  std::uniform_int_distribution<unsigned long long> d;
  char buf[24];
  std::snprintf(buf, sizeof buf, "a%016llx", d(rd));
  const std::string id = buf;
  Stmt(db_,
       "INSERT INTO answers "
       "(id,surface,channel,thread_ts,question_ts,user,question,hits,confident,created,lang) "
       "VALUES (?,?,?,?,?,?,?,?,?,?,?)")
      .text(1, id)
      .text(2, a.surface)
      .text(3, a.channel)
      .text(4, a.thread_ts)
      .text(5, a.question_ts)
      .text(6, a.user)
      .text(7, a.question)
      .text(8, a.hits.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
      .integer(9, a.confident ? 1 : 0)
      .integer(10, unix_now())
      .text(11, std::string(protocol::lang_code(a.lang)))
      .step();
  return id;
}

std::optional<AnswerRecord> StateStore::answer(const std::string& id) {
  std::lock_guard lock(mu_);
  Stmt s(db_,
         "SELECT id,surface,channel,thread_ts,question_ts,user,question,hits,confident,lang FROM answers "
         "WHERE id=?");
  s.text(1, id);
  if (!s.step()) return std::nullopt;
  AnswerRecord a;
  a.id = s.col(0);
  a.surface = s.col(1);
  a.channel = s.col(2);
  a.thread_ts = s.col(3);
  a.question_ts = s.col(4);
  a.user = s.col(5);
  a.question = s.col(6);
  a.hits = nlohmann::json::parse(s.col(7), nullptr, false);
  if (a.hits.is_discarded()) a.hits = nlohmann::json::array();
  a.confident = s.col_int(8) != 0;
  a.lang = protocol::lang_from_code(s.col(9));
  return a;
}

void StateStore::add_feedback(const std::string& answer_id, const std::string& user, const std::string& kind,
                              const std::string& detail) {
  std::lock_guard lock(mu_);
  Stmt(db_, "INSERT INTO feedback VALUES (?,?,?,?,?)")
      .text(1, answer_id)
      .text(2, user)
      .text(3, kind)
      .text(4, detail)
      .integer(5, unix_now())
      .step();
}

std::vector<std::string> StateStore::feedback_lines(const std::string& answer_id, protocol::Lang lang) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT kind, detail FROM feedback WHERE answer_id=? ORDER BY rowid");
  s.text(1, answer_id);
  std::vector<std::string> out;
  while (s.step())
    if (auto line = protocol::feedback_line(s.col(0), s.col(1), lang); !line.empty()) out.push_back(line);
  return out;
}

bool StateStore::has_feedback(const std::string& answer_id, const std::string& kind) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "SELECT 1 FROM feedback WHERE answer_id=? AND kind=? LIMIT 1");
  s.text(1, answer_id).text(2, kind);
  return s.step();
}

bool StateStore::mark_escalated(const std::string& answer_id, const std::string& reason) {
  std::lock_guard lock(mu_);
  Stmt s(db_, "INSERT OR IGNORE INTO escalations VALUES (?,?,?)");
  s.text(1, answer_id).text(2, reason).integer(3, unix_now()).step();
  return sqlite3_changes(db_) > 0;
}

int StateStore::count(const std::string& table) {
  std::lock_guard lock(mu_);
  if (table != "answers" && table != "feedback" && table != "escalations") return -1;
  Stmt s(db_, ("SELECT COUNT(*) FROM " + table).c_str());
  return s.step() ? static_cast<int>(s.col_int(0)) : 0;
}

}  // namespace docbot::bot
