# ctest driver: build a fresh index of docs-corpus/ and run docbot-eval with floors.
# Floors sit under the measured figures (hit@3 0.98, ja 0.95, MRR 0.92, confident 1.00, abstain
# 1.00 on 2026-11-28), so a real regression
# fails CI while a one-query wobble from a docs edit does not.
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND "${INDEXER}" --quiet --source "docs-corpus=${CORPUS}" --index "${WORK}"
                        --synonyms "${CORPUS}/synonyms.yaml"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "docbot-index failed on docs-corpus (${rc})")
endif()
execute_process(COMMAND "${EVAL}" --index "${WORK}" --queries "${CORPUS}/queries.jsonl" --verbose
                        --min-hit3 0.90 --min-hit3-ja 0.85 --min-mrr 0.80 --min-confident 0.90 --min-abstain 0.85
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "search quality on docs-corpus/queries.jsonl fell below its floor")
endif()
