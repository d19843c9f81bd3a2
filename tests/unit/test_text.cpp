#include <catch2/catch.hpp>

#include "common/text.hpp"

using namespace docbot::text;

TEST_CASE("UTF-8 validation finds the first bad byte", "[unit][text]") {
  struct Case { std::string in; std::size_t bad; const char* why; };
  const Case cases[] = {
      {"plain ascii", std::string::npos, "ASCII is valid UTF-8"},
      {"ポッド pod", std::string::npos, "Japanese is valid"},
      {"ok\xC3", 2, "truncated two-byte sequence at the end"},
      {"a\xC0\xAF", 1, "overlong encoding of '/' is invalid"},
      {"x\xED\xA0\x80", 1, "UTF-16 surrogate encoded in UTF-8 is invalid"},
      {"\xFF", 0, "0xFF never appears in UTF-8"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    CHECK(find_invalid_utf8(c.in) == c.bad);
  }
}

TEST_CASE("truncate_utf8 never cuts a code point", "[unit][text]") {
  const std::string s = "aポッド";  // 1 + 3*3 bytes
  CHECK(truncate_utf8(s, 3) == "a");
  CHECK(truncate_utf8(s, 4) == "aポ");
  CHECK(truncate_utf8(s, 100) == s);
}

TEST_CASE("language detection by script", "[unit][text]") {
  struct Case { const char* in; const char* lang; const char* why; };
  const Case cases[] = {
      {"How do I debug a pod?", "en", "Latin only"},
      {"Podが起動しない", "ja", "kana with an English word is still Japanese"},
      {"kubectl get pods -n payments でエラーになります", "ja", "long command plus a Japanese sentence"},
      {"파드 디버깅", "ko", "Hangul"},
      {"", "en", "empty defaults to English"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    CHECK(detect_language(c.in) == c.lang);
  }
}

TEST_CASE("error tokens are the machine-made words", "[unit][text]") {
  const auto t = error_tokens("Error from server (Forbidden): pods CrashLoopBackOff x509: OOMKilled NXDOMAIN Normal");
  auto has = [&](const char* w) { return std::find(t.begin(), t.end(), w) != t.end(); };
  CHECK(has("forbidden"));        // (Reason) as kubectl prints it
  CHECK(has("crashloopbackoff")); // CamelCase status
  CHECK(has("x509"));             // letters and digits
  CHECK(has("oomkilled"));
  CHECK(has("nxdomain"));         // SHOUTING
  CHECK_FALSE(has("normal"));     // an ordinary capitalised word is not an error token
  CHECK_FALSE(has("error"));
}
