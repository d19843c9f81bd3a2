# ctest driver: build a fresh index of docs-corpus/ and run docbot-eval with floors.
# Floors sit a little under the measured figures (see the closing notes), so a real regression
# fails CI while a one-query wobble from a docs edit does not.
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND "${INDEXER}" --quiet --source "docs-corpus=${CORPUS}" --index "${WORK}"
                        --synonyms "${CORPUS}/synonyms.yaml"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "docbot-index failed on docs-corpus (${rc})")
endif()
execute_process(COMMAND "${EVAL}" --index "${WORK}" --queries "${CORPUS}/queries.jsonl" --verbose
                        --min-hit3 0.85 --min-hit3-ja 0.80 --min-mrr 0.70 --min-confident 0.80 --min-abstain 0.80
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "search quality on docs-corpus/queries.jsonl fell below its floor")
endif()
