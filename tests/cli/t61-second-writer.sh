#!/bin/sh
# t61-second-writer.sh - a second indexer on a locked database exits 2
#
# The first dossier-index holds the database (it is stopped with SIGSTOP
# once it has started adding files, so it cannot finish first); a second
# one on the same database must exit 2 with exactly one line naming the
# lock, change nothing, and the first must then finish as if alone.
. "$(dirname "$0")/lib.sh"

files=${T61_FILES:-600}
gen_corpus corpus "$files" 61
mkdir other
cp "$FIX/basic/guarantees.md" other/
printf 'index:\n  batch_size: 50\n' > cfg.yaml

"$BIN/dossier-index" -d db.x -c cfg.yaml -j1 -v --no-progress corpus \
    > first.out 2> first.err &
pid=$!
# At most 30 s for the first batch; the first indexer must still be
# running when it is stopped, or there is no lock to test.
poll 600 grep -q '^added ' first.err
check "first indexer has started adding files" grep -q '^added ' first.err
kill -STOP "$pid"
# (A finished one would have printed its summary.)
check "first indexer had not finished when stopped" [ ! -s first.out ]

run index -d db.x -c cfg.yaml --no-progress other
check "second writer exits 2" eq "$rc" 2
check "second writer says one line" eq "$err" \
    "dossier-index: db.x: database is locked by another indexer"
check "second writer prints no summary" eq "$out" ""
run search -d db.x --format paths ''
check "second writer added nothing" hasnt "$out" "other/guarantees.md"

kill -CONT "$pid"
wait "$pid"
rc=$?
out=$(cat first.out)
err=$(grep -v '^added ' first.err)
check "first indexer exits 0" eq "$rc" 0
check "first indexer added every file" has "$out" "added $(thousands $files) documents from $(thousands $files) files, updated 0"
check "first indexer had no complaint" eq "$err" ""
check "database intact" xcheck db.x
run search -d db.x --no-collapse --format json -n 0 ''
check "every document there" eq "$(printf '%s\n' "$out" | jq .total)" "$files"
finish
