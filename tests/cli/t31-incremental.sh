#!/bin/sh
# t31-incremental.sh - reindexing does exactly what changed files need
. "$(dirname "$0")/lib.sh"

cp -r "$FIX/basic" docs
index -d db.x --no-progress docs > /dev/null
total() { search -d db.x --format json -n 100 '' | jq '.total'; }

run index -d db.x --no-progress -v docs
check "no change: nothing but unchanged" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 4, skipped 0"
check "no change: -v names nothing" eq "$err" ""

touch -d '2001-01-01 00:00' docs/air-defence.md
run index -d db.x --no-progress -v docs
check "touched but same content: unchanged" \
    has "$out" "added 0 documents from 1 file, updated 0, removed 0, unchanged 4, skipped 0"
run index -d db.x --no-progress docs
check "touched file is not read again" has "$out" "unchanged 4"

printf '\nNew paragraph about NASAMS launchers.\n' >> docs/air-defence.md
run index -d db.x --no-progress -v docs
check "edited: updated 1" \
    has "$out" "added 0 documents from 1 file, updated 1, removed 0, unchanged 3, skipped 0"
check "-v names the update" eq "$err" "updated $T/docs/air-defence.md"
run search -d db.x --format paths nasams
check "edit is searchable" eq "$out" "$T/docs/air-defence.md"
check "no duplicate after the update" eq "$(total)" 4

mv docs/undated.md docs/renamed.md
run index -d db.x --no-progress -v docs
check "renamed: one added, one removed" \
    has "$out" "added 1 document from 1 file, updated 0, removed 1, unchanged 3, skipped 0"
run search -d db.x --format paths ammunition
check "renamed file found under its new name only" \
    eq "$out" "$T/docs/renamed.md"
check "rename does not duplicate" eq "$(total)" 4

rm docs/sub/accession.md
run index -d db.x --no-progress -q docs
check "-q prints no summary" eq "$out" ""
run search -d db.x --format paths bucharest
check "deleted file is gone" no_hits
check "three left" eq "$(total)" 3

printf -- '---\ntitle: Fresh\n---\nA fresh file on sanctions.\n' > docs/fresh.md
run index -d db.x --no-progress
check "no arguments: recorded root reindexed" \
    has "$out" "added 1 document from 1 file, updated 0, removed 0, unchanged 3, skipped 0"

run index -d db.x --no-progress --full docs
check "--full rereads every file" has "$out" "updated 4,"
check "the full build was compacted in place, nothing left over" \
    eq "$(ls -d db.x* | tr '\n' ' ')" "db.x "
check "the compacted database passes xapian-check" xapian-check db.x
run index -d nc.db --no-progress --no-compact docs
check "--no-compact" eq "$rc" 0

# Two roots, one name a prefix of the other: reindexing docs alone must
# not take docs2's files for vanished files of docs (the root's prefix
# ends with "/").
mkdir -p pre/docs pre/docs2
printf -- '---\ntitle: One\n---\nA note on wombatone.\n' > pre/docs/one.md
printf -- '---\ntitle: Two\n---\nA note on wombattwo.\n' > pre/docs2/two.md
printf -- '---\ntitle: Three\n---\nA note on wombattwo.\n' > pre/docs2/three.md
run index -d pre.x --no-progress pre/docs pre/docs2
check "two roots, one a prefix of the other: indexed" \
    has "$out" "added 3 documents from 3 files, updated 0, removed 0"
run index -d pre.x --no-progress -v pre/docs
check "reindexing docs alone removes nothing" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 1, skipped 0"
check "... and names nothing" eq "$err" ""
run search -d pre.x --no-collapse --format paths wombattwo
check "... docs2's documents are still found" \
    eq "$(printf '%s\n' "$out" | sort | tr '\n' ' ')" \
    "$T/pre/docs2/three.md $T/pre/docs2/two.md "
rm pre/docs/one.md
run index -d pre.x --no-progress pre/docs
check "a file gone from docs: removed 1, docs2 untouched" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 1, unchanged 0, skipped 0"
run search -d pre.x --no-collapse --format json -n 10 ''
check "... docs2's two documents left" \
    eq "$(printf '%s\n' "$out" | jq -r '[.hits[].path] | sort | join(" ")')" \
    "$T/pre/docs2/three.md $T/pre/docs2/two.md"

# A file root is recorded and reindexed like a directory.
printf 'Title: Lone note\n\nA lone note on Article 5.\n' > lone.txt
run index -d db.x --no-progress lone.txt
check "a file as root" has "$out" "added 1 document from 1 file,"
rm lone.txt
run index -d db.x --no-progress
check "a vanished file root is reported, its document kept" eq "$err" \
    "dossier-index: warning: $T/lone.txt: root not found, its 1 document kept (use --forget $T/lone.txt to drop it)"

# Interrupted: a signal commits what is done and exits 130.
i=0; mkdir -p many
while [ $i -lt 300 ]; do
    printf -- '---\ntitle: Note %s\n---\nBody %s about drones.\n' $i $i > many/n$i.md
    i=$((i + 1))
done
# A run that finishes before its signal is tried again, three times at
# most; only then is the check skipped.
for attempt in 1 2 3; do
    rm -rf int.db
    "$BIN/dossier-index" -d int.db --no-progress -j1 many > int.out 2> int.err &
    pid=$!
    # The handlers are set before the database is opened: wait for it,
    # without sleeping (the whole run takes a tenth of a second), and at
    # most 200000 tries.
    k=0
    while [ ! -e int.db/iamglass ] && [ $k -lt "${T31_POLLS:-200000}" ]; do k=$((k + 1)); done
    appeared=$([ -d int.db ]; echo $?)
    kill -STOP $pid 2>/dev/null; kill -TERM $pid 2>/dev/null; kill -CONT $pid 2>/dev/null
    wait $pid; rc=$?; out=$(cat int.out); err=$(cat int.err)
    [ "$rc" = 0 ] || break
done
check "SIGTERM: the database appeared before the signal" eq "$appeared" 0
if [ "$rc" = 0 ]; then
    skip "SIGTERM: exit 130" "three runs finished before their signal"
else
    check "SIGTERM: exit 130" eq "$rc" 130
    check "SIGTERM: says it stopped" has "$err" "dossier-index: interrupted by signal 15: committed"
    said=$(printf '%s\n' "$err" | sed -n 's/.*committed \([0-9]*\) added.*/\1/p')
    check "what it says it committed is in the database" \
        eq "$(search -d int.db --format paths -n 1000 '' | wc -l)" "$said"
fi
run index -d int.db --no-progress -j1 many
check "rerun after interrupt completes" eq "$rc" 0
check "rerun indexes all 300" \
    eq "$(search -d int.db --format paths -n 1000 '' | wc -l)" 300
finish
