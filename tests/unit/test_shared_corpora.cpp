// Real documentation from ../shared/corpora: indexing must succeed without a crash and give a
// plausible Diátaxis distribution. Skips cleanly when ../shared is absent.
#include <xapian.h>

#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "indexer/indexer.hpp"
#include "search/schema.hpp"

using namespace docbot;
using docbot::test::TempDir;

TEST_CASE("indexing the Kubernetes and Argo CD docs gives a plausible type distribution", "[corpus][indexer]") {
  if (!test::have_shared_corpora()) {
    WARN("../shared/corpora not found: skipped");
    return;
  }
  TempDir t;
  indexer::Options opt;
  opt.sources = {{"kubernetes", test::shared_dir() + "/corpora/kubernetes", indexer::SlugStyle::hugo},
                 {"argocd", test::shared_dir() + "/corpora/argocd", indexer::SlugStyle::mkdocs}};
  opt.index_dir = (t / "idx").string();
  indexer::Stats st;
  std::vector<std::string> warnings;
  std::string err;
  REQUIRE(indexer::run(opt, &st, nullptr, [&](const std::string& w) { warnings.push_back(w); }, &err));
  CHECK(st.files_seen > 2500);
  CHECK(st.files_skipped == 0);
  CHECK(warnings.size() < 10);  // the few proposals with broken YAML front matter
  CHECK(st.pages_by_lang.at("ja") > 500);
  // Kubernetes' reference/ dominates (generated pages); explanation and how-to follow; few tutorials.
  const auto& ty = st.pages_by_type;
  CHECK(ty.at("reference") > ty.at("explanation"));
  CHECK(ty.at("how-to") > ty.at("tutorial"));
  CHECK(ty.at("tutorial") >= 40);
  CHECK(st.heuristic_only < st.files_seen / 10);

  Xapian::Database db(opt.index_dir);
  auto type_of = [&](const std::string& docid) {
    auto it = db.postlist_begin("XP" + docid);
    REQUIRE(it != db.postlist_end("XP" + docid));
    return db.get_document(*it).get_value(schema::kSlotType);
  };
  CHECK(type_of("kubernetes/en/tutorials/hello-minikube.md") == "tutorial");
  CHECK(type_of("kubernetes/en/tasks/debug/debug-application/debug-running-pod.md") == "how-to");
  CHECK(type_of("kubernetes/en/reference/kubernetes-api/workload-resources/pod-v1.md") == "reference");
  CHECK(type_of("kubernetes/en/concepts/workloads/pods/pod-lifecycle.md") == "explanation");
  CHECK(type_of("kubernetes/ja/tasks/debug/debug-application/debug-pods.md") == "how-to");
  CHECK(type_of("argocd/user-guide/commands/argocd_app_sync.md") == "reference");
  CHECK(type_of("argocd/user-guide/private-repositories.md") == "how-to");
  // Shortcodes never leak into stored text.
  for (auto it = db.postlist_begin("XPkubernetes/en/concepts/workloads/pods/pod-lifecycle.md");
       it != db.postlist_end("XPkubernetes/en/concepts/workloads/pods/pod-lifecycle.md"); ++it) {
    const auto data = db.get_document(*it).get_data();
    CHECK(data.find("{{<") == std::string::npos);
    CHECK(data.find("glossary_tooltip") == std::string::npos);
  }
}
