# lib.sh - helpers for the CLI tests (sourced by each t*.sh)
#
# Each check prints "ok N - NAME" or "not ok N - NAME" with the evidence,
# a skipped one "ok N - NAME # SKIP REASON" (TAP); run-all.sh counts them.
# Under CI=true, where .ci/run installs every tool, a skip is a failure.  Tests run the built programs from $BIN on
# tests/fixtures and a scratch directory $T, never on ../shared.
#
# SPDX-License-Identifier: GPL-2.0-or-later

: "${BIN:?BIN must name the directory holding the programs}"
# The shim-based database helper (tests/tools/dbtool.c), built by make.
: "${DBTOOL:=$BIN/../build/dbtool}"
FIX=$(cd "$(dirname "$0")/../fixtures" && pwd)
TESTS=$(cd "$(dirname "$0")/.." && pwd)
# gen_corpus DIR N SEED: a deterministic corpus of small articles.
gen_corpus() { sh "$TESTS/reliability/gen-corpus.sh" "$@"; }
T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
n=0
failed=0
export NO_COLOR=1
unset XDG_CONFIG_HOME
export HOME="$T/home"
mkdir -p "$HOME"
cd "$T" || exit 2

index() { "$BIN/dossier-index" "$@"; }
search() { "$BIN/dossier-search" "$@"; }

# run CMD...: runs it, keeping stdout in $out, stderr in $err, status $rc.
run() {
    "$@" > "$T/.out" 2> "$T/.err"
    rc=$?
    out=$(cat "$T/.out")
    err=$(cat "$T/.err")
}

pass() { n=$((n + 1)); echo "ok $n - $1"; }
# skip NAME REASON: a check that could not run here; fails under CI=true.
skip() {
    if [ "${CI:-}" = true ]; then
        fail "$1" "skipped under CI=true, where every tool is installed: $2"
    else
        n=$((n + 1)); echo "ok $n - $1 # SKIP $2"
    fi
}
fail() {
    n=$((n + 1)); failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for line in "$@"; do printf '#   %s\n' "$line"; done
    printf '#   rc=%s\n#   stdout: %s\n#   stderr: %s\n' "$rc" "$out" "$err" |
        head -n 40
}

# check NAME CONDITION...: passes when the shell test CONDITION holds.
check() {
    _check_name=$1; shift
    if "$@"; then pass "$_check_name"; else fail "$_check_name" "failed: $*"; fi
}
has() { case "$1" in *"$2"*) return 0 ;; esac; return 1; }
hasnt() { ! has "$1" "$2"; }
eq() { [ "$1" = "$2" ]; }
# 18111 -> 18,111, as the indexer's summary writes counts.
thousands() { printf '%s\n' "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
# xcheck DB: xapian-check finds no error in DB.
xcheck() { xapian-check "$1" > "$T/.xcheck" 2>&1; }
json_ok() { printf '%s' "$out" | jq -e . >/dev/null; }
# no_hits: the last run exited 1 (nothing found) and said nothing on
# stderr: a sanitizer report or a crash message is not "no hits".
no_hits() { [ "$rc" -eq 1 ] && [ -z "$err" ]; }
# tolerated: the last run exited 0 or 1 with an empty stderr (not 2, and
# not a signal or a sanitizer's exit code).
tolerated() { { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } && [ -z "$err" ]; }
# skipped_files: the indexer's exit 1 (some files skipped): every line
# of stderr is one of its own, "dossier-index: PATH: REASON".
skipped_files() {
    [ "$rc" -eq 1 ] && [ -n "$err" ] &&
        ! printf '%s\n' "$err" | grep -qv '^dossier-index: '
}

# jsearch ARGS...: prints dossier-search --format json ARGS.  Unless the
# search exited 0 with an empty stderr and gave JSON with a numeric
# .total (or exited 1, no hits, with .total 0), prints nothing and notes
# why in $T/.jfail, which same() reads: a comparison of two failed
# searches ("" = "") must not pass.
jsearch() {
    search --format json "$@" > "$T/.js" 2> "$T/.jserr"
    _jrc=$?
    case $_jrc in
    0) _jwant='.total | type == "number"' ;;
    1) _jwant='.total == 0' ;;
    *) _jwant=false ;;
    esac
    if [ ! -s "$T/.jserr" ] &&
       jq -e "$_jwant" "$T/.js" > /dev/null 2>&1; then
        cat "$T/.js"
        return 0
    fi
    printf 'search %s: exit %s, stderr: %s\n' "$*" "$_jrc" \
        "$(head -c 300 "$T/.jserr")" >> "$T/.jfail"
    return 1
}
# same NAME GOT WANT: GOT = WANT, both non-empty, and every jsearch since
# the last same() succeeded.
same() {
    if [ -s "$T/.jfail" ]; then
        fail "$1" "a search failed:" "$(cat "$T/.jfail")"
    elif [ -z "$2" ] || [ -z "$3" ]; then
        fail "$1" "empty result" "got:  $2" "want: $3"
    elif [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "got:  $2" "want: $3"
    fi
    : > "$T/.jfail"
}
# same_file A B: A and B hold the same bytes, and are not empty (a dump
# tool that failed on both sides leaves two equal empty files).
same_file() { [ -s "$1" ] && [ -s "$2" ] && cmp -s "$1" "$2"; }
# dumps DB NAME: "$DBTOOL" dumps DB's documents and values into NAME.dump,
# its spelling dictionary into NAME.spell; fails unless both succeed.
dumps() {
    "$DBTOOL" dump "$1" > "$2.dump" && [ -s "$2.dump" ] &&
        "$DBTOOL" spelling "$1" > "$2.spell" && [ -s "$2.spell" ]
}
# poll TRIES CONDITION...: runs CONDITION every 0.05 s until it holds, at
# most TRIES times; fails (status 1) when it never did.
poll() {
    _ptries=$1; shift
    while [ "$_ptries" -gt 0 ]; do
        if "$@"; then return 0; fi
        sleep 0.05
        _ptries=$((_ptries - 1))
    done
    return 1
}

finish() { exit $((failed > 0)); }
