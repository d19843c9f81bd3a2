// Pure pieces: rate limiter on a manual clock, Block Kit limits, form parsing, certificate generation.
#include <catch2/catch.hpp>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "blocks.hpp"
#include "http_util.hpp"
#include "rate_limiter.hpp"
#include "tls.hpp"

using namespace slack_emulator;
using namespace slack_emulator::detail;
using nlohmann::json;

TEST_CASE("rate limiter allows a burst, then answers with Retry-After seconds", "[unit][rate_limit]") {
  manual_clock clk;
  rate_limiter rl(clk);
  const rate_tier one_per_second{60, 3};
  CHECK(rl.acquire("chat.postMessage#C1", one_per_second) == 0);
  CHECK(rl.acquire("chat.postMessage#C1", one_per_second) == 0);
  CHECK(rl.acquire("chat.postMessage#C1", one_per_second) == 0);
  CHECK(rl.acquire("chat.postMessage#C1", one_per_second) == 1);  // burst spent: wait one second
  CHECK(rl.acquire("chat.postMessage#C2", one_per_second) == 0);  // buckets are per key (per channel)
  clk.advance(std::chrono::milliseconds(1000));
  CHECK(rl.acquire("chat.postMessage#C1", one_per_second) == 0);  // refilled
  const rate_tier tier1{1, 1};
  CHECK(rl.acquire("apps.connections.open", tier1) == 0);
  CHECK(rl.acquire("apps.connections.open", tier1) == 60);  // Tier 1: one a minute
}

TEST_CASE("Block Kit limits reject what Slack rejects with invalid_blocks", "[unit][blocks]") {
  const block_limits lim;
  auto section = [](std::size_t n) {
    return json{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::string(n, 'x')}}}};
  };
  auto button = [](const std::string& text, const std::string& value, const std::string& action_id) {
    return json{{"type", "button"}, {"text", {{"type", "plain_text"}, {"text", text}}}, {"value", value},
                {"action_id", action_id}};
  };
  struct row {
    const char* why;
    json blocks;
    bool ok;
  };
  json fifty = json::array(), fifty_one = json::array();
  for (int i = 0; i < 50; ++i) fifty.push_back({{"type", "divider"}});
  fifty_one = fifty;
  fifty_one.push_back({{"type", "divider"}});
  json ten_context = json::array(), eleven_context;
  for (int i = 0; i < 10; ++i) ten_context.push_back({{"type", "mrkdwn"}, {"text", "c"}});
  eleven_context = ten_context;
  eleven_context.push_back({{"type", "mrkdwn"}, {"text", "c"}});
  json actions25 = json::array(), actions26;
  for (int i = 0; i < 25; ++i) actions25.push_back(button("b", "v", "a" + std::to_string(i)));
  actions26 = actions25;
  actions26.push_back(button("b", "v", "a25"));
  const std::vector<row> rows = {
      {"3000-char section text is the maximum", json::array({section(3000)}), true},
      {"3001 chars is one too many", json::array({section(3001)}), false},
      {"section text cannot be empty", json::array({section(0)}), false},
      {"50 blocks per message", fifty, true},
      {"51 blocks is too many", fifty_one, false},
      {"header is plain_text up to 150",
       json::array({{{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", std::string(150, 'h')}}}}}), true},
      {"header of 151 chars",
       json::array({{{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", std::string(151, 'h')}}}}}),
       false},
      {"header must not be mrkdwn",
       json::array({{{"type", "header"}, {"text", {{"type", "mrkdwn"}, {"text", "h"}}}}}), false},
      {"10 context elements", json::array({{{"type", "context"}, {"elements", ten_context}}}), true},
      {"11 context elements", json::array({{{"type", "context"}, {"elements", eleven_context}}}), false},
      {"25 actions", json::array({{{"type", "actions"}, {"elements", actions25}}}), true},
      {"26 actions", json::array({{{"type", "actions"}, {"elements", actions26}}}), false},
      {"button text 75", json::array({{{"type", "actions"}, {"elements", {button(std::string(75, 'b'), "v", "a")}}}}),
       true},
      {"button text 76", json::array({{{"type", "actions"}, {"elements", {button(std::string(76, 'b'), "v", "a")}}}}),
       false},
      {"button value 2001",
       json::array({{{"type", "actions"}, {"elements", {button("b", std::string(2001, 'v'), "a")}}}}), false},
      {"action_id 256", json::array({{{"type", "actions"}, {"elements", {button("b", "v", std::string(256, 'a'))}}}}),
       false},
      {"duplicate action_id in one block",
       json::array({{{"type", "actions"}, {"elements", {button("b", "v", "a"), button("c", "w", "a")}}}}), false},
      {"block_id 256", json::array({{{"type", "divider"}, {"block_id", std::string(256, 'i')}}}), false},
      {"duplicate block_id",
       json::array({{{"type", "divider"}, {"block_id", "x"}}, {{"type", "divider"}, {"block_id", "x"}}}), false},
      {"unknown block type", json::array({{{"type", "carousel"}}}), false},
      {"blocks must be an array", json::object(), false},
      {"limits count characters, not bytes (3000 × 'é')",
       json::array({{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", [] {
                                                      std::string s;
                                                      for (int i = 0; i < 3000; ++i) s += "\xc3\xa9";
                                                      return s;
                                                    }()}}}}}),
       true},
  };
  for (const auto& r : rows) {
    INFO(r.why);
    auto err = validate_blocks(r.blocks, lim);
    CHECK(!err.has_value() == r.ok);
    if (err) CHECK(err->find("[ERROR]") == 0);
  }
}

TEST_CASE("form bodies decode like Slack's clients encode them", "[unit][http]") {
  auto f = parse_form("channel=C1&text=hello+world%21&blocks=%5B%7B%22type%22%3A%22divider%22%7D%5D&empty=");
  CHECK(f["channel"] == "C1");
  CHECK(f["text"] == "hello world!");
  CHECK(f["blocks"] == R"([{"type":"divider"}])");
  CHECK(f["empty"].empty());
  CHECK(url_decode("100%") == "100%");  // a stray % stays as is
  CHECK(url_encode("a b&c") == "a%20b%26c");
}

TEST_CASE("generated server certificate chains to the CA and names 127.0.0.1 and localhost", "[unit][tls]") {
  auto m = make_tls_material({"localhost"}, {"127.0.0.1"});
  auto load = [](const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return x;
  };
  X509* ca = load(m.ca_cert_pem);
  X509* server = load(m.server_cert_pem);
  REQUIRE(ca);
  REQUIRE(server);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, server, nullptr);
  CHECK(X509_verify_cert(ctx) == 1);
  CHECK(X509_check_host(server, "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_ip_asc(server, "127.0.0.1", 0) == 1);
  CHECK(X509_check_host(server, "example.com", 0, 0, nullptr) != 1);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(ca);
  X509_free(server);
}
