#!/bin/sh
# t65-sharded-build.sh - a fresh build in shards: stopped, killed, rerun
#
# A fresh build with -j2 writes the first half of the files into the
# database and the second into a temporary shard, merged at the end
# (docs/indexing.md, "A run").  Whatever stops it, the database keeps whole
# batches of the first half and nothing half-merged, and a rerun
# converges to exactly the database of a clean run: the same documents,
# values and spelling dictionary, with no temporary database left behind.
. "$(dirname "$0")/lib.sh"

files=${T65_FILES:-3000}
gen_corpus corpus "$files" 65
printf 'index:\n  batch_size: 25\n' > cfg.yaml
idx() { "$BIN/dossier-index" -c cfg.yaml --no-progress "$@"; }

run idx -j1 -d clean.x corpus
check "clean -j1 run" eq "$rc" 0
check "... dumped" dumps clean.x clean

run idx -j2 -d j2.x corpus
check "-j2 fresh build" eq "$rc" 0
check "... adds every file" has "$out" "added $(thousands $files) documents from $(thousands $files) files, updated 0"
check "... dumped" dumps j2.x j2
check "... the same documents and values as -j1" same_file clean.dump j2.dump
check "... the same spelling dictionary" same_file clean.spell j2.spell
check "... xapian-check passes" xcheck j2.x
check "... no shard left" eq "$(ls -d j2.x.* 2>/dev/null)" ""

# The temporary databases sit next to the database, whatever way its path
# is written.
run idx -j2 -d slash.x/ corpus
check "-d DB/ (a trailing slash): the build succeeds" eq "$rc" 0
check "... and is merged" eq "$("$DBTOOL" count slash.x)" "$files"
check "... leaving nothing beside it or inside it" \
    eq "$(ls -d slash.x.* slash.x/.[a-z]* 2>/dev/null)" ""
mkdir dot.x
run sh -c "cd dot.x && '$BIN/dossier-index' -c ../cfg.yaml -j2 \
    --no-progress -d . ../corpus"
check "-d . from inside the database's directory: merged" \
    eq "$rc:$("$DBTOOL" count dot.x)" "0:$files"
check "... leaving nothing beside it" eq "$(ls -d dot.x.* 2>/dev/null)" ""

# A near-duplicate at the end (in the shard) of an article at the start
# (in the database itself): one word changed, so its SimHash differs from
# the original's by a few bits; it must get the original's collapse key
# after the merge, as with -j1.
gen_corpus small 40 7
mkdir small/zz
{ printf -- '---\ntitle: "A copy, retitled"\nsource: Elsewhere\n---\n\n'
  awk 'n >= 2; /^---$/ { n++ }' small/d00/a00001.md |
      awk '{ for (i = 1; i <= NF; i++) if (++c == 40) $i = "tallinn"; print }'
} > small/zz/copy.md
for j in 1 2; do
    run idx -j$j -q -d small$j.x small
    check "a near-duplicate: -j$j indexes" eq "$rc" 0
    check "... dumped" dumps small$j.x small$j
done
check "a near-duplicate in the shard: the same database as -j1" \
    same_file small1.dump small2.dump
run search -d small2.x --format json -n 50 --no-collapse ''
orig=$(printf '%s\n' "$out" | jq -r '.hits[] | select(.path | endswith("a00001.md")) | .docid')
copy=$(printf '%s\n' "$out" | jq -r '.hits[] | select(.path | endswith("copy.md")) | .docid')
sims=$(xapian-delve -V8 small2.x | tr ' ' '\n' | grep -E "^($orig|$copy):" |
    cut -d: -f2 | sort -u | wc -l)
check "... whose SimHash is not the original's" eq "$sims" 2
run search -d small2.x --format json -n 50 ''
check "... collapses with its original" \
    eq "$(printf '%s\n' "$out" | jq "[.hits[] | select(.docid == $orig or .docid == $copy)] | length")" 1

