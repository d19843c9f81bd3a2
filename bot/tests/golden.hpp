#pragma once
// Golden-file comparison for Block Kit JSON (libkiwix test/response.cpp style): the expected output is a
// reviewed file under fixtures/; DOCBOT_UPDATE_GOLDEN=1 rewrites it.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

inline void check_golden(const std::string& name, const nlohmann::json& actual) {
  const std::string path = std::string(DOCBOT_BOT_FIXTURES) + "/" + name + ".json";
  const std::string text = actual.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (const char* u = std::getenv("DOCBOT_UPDATE_GOLDEN"); u && std::string(u) == "1") {
    std::ofstream(path) << text;
    return;
  }
  std::ifstream in(path);
  INFO("golden file " << path << " (set DOCBOT_UPDATE_GOLDEN=1 to create/refresh it)");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(text == ss.str());
}
