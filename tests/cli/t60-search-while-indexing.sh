#!/bin/sh
# t60-search-while-indexing.sh - searches never fail while the indexer commits
#
# dossier-index runs over a generated corpus with index.batch_size 20 (a
# commit every 20 files) while searches run in a loop: a browse counting
# every document, a phrase search with snippets and facets over the whole
# match set.  Every search must succeed with nothing on stderr (a reader
# that sees the database move on reopens and retries), every hit must
# have its snippet, and the number of documents a search sees must always
# be a whole number of batches: never a half-written one.  Searches start
# as soon as the database directory exists, before Xapian's files do.
#
# Then a bounded run of tests/reliability/search-stress.sh (make
# search-stress runs 50,000 searches): first builds with -j1 and -j2 and
# --full rebuilds, each through its compaction swap, with two searchers
# from the moment the directory appears; every failing search is kept
# and shown.
. "$(dirname "$0")/lib.sh"

files=${T60_FILES:-1500}
batch=20
gen_corpus corpus "$files" 60
printf 'index:\n  batch_size: %d\n' "$batch" > cfg.yaml

"$BIN/dossier-index" -d db.x -c cfg.yaml -j1 --no-progress corpus \
    > index.out 2> index.err &
pid=$!
# From the moment the directory appears (DESIGN), before Xapian's files.
while [ ! -d db.x ] && kill -0 "$pid" 2>/dev/null; do
    :
done

# Say which search failed and how (exit code, first lines of stderr).
failed() {
    echo "# $1 search failed: rc=$rc"
    head -n 3 s.err | sed 's/^/#   /'
}

searches=0 bad=0 torn=0 nosnip=0 counts=""
while kill -0 "$pid" 2>/dev/null; do
    searches=$((searches + 1))
    search -d db.x --no-collapse --facets --format json -n 0 '' \
        > browse.json 2> s.err
    rc=$?
    total=$(jq -r 'if .total_exact then .total else "inexact" end' \
        browse.json 2>/dev/null)
    if [ "$rc" -gt 1 ] || [ -s s.err ] || [ -z "$total" ]; then
        bad=$((bad + 1)); failed browse
    elif [ "$total" = inexact ] ||
         { [ $((total % batch)) -ne 0 ] && [ "$total" -ne "$files" ]; }; then
        torn=$((torn + 1)); echo "# saw $total documents"
    else
        counts="$counts $total"
    fi
    search -d db.x --format json -n 50 --facets '"security guarantees"' \
        > hits.json 2> s.err
    rc=$?
    if [ "$rc" -gt 1 ] || [ -s s.err ] || ! jq -e . hits.json >/dev/null 2>&1
    then
        bad=$((bad + 1)); failed phrase
    else
        nosnip=$((nosnip + $(jq '[.hits[] | select(.snippet == "")] | length' \
            hits.json)))
    fi
    search -d db.x --histogram year nato > hist.txt 2> s.err
    rc=$?
    if [ "$rc" -gt 1 ] || [ -s s.err ]; then
        bad=$((bad + 1)); failed histogram
    fi
done
wait "$pid"
rc=$?
err=$(cat index.err)
out=$(cat index.out)
echo "# $searches rounds of 3 searches while indexing; counts seen:$counts" |
    cut -c1-200
check "indexer finished" eq "$rc" 0
check "indexer added every file" has "$out" "added $(thousands $files) documents from $(thousands $files) files, updated 0"
check "searches ran while indexing" [ "$searches" -ge "${T60_MIN_ROUNDS:-3}" ]
check "no search failed" eq "$bad" 0
check "no search saw a half-written batch" eq "$torn" 0
check "every hit has its snippet" eq "$nosnip" 0
run search -d db.x --no-collapse --format json -n 0 ''
check "all documents there at the end" eq "$(printf '%s\n' "$out" | jq .total)" "$files"

run sh "$TESTS/reliability/search-stress.sh" "$BIN" 1000000 \
    "${T60_STRESS_FILES:-200}" "${T60_STRESS_SECONDS:-25}"
summary=$(printf '%s\n' "$out" | grep '^search-stress: ')
echo "# $summary"
rounds=$(printf '%s\n' "$summary" | sed -n 's/.* in \([0-9]*\) rounds.*/\1/p')
stressed=$(printf '%s\n' "$summary" | sed -n 's/^search-stress: \([0-9]*\) searches.*/\1/p')
check "stress: no search failed during first builds, rebuilds and swaps" \
    eq "$rc" 0
check "stress: every kind of build ran (4 rounds or more)" \
    [ "${rounds:-0}" -ge 4 ]
check "stress: searches ran" [ "${stressed:-0}" -ge "${T60_STRESS_MIN:-100}" ]
finish
