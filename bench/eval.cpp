// docbot-eval — scores docbot search on a query set in-process, with the same metrics as
// ../shared/eval/score.py (hit@1, hit@3, MRR@10 per language and overall, confident on
// answerable, abstained on unanswerable). With --min-* floors it exits 1 when quality drops,
// which is how ctest guards docs-corpus/queries.jsonl.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "search/search.hpp"

namespace {
struct Acc {
  int n = 0, h1 = 0, h3 = 0;
  double mrr = 0;
};
}  // namespace

int main(int argc, char** argv) {
  std::string index, queries;
  std::map<std::string, double> floors;  // metric -> minimum
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--index" && i + 1 < argc) index = argv[++i];
    else if (a == "--queries" && i + 1 < argc) queries = argv[++i];
    else if (a.rfind("--min-", 0) == 0 && i + 1 < argc) floors[a.substr(6)] = std::atof(argv[++i]);
    else if (a == "--verbose") verbose = true;
    else {
      std::cerr << "usage: docbot-eval --index DIR --queries FILE.jsonl [--verbose]\n"
                   "       [--min-hit3 X] [--min-hit3-ja X] [--min-mrr X] [--min-confident X] [--min-abstain X]\n";
      return 2;
    }
  }
  std::string err;
  auto s = docbot::search::Searcher::open(index, &err);
  if (!s) {
    std::cerr << "docbot-eval: " << err << "\n";
    return 1;
  }
  std::ifstream in(queries);
  if (!in) {
    std::cerr << "docbot-eval: cannot read " << queries << "\n";
    return 1;
  }
  std::map<std::string, Acc> per_lang;
  int answerable = 0, confident = 0, unanswerable = 0, abstained = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto q = nlohmann::json::parse(line);
    const auto rel = q.at("rel").get<std::vector<std::string>>();
    const auto r = s->search(q.at("q").get<std::string>(), {10});
    std::vector<std::string> docs;
    for (const auto& x : r.results)
      if (std::find(docs.begin(), docs.end(), x.doc) == docs.end()) docs.push_back(x.doc);
    if (rel.empty()) {
      ++unanswerable;
      abstained += !r.confident;
      if (r.confident && verbose)
        std::cout << "  answered-but-should-abstain " << q["id"].get<std::string>() << ": " << q["q"] << " -> "
                  << (docs.empty() ? "" : docs[0]) << "\n";
      continue;
    }
    ++answerable;
    confident += r.confident;
    int rank = 0;
    for (std::size_t i = 0; i < docs.size() && i < 10; ++i)
      if (std::find(rel.begin(), rel.end(), docs[i]) != rel.end()) {
        rank = static_cast<int>(i) + 1;
        break;
      }
    Acc& a = per_lang[q.at("lang").get<std::string>()];
    ++a.n;
    a.h1 += rank == 1;
    a.h3 += rank >= 1 && rank <= 3;
    a.mrr += rank ? 1.0 / rank : 0.0;
    if (verbose && (rank == 0 || rank > 3))
      std::cout << "  miss@3 " << q["id"].get<std::string>() << " (rank " << rank << "): " << q["q"] << " -> "
                << (docs.empty() ? "-" : docs[0]) << "\n";
    if (verbose && !r.confident) std::cout << "  not-confident " << q["id"].get<std::string>() << ": " << q["q"] << "\n";
  }
  Acc all;
  std::map<std::string, double> m;
  for (const auto& [lang, a] : per_lang) {
    std::printf("%s: n=%d hit@1=%.2f hit@3=%.2f mrr@10=%.3f\n", lang.c_str(), a.n, double(a.h1) / a.n,
                double(a.h3) / a.n, a.mrr / a.n);
    m["hit3-" + lang] = double(a.h3) / a.n;
    all.n += a.n;
    all.h1 += a.h1;
    all.h3 += a.h3;
    all.mrr += a.mrr;
  }
  const int n = std::max(1, all.n);
  m["hit1"] = double(all.h1) / n;
  m["hit3"] = double(all.h3) / n;
  m["mrr"] = all.mrr / n;
  m["confident"] = double(confident) / std::max(1, answerable);
  m["abstain"] = double(abstained) / std::max(1, unanswerable);
  std::printf("all: n=%d hit@1=%.2f hit@3=%.2f mrr@10=%.3f confident-on-answerable=%.2f abstained-on-unanswerable=%.2f\n",
              all.n, m["hit1"], m["hit3"], m["mrr"], m["confident"], m["abstain"]);
  int rc = 0;
  for (const auto& [k, v] : floors) {
    if (!m.count(k)) {
      std::cerr << "docbot-eval: unknown metric for --min-" << k << "\n";
      return 2;
    }
    if (m[k] + 1e-9 < v) {
      std::printf("FLOOR BROKEN: %s = %.3f < %.3f\n", k.c_str(), m[k], v);
      rc = 1;
    }
  }
  return rc;
}
