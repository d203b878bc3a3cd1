# lib.sh - helpers for the CLI tests (sourced by each t*.sh)
#
# Each check prints "ok N - NAME" or "not ok N - NAME" with the evidence;
# run.sh counts them.  Tests run the built programs from $BIN on
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
# xcheck DB: xapian-check finds no error in DB.
xcheck() { xapian-check "$1" > "$T/.xcheck" 2>&1; }
json_ok() { printf '%s' "$out" | jq -e . >/dev/null; }

finish() { exit $((failed > 0)); }
