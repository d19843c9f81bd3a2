// bench-query-latency — in-process query latency of docbot search against raw Xapian (Enquire
// with the default QueryParser, English stemmer, top 10) on the same index, in the same run.
// Queries are the dev set repeated; the two are interleaved per query so machine noise hits both.
// Prints p50/p99 for each and the ratio of medians (the figure the README's goal is about).
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "search/search.hpp"

namespace {
double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench-query-latency INDEX QUERIES.jsonl [REPEAT=20]\n";
    return 2;
  }
  const std::string index = argv[1];
  const int repeat = argc > 3 ? std::atoi(argv[3]) : 20;
  std::vector<std::string> qs;
  std::ifstream in(argv[2]);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) qs.push_back(nlohmann::json::parse(line).at("q").get<std::string>());
  std::string err;
  auto ours = docbot::search::Searcher::open(index, &err);
  if (!ours) {
    std::cerr << err << "\n";
    return 1;
  }
  Xapian::Database db(index);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  std::vector<double> t_ours, t_raw;
  std::size_t sink = 0;
  using clock = std::chrono::steady_clock;
  for (int r = 0; r < repeat + 1; ++r) {
    for (const auto& q : qs) {
      auto a = clock::now();
      const auto res = ours->search(q, {10});
      auto b = clock::now();
      Xapian::Enquire enq(db);
      enq.set_query(qp.parse_query(q));
      const auto mset = enq.get_mset(0, 10);
      for (auto it = mset.begin(); it != mset.end(); ++it) sink += it.get_document().get_data().size();
      auto c = clock::now();
      sink += res.results.size();
      if (r == 0) continue;  // warm-up round: page cache, first-touch allocations
      t_ours.push_back(std::chrono::duration<double, std::milli>(b - a).count());
      t_raw.push_back(std::chrono::duration<double, std::milli>(c - b).count());
    }
  }
  std::printf("queries: %zu x %d\n", qs.size(), repeat);
  std::printf("docbot search: p50 %.2f ms  p99 %.2f ms\n", pct(t_ours, 0.5), pct(t_ours, 0.99));
  std::printf("raw Xapian   : p50 %.2f ms  p99 %.2f ms\n", pct(t_raw, 0.5), pct(t_raw, 0.99));
  std::printf("ratio (p50 docbot / p50 raw): %.2fx   (p99: %.2fx)\n", pct(t_ours, 0.5) / pct(t_raw, 0.5),
              pct(t_ours, 0.99) / pct(t_raw, 0.99));
  return sink == 42 ? 3 : 0;  // keep the work observable
}
