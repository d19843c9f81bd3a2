#!/usr/bin/env bash
# Index build benchmark: docbot-index vs Xapian's omindex on the same Markdown, same run.
#   bench/index-build.sh [RUNS=3]
# Reports median wall seconds for: docbot-index (full build, with synonyms), omindex
# (-Mmd:text/plain) without and with XAPIAN_CJK_NGRAM=1, the ratio docbot/omindex-CJK, and the
# median time of an incremental re-index after one changed file (on a scratch copy).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shared=../shared/corpora
[[ -d $shared/kubernetes ]] || { echo "bench: ../shared/corpora not found" >&2; exit 1; }
command -v omindex >/dev/null || { echo "bench: omindex missing (scripts/install-deps installs xapian-omega)" >&2; exit 1; }
idx=build/bin-missing; [[ -x build/indexer/docbot-index ]] && idx=build/indexer/docbot-index
[[ -x $idx ]] || { echo "bench: build first (scripts/build)" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
syn=docs-corpus/synonyms.yaml; synarg=(); [[ -f $syn ]] && synarg=(--synonyms "$syn")

: >"$tmp/docbot"; : >"$tmp/om"; : >"$tmp/omcjk"
for ((i = 0; i < runs; i++)); do
  # Interleave the three so machine noise hits all of them alike.
  rm -rf "$tmp/i1"; t=$(now)
  "$idx" --quiet --source "kubernetes=$shared/kubernetes" --source "argocd=$shared/argocd" \
         --slug-style argocd=mkdocs "${synarg[@]}" --index "$tmp/i1"
  awk -v a="$(now)" -v b="$t" "BEGIN{print a-b}" >>"$tmp/docbot"
  for mode in om omcjk; do
    rm -rf "$tmp/o"; t=$(now)
    for src in kubernetes argocd; do
      if [[ $mode == omcjk ]]; then
        XAPIAN_CJK_NGRAM=1 omindex -Mmd:text/plain --db "$tmp/o" --url "/$src" "$shared/$src" >/dev/null 2>&1
      else
        omindex -Mmd:text/plain --db "$tmp/o" --url "/$src" "$shared/$src" >/dev/null 2>&1
      fi
    done
    awk -v a="$(now)" -v b="$t" "BEGIN{print a-b}" >>"$tmp/$mode"
  done
done
d=$(median <"$tmp/docbot"); o=$(median <"$tmp/om"); c=$(median <"$tmp/omcjk")
echo "full build, median of $runs (s): docbot-index $d | omindex $o | omindex CJK $c"
echo "ratio docbot-index / omindex-CJK: $(awk -v a="$d" -v b="$c" "BEGIN{printf \"%.2f\", a/b}")x   (docbot / plain omindex: $(awk -v a="$d" -v b="$o" "BEGIN{printf \"%.2f\", a/b}")x)"
echo "docbot index: $(du -sh "$tmp/i1" | cut -f1), omindex CJK: $(du -sh "$tmp/o" | cut -f1)"

# Incremental: copy the corpora aside, index, then change one file and re-index.
cp -r "$shared/kubernetes" "$shared/argocd" "$tmp/"
"$idx" --quiet --source "kubernetes=$tmp/kubernetes" --source "argocd=$tmp/argocd" --index "$tmp/inc"
: >"$tmp/incr"
page="$tmp/kubernetes/en/tasks/debug/debug-application/debug-pods.md"
for ((i = 0; i < 5; i++)); do
  echo "Edit $i: one more line about a pod that stays pending." >>"$page"
  t=$(now)
  "$idx" --quiet --source "kubernetes=$tmp/kubernetes" --source "argocd=$tmp/argocd" --index "$tmp/inc"
  awk -v a="$(now)" -v b="$t" "BEGIN{print a-b}" >>"$tmp/incr"
done
echo "incremental re-index after one changed file, median of 5: $(median <"$tmp/incr") s"
