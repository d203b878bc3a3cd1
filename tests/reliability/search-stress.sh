#!/bin/sh
# search-stress.sh - searches never fail while full builds run
#
# Usage: search-stress.sh BIN [SEARCHES [FILES [SECONDS [SEED]]]]
#   (make search-stress: STRESS_SEARCHES=50000 STRESS_FILES=600)
#
# Rounds of full builds of a generated corpus of FILES articles (batch
# size 20, so a commit every 20 files) run one after another, cycling
# through four kinds: a first build with -j1 and with -j2 (the database
# directory removed before, so every such round goes through its first
# creation), and a --full rebuild with -j1 and with -j2 over the database
# of the round before.  Every full build ends by swapping a compacted copy
# (or the merged shards) into the database's place.  During each round
# two searchers loop, each starting a search as soon as the database
# directory exists (DESIGN: searches never fail from the moment it
# appears) and until the indexer has exited, cycling through a browse
# counting every document, a phrase search with snippets and facets, and
# a histogram.  A search fails when it exits with 2 or more or writes
# anything to stderr; each failure is kept whole in failures.log (round,
# build, search, exit code, stderr, and what the database directory held
# just after), and the run ends when SEARCHES searches were run or
# SECONDS (0: no limit) went by, whichever comes first.
#
# Prints "# ..." progress lines and one summary line,
#   search-stress: N searches in R rounds (-j1: A, -j2: B), F failed
# then, on failure, the kept failures; exits 1 if any search failed or
# an indexer run did not succeed, 0 otherwise.  KEEP=DIR keeps the
# scratch directory (failures.log, the corpus) at DIR.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
BIN=$(cd "$1" && pwd)
SEARCHES=${2:-50000}
FILES=${3:-600}
SECONDS_MAX=${4:-0}
SEED=${5:-7}
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${KEEP:-}" ]; then
    mkdir -p "$KEEP" && T=$(cd "$KEEP" && pwd)
else
    T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-stress.XXXXXX")
    trap 'rm -rf "$T"' EXIT
fi
cd "$T" || exit 2
rm -rf db db.* corpus failures.log count.* stop
export NO_COLOR=1

sh "$here/gen-corpus.sh" corpus "$FILES" "$SEED" || exit 2
printf 'index:\n  batch_size: 20\n' > cfg.yaml
: > failures.log

# searcher ID ROUND WHAT: searches until the file "stop" appears, from
# the moment the directory db does; adds its count to count.ID.
searcher() {
    _id=$1 _round=$2 _what=$3 _k=0 _c=0
    while [ ! -d db ]; do
        [ -e stop ] && { echo 0 >> "count.$_id"; return; }
    done
    while [ ! -e stop ]; do
        _k=$(( (_k + 1) % 3 ))
        case $_k in
        0)  _kind=browse
            "$BIN/dossier-search" -d db --no-collapse --format json -n 0 '' \
                > "s$_id.out" 2> "s$_id.err" ;;
        1)  _kind=phrase
            "$BIN/dossier-search" -d db --format json -n 20 --facets \
                '"security guarantees"' > "s$_id.out" 2> "s$_id.err" ;;
        2)  _kind=histogram
            "$BIN/dossier-search" -d db --histogram year nato \
                > "s$_id.out" 2> "s$_id.err" ;;
        esac
        _rc=$?
        _c=$((_c + 1))
        if [ "$_rc" -gt 1 ] || [ -s "s$_id.err" ]; then
            # One write, so that the two searchers' reports never mix.
            _rep=$(
                printf 'round %s (%s), searcher %s, search %s (%s): exit %s\n' \
                    "$_round" "$_what" "$_id" "$_c" "$_kind" "$_rc"
                sed 's/^/  stderr: /' "s$_id.err"
                printf '  db then: %s\n' "$(ls db 2>&1 | tr '\n' ' ')"
                printf '  next to it: %s\n' \
                    "$(ls -d db.* 2>/dev/null | tr '\n' ' ')"
            )
            printf '%s\n' "$_rep" >> failures.log
        fi
    done
    echo "$_c" >> "count.$_id"
}

total() { cat count.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }

start=$(date +%s)
round=0 j1=0 j2=0 badindex=0
while :; do
    done_so_far=$(total)
    [ "$done_so_far" -ge "$SEARCHES" ] && break
    if [ "$SECONDS_MAX" -gt 0 ] &&
       [ $(( $(date +%s) - start )) -ge "$SECONDS_MAX" ]; then
        break
    fi
    round=$((round + 1))
    case $((round % 4)) in
    1) jobs=1 fresh=1 ;;
    2) jobs=2 fresh=1 ;;
    3) jobs=1 fresh=0 ;;
    0) jobs=2 fresh=0 ;;
    esac
    if [ "$fresh" = 1 ] || [ ! -d db ]; then
        rm -rf db
        what="first build -j$jobs"
        full=
    else
        what="--full -j$jobs"
        full=--full
    fi
    [ "$jobs" = 1 ] && j1=$((j1 + 1)) || j2=$((j2 + 1))
    rm -f stop
    searcher 1 "$round" "$what" &
    s1=$!
    searcher 2 "$round" "$what" &
    s2=$!
    # shellcheck disable=SC2086
    "$BIN/dossier-index" -d db -c cfg.yaml -j"$jobs" $full --no-progress \
        corpus > index.out 2> index.err
    irc=$?
    touch stop
    wait "$s1" "$s2"
    if [ "$irc" -ne 0 ]; then
        badindex=$((badindex + 1))
        echo "# round $round ($what): dossier-index exited $irc: $(head -c 300 index.err)"
    fi
    if [ $((round % 10)) -eq 0 ]; then
        echo "# round $round: $(total) searches, $(grep -c '^round' failures.log) failed"
    fi
done

searches=$(total)
nfail=$(grep -c '^round' failures.log)
echo "search-stress: $searches searches in $round rounds (-j1: $j1, -j2: $j2), $nfail failed"
if [ "$badindex" -gt 0 ]; then
    echo "search-stress: $badindex indexer runs failed"
fi
if [ "$nfail" -gt 0 ]; then
    sed 's/^/# /' failures.log | head -n 200
    exit 1
fi
[ "$badindex" -eq 0 ]
