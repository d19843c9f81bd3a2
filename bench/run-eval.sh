#!/usr/bin/env bash
# Search quality on the shared dev set with the official scorer:
#   bench/run-eval.sh [QUERIES.jsonl]   (default ../shared/eval/dev-queries.jsonl)
# Indexes ../shared/corpora/{kubernetes,argocd} (with docs-corpus/synonyms.yaml, general
# platform vocabulary) into build/eval-index, scores `docbot search --json`, then prints the
# in-process latency benchmark against raw Xapian on the same index.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
queries=${1:-$shared/eval/dev-queries.jsonl}
[[ -d $shared/corpora/kubernetes ]] || { echo "eval: ../shared/corpora not found" >&2; exit 1; }
syn=(); [[ -f docs-corpus/synonyms.yaml ]] && syn=(--synonyms docs-corpus/synonyms.yaml)
build/indexer/docbot-index --quiet --source "kubernetes=$shared/corpora/kubernetes" \
  --source "argocd=$shared/corpora/argocd" --slug-style argocd=mkdocs "${syn[@]}" --index build/eval-index
python3 "$shared/eval/score.py" "$queries" -- build/search/docbot-search --index build/eval-index --json --limit 10
echo "--- latency (in-process, dev queries x20) ---"
build/bench/bench-query-latency build/eval-index "$queries" 20
