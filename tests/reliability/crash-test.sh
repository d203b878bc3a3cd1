#!/bin/sh
# crash-test.sh - kill -9 dossier-index at random moments; nothing is lost
#
# Usage: crash-test.sh BIN DBTOOL [TRIALS [SEED [FILES]]]
#   (make crash-test: CRASH_TRIALS=24 CRASH_SEED=1 CRASH_FILES=3000)
#
# A corpus of FILES small articles (gen-corpus.sh, deterministic) is indexed
# once cleanly with index.batch_size 50, and its database dumped (every
# document's stored data and value slots, sorted: tests/tools/dbtool.c).
# Then TRIALS times: dossier-index -v -j1 runs on the same corpus and is
# sent SIGKILL after a random delay (from an awk generator seeded with
# SEED, so a failing trial can be replayed), and afterwards
#   - xapian-check passes on the database and dbtool opens it, with no
#     unique id held by two documents;
#   - every document present before the trial is still there, unchanged;
#   - the documents the trial added are among those it named ("added
#     PATH"), and they are whole batches: a multiple of the batch size, or
#     every file it named (a kill after the last commit).  With commits
#     every 50 documents this is "no committed document lost" and "no
#     uncommitted document visible" (a kill during a commit may lose
#     the batch being committed, never an earlier one);
# and every fourth trial a rerun without a kill must converge to exactly
# the clean database (the dumps are compared byte for byte), after which
# the next trial starts from no database at all.
#
# Prints TAP-like "ok N"/"not ok N" lines and a summary; exits 1 on any
# failure.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
BIN=$(cd "$1" && pwd)
DBTOOL=$2
TRIALS=${3:-24}
SEED=${4:-1}
FILES=${5:-3000}
BATCH=50
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-crash.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
    shift
    for l in "$@"; do printf '#   %s\n' "$l"; done
}
# The paths of a dump, one per line, sorted.
paths_of() { sed -n 's/^{"path":"\([^"]*\)".*/\1/p' "$1" | sort; }