# -v names every file added, each once, the shard's after the first's.
run idx -j2 -v -d verbose.x corpus
check "-v names each file once, in order" \
    eq "$(printf '%s\n' "$err" | sed -n 's/^added //p' | sort -c && echo sorted)" sorted
check "... all of them" \
    eq "$(printf '%s\n' "$err" | grep -c '^added ')" "$files"

# Stopped by SIGINT or killed once the database holds a few batches (the
# shard is being written meanwhile), then rerun.  A run that finished
# before its signal is a trial all the same.
trial=0
for t in INT:25 KILL:25 KILL:200 INT:400 KILL:1000; do
    sig=${t%:*} after=${t#*:}
    trial=$((trial + 1))
    rm -rf s.x s.x.*
    "$BIN/dossier-index" -c cfg.yaml -j2 --no-progress -d s.x corpus \
        > s.out 2> s.err &
    pid=$!
    # At most 30 s: the run reaches AFTER documents or ends.
    tries=3000
    while kill -0 "$pid" 2>/dev/null &&
          [ "$("$DBTOOL" count s.x 2>/dev/null || echo 0)" -lt "$after" ] &&
          [ $tries -gt 0 ]; do
        sleep 0.01; tries=$((tries - 1))
    done
    check "trial $trial: $after documents or the end reached before the signal" \
        [ $tries -gt 0 ]
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    src=$?
    if [ "$sig" = INT ] && [ "$src" -eq 130 ]; then
        check "trial $trial: SIGINT leaves no shard behind" \
            eq "$(ls -d s.x.* 2>/dev/null)" ""
        check "trial $trial: ... and says what it committed" \
            has "$(cat s.err)" "interrupted by signal"
    fi
    check "trial $trial ($sig, exit $src): xapian-check passes" xcheck s.x
    have=$("$DBTOOL" count s.x)
    if [ "$src" -eq 130 ]; then
        # Stopped cleanly: everything it wrote into the database itself
        # is committed, the shard's files are not counted.
        check "trial $trial: holds the $have documents it says it added" \
            has "$(cat s.err)" "committed $have added"
    else
        check "trial $trial: whole batches ($have documents)" \
            [ $((have % 25)) -eq 0 -o "$have" -eq "$files" ]
    fi
    run idx -j2 -d s.x corpus
    check "trial $trial: rerun succeeds" eq "$rc" 0
    check "trial $trial: dumped" dumps s.x s
    check "trial $trial: rerun converges to the clean database" \
        same_file clean.dump s.dump
    check "trial $trial: ... and the clean spelling dictionary" \
        same_file clean.spell s.spell
    check "trial $trial: no temporary database left" \
        eq "$(ls -d s.x.* 2>/dev/null)" ""
done

# Xapian 1.4.22: on a database merged from shards, once an update is
# committed, a run with boolean weights over a term that every document
# holds fails ("Unexpected end of posting list"), and every exact count
# of such a word did.  The count is taken again with BM25 weights.  The
# collapse groups' stamp is made stale, so that the count goes the way a
# database from an older indexer or several databases go.
mkdir every
for i in $(seq 1 40); do
    printf -- '---\ntitle: Note %d\n---\neveryword w%d\n' "$i" "$i" \
        > "every/n$i.md"
done
run idx -j2 -d every.x every
check "every: a sharded build" eq "$rc|$(ls -d every.x.* 2>/dev/null)" "0|"
echo more >> every/n1.md
rm every/n2.md
printf -- '---\ntitle: New\n---\neveryword new\n' > every/new.md
run idx -j2 -d every.x every
check "every: an update" eq "$rc" 0
"$DBTOOL" set-meta every.x dossier.collapse_groups stale
run "$BIN/dossier-search" -d every.x -n 0 everyword
check "every: a word in every document counted exactly" \
    has "$rc|$out|$err" "0|40 results, none shown from 1 in "
check "... nothing on stderr" eq "$err" ""
run "$BIN/dossier-search" -d every.x -d every.x -n 0 everyword
check "every: ... over two databases too" \
    has "$rc|$out|$err" "0|40 results (80 with duplicates)"
check "... nothing on stderr" eq "$err" ""
finish
