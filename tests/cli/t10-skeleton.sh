#!/bin/sh
# t10-skeleton.sh - index a small tree, search it: the walking skeleton
. "$(dirname "$0")/lib.sh"

cp -r "$FIX/basic" docs
run index -d db.x -c "$FIX/basic.yaml" --no-progress docs
check "index exits 0" eq "$rc" 0
check "summary line counts 4 added" \
    has "$out" "added 4 documents from 4 files, updated 0, removed 0, unchanged 0, skipped 0 in "
check "index is quiet on stderr" eq "$err" ""

run search -d db.x '"security guarantees"'
check "phrase search exits 0" eq "$rc" 0
check "phrase finds the guarantees article first" \
    has "$(printf '%s\n' "$out" | head -n 2)" "What security guarantees could mean"
check "phrase finds the Bucharest article" has "$out" "The Bucharest promise"
check "phrase misses air defence" hasnt "$out" "Air defence"
check "total line" has "$out" "Results 1-2 of 2"

run search -d db.x --format paths '"security guarantees"'
check "paths format lists 2 paths" eq "$(printf '%s\n' "$out" | wc -l)" 2
check "paths are absolute" has "$out" "$T/docs/guarantees.md"

run search -d db.x zzzznotaword
check "no hits exits 1, stderr empty" no_hits
check "no hits says so" has "$out" "No results"

run search -d db.x 'security AND'
check "bad query exits 2" eq "$rc" 2
check "bad query is one line" eq "$(printf '%s\n' "$err" | grep -c .)" 1
check "bad query message names the query" \
    has "$err" "dossier-search: query 'security AND': "
check "bad query prints no results" eq "$out" ""

run search -d nonexistent.db anything
check "missing database exits 2" eq "$rc" 2
check "missing database message" \
    has "$err" "dossier-search: nonexistent.db: no database here"

run search -d db.x --format json guarantees
check "json exits 0" eq "$rc" 0
check "json parses" json_ok
check "json hit fields" eq "$(printf '%s\n' "$out" | jq -r '.hits[0] | [.title, .date, (.authors|join("+")), .source] | join("|")')" \
    "What security guarantees could mean for Ukraine|2025-08-16|Ada Quill+Borys Ostapenko|Test Gazette"

run search -d db.x --sort oldest --format json ''
check "browse lists all 4" eq "$(printf '%s\n' "$out" | jq '.hits | length')" 4
check "oldest first" eq "$(printf '%s\n' "$out" | jq -r '.hits[0].date')" "2008-04-04"
check "undated last" eq "$(printf '%s\n' "$out" | jq -r '.hits[3].date')" "null"
run search -d db.x --format json ''
check "browse is newest first" \
    eq "$(printf '%s\n' "$out" | jq -r '[.hits[].date] | join(",")')" \
    "2025-08-16,2024-03-03,2008-04-04,"

run search -d db.x --author ada --format paths
check "author word filter" eq "$(printf '%s\n' "$out" | wc -l)" 2
run search -d db.x --author 'ADA QUILL' --until 2024 --format paths
check "author full name, until 2024" eq "$out" "$T/docs/air-defence.md"
run search -d db.x --author cecile --format paths
check "author accent-insensitive" eq "$out" "$T/docs/undated.md"
run search -d db.x -c "$FIX/basic.yaml" --author @zhenya --format json
check "alias resolves a handle" \
    eq "$(printf '%s\n' "$out" | jq -r '.hits[0].authors[0]')" "Yevhenia Marchuk"
run search -d db.x --since 2024-03 --format paths
check "since 2024-03 has 2" eq "$(printf '%s\n' "$out" | wc -l)" 2
run search -d db.x --since 2025-13
check "bad date exits 2" eq "$rc" 2
check "bad date names the option" has "$err" "dossier-search: --since: invalid date '2025-13'"

run index -d db.x -c "$FIX/basic.yaml" --no-progress docs
check "second run changes nothing" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 4, skipped 0"
run index -d db.x -c "$FIX/basic.yaml" --no-progress
check "no arguments reindexes the recorded roots" \
    has "$out" "unchanged 4"
finish