printf 'index:\n  batch_size: %d\n' "$BATCH" > "$T/cfg.yaml"
sh "$here/gen-corpus.sh" "$T/corpus" "$FILES" "$SEED"
# The sample corpus's PDF, DOCX and ODT reports, four copies each, so that
# kills also land while a sandboxed parser child is at work (issue 14).
mkdir -p "$T/corpus/reports"
for k in 1 2 3 4; do
    for f in "$here"/../../corpus/reports/*; do
        cp "$f" "$T/corpus/reports/$k-$(basename "$f")"
    done
done
idx() { "$BIN/dossier-index" -c "$T/cfg.yaml" -j1 --no-progress "$@"; }

t0=$(date +%s%N)
idx -d "$T/clean.db" "$T/corpus" > "$T/clean.out" 2>&1 ||
    { cat "$T/clean.out"; echo "not ok - clean run failed"; exit 1; }
t1=$(date +%s%N)
clean_ms=$(( (t1 - t0) / 1000000 ))
"$DBTOOL" dump "$T/clean.db" > "$T/clean.dump" ||
    { echo "not ok - cannot dump the clean database"; exit 1; }
echo "# corpus: $FILES files, batch $BATCH, clean run ${clean_ms} ms," \
    "seed $SEED, $TRIALS trials"

db="$T/crash.db"
: > "$T/before.dump"
kills=0 killed_mid=0 finished=0 converged=0
for i in $(seq 1 "$TRIALS"); do
    # A delay in [0, 0.6 x the clean run], from the seeded generator.
    delay=$(awk -v s="$SEED" -v i="$i" -v ms="$clean_ms" \
        'BEGIN { srand(s * 1000 + i); printf "%.3f", rand() * ms * 0.6 / 1000 }')
    # Started directly (not through a function or subshell), so that $!
    # is the indexer itself and the kill reaches it.
    "$BIN/dossier-index" -c "$T/cfg.yaml" -j1 --no-progress -v -d "$db" \
        "$T/corpus" > "$T/run.out" 2> "$T/run.err" &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    # A kill counts when the indexer died of it (128 + 9), not when kill
    # merely reached a process that was already exiting.
    if [ "$rc" -eq 137 ]; then
        kills=$((kills + 1)); how="killed after ${delay}s"
        [ -e "$db/iamglass" ] && killed_mid=$((killed_mid + 1))
    else
        finished=$((finished + 1)); how="finished before ${delay}s, rc $rc"
    fi

    if [ ! -e "$db/iamglass" ]; then
        # Killed before Xapian created the database: nothing to check but
        # that a rerun copes with whatever directory was left.
        ok "trial $i ($how): no database yet"
        : > "$T/before.dump"
    else
        if xapian-check "$db" > "$T/check.out" 2>&1; then
            ok "trial $i ($how): xapian-check passes"
        else
            notok "trial $i ($how): xapian-check passes" \
                "$(tail -n 5 "$T/check.out")"
        fi
        if "$DBTOOL" dump "$db" > "$T/after.dump" 2> "$T/dump.err"; then
            ok "trial $i: database opens, no duplicate ids"
        else
            notok "trial $i: database opens, no duplicate ids" \
                "$(cat "$T/dump.err")" "$(grep DUPLICATE "$T/after.dump")"
        fi
        # Earlier documents survive unchanged: before is a subset of after.
        lost=$(sort "$T/before.dump" | comm -23 - "$(sort "$T/after.dump" \
            > "$T/after.sorted"; echo "$T/after.sorted")" | wc -l)
        if [ "$lost" -eq 0 ]; then
            ok "trial $i: every document committed earlier is present"
        else
            notok "trial $i: every document committed earlier is present" \
                "$lost documents lost or changed"
        fi
        # What this run added: named by it, and whole batches.
        sed -n 's/^added //p' "$T/run.err" | sort > "$T/named"
        paths_of "$T/before.dump" > "$T/pb"
        paths_of "$T/after.dump" > "$T/pa"
        comm -13 "$T/pb" "$T/pa" > "$T/new"
        n_new=$(wc -l < "$T/new")
        n_named=$(wc -l < "$T/named")
        unnamed=$(comm -23 "$T/new" "$T/named" | wc -l)
        if [ "$unnamed" -eq 0 ] &&
           { [ $((n_new % BATCH)) -eq 0 ] || [ "$n_new" -eq "$n_named" ]; } &&
           [ $((n_named - n_new)) -le "$BATCH" ]; then
            ok "trial $i: $n_new new documents of $n_named named, whole batches"
        else
            notok "trial $i: new documents are whole committed batches" \
                "new $n_new, named $n_named, unnamed $unnamed, rc $rc"
        fi
        cp "$T/after.dump" "$T/before.dump"
    fi

    if [ $((i % 4)) -eq 0 ] || [ "$i" -eq "$TRIALS" ]; then
        idx -d "$db" "$T/corpus" > "$T/rerun.out" 2>&1
        rc=$?
        "$DBTOOL" dump "$db" > "$T/final.dump" 2>&1
        if [ "$rc" -eq 0 ] && cmp -s "$T/final.dump" "$T/clean.dump" &&
           xapian-check "$db" > /dev/null 2>&1; then
            converged=$((converged + 1))
            ok "trial $i: rerun converges to the clean database"
        else
            notok "trial $i: rerun converges to the clean database" \
                "rc $rc: $(cat "$T/rerun.out")" \
                "$(diff "$T/clean.dump" "$T/final.dump" | head -n 4 | cut -c1-200)"
        fi
        rm -rf "$db"
        : > "$T/before.dump"
    fi
done
echo "# $kills kills ($killed_mid with a database to check)," \
    "$finished runs finished before their kill, $converged reruns converged"
# A run where every indexer finished before its kill checked nothing about
# crashes: at least one kill must have landed on a database being written.
if [ "$killed_mid" -gt 0 ]; then
    ok "at least one indexer was killed while writing ($killed_mid)"
else
    notok "at least one indexer was killed while writing" \
        "$kills kills, none after the database existed: delays too short or corpus too small"
fi
echo "$((n - failed)) passed, $failed failed, 0 skipped"
[ "$failed" -eq 0 ]
