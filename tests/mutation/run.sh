#!/bin/sh
# run.sh - mutation testing: put realistic bugs in, one at a time, and see
# that the tests catch each
#
# Usage: run.sh [LIST]  (default tests/mutation/mutations.txt; `make
# mutation-test` runs it).  The tree is copied to a scratch directory (the
# tracked files as they are in the checkout, committed or not; MUTATION_REV
# picks a revision instead), built there once, and the tests each mutation
# names are run there unmutated first: they must pass, or nothing could be
# learnt.  Then, for each mutation, its text is replaced in the copy, the
# copy is rebuilt, the tests run, and the file is restored.  The checkout is
# never written to, so an interrupted run leaves it as it was.
#
# Prints one table row per mutation: caught (and by which tests), SURVIVED,
# or ERROR when its text is not found exactly once or it does not build.
# Exits 0 only when every mutation was caught; 1 if any survived or was an
# error; 2 when the run could not start (no build, a baseline test failing).
#
# Knobs: MUTATION_JOBS (make -j, default 2), MUTATION_TIMEOUT (seconds per
# test, default 600), MUTATION_KEEP=1 keeps the scratch copy and logs,
# MUTATION_ONLY=NAME[,NAME...] runs only those mutations.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u

top=$(git rev-parse --show-toplevel 2>/dev/null) || {
    echo "mutation: not in a git checkout" >&2
    exit 2
}
list=${1:-$top/tests/mutation/mutations.txt}
[ -r "$list" ] || { echo "mutation: cannot read '$list'" >&2; exit 2; }
jobs=${MUTATION_JOBS:-2}
limit=${MUTATION_TIMEOUT:-600}
only=${MUTATION_ONLY:-}
start=$(date +%s)
# Under CI=true a skipped check fails its script, which would pass here
# for a catch.
unset CI

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dossier-mutation.XXXXXX") || exit 2
cleanup() {
    if [ "${MUTATION_KEEP:-}" = 1 ]; then
        echo "mutation: scratch copy and logs kept in $tmp" >&2
    else
        rm -rf "$tmp"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
src=$tmp/src
logs=$tmp/logs
mkdir -p "$src" "$logs"

# ---------------------------------------------------------------- the copy
# `git stash create` makes a commit of the checkout's tracked changes
# without touching the checkout, its index or its stashes; it prints
# nothing when there are none.
rev=${MUTATION_REV:-}
if [ -z "$rev" ]; then
    rev=$(cd "$top" && git stash create) || exit 2
    [ -n "$rev" ] || rev=HEAD
fi
(cd "$top" && git archive "$rev") | tar -x -C "$src" || {
    echo "mutation: cannot copy '$rev' to $src" >&2
    exit 2
}

build() {
    make -C "$src" -j"$jobs" build-tests < /dev/null > "$1" 2>&1
}

echo "mutation: building a scratch copy in $src"
if ! build "$logs/build-base.log"; then
    tail -n 30 "$logs/build-base.log" >&2
    echo "mutation: the unmutated tree does not build" >&2
    exit 2
fi

# run_test TEST LOG: runs one unit:SUITE or cli:NAME test on the copy;
# returns its status (124 on a timeout, 127 for an unknown test).
run_test() {
    case $1 in
    unit:*)
        CK_RUN_SUITE=${1#unit:} timeout "$limit" \
            "$src/build/check_dossier" < /dev/null > "$2" 2>&1
        ;;
    cli:*)
        _t=$src/tests/cli/${1#cli:}
        _t=${_t%.sh}.sh
        [ -f "$_t" ] || { echo "no such test: $_t" > "$2"; return 127; }
        BIN=$src EVAL_BIN=$src/build/dossier-eval DBTOOL=$src/build/dbtool \
            timeout "$limit" sh "$_t" < /dev/null > "$2" 2>&1
        ;;
    *)
        echo "unknown test '$1' (expected unit:SUITE or cli:NAME)" > "$2"
        return 127
        ;;
    esac
}

# ---------------------------------------------------------------- the list
# Each block becomes one line of fields separated by US (\037, which no
# source line holds; a tab would not do: read merges empty tab-separated
# fields): name, file, find, replace, tests, the line the block starts on,
# and what is wrong with it, if anything.
US=$(printf '\037')
parsed=$tmp/list
awk '
function flush() {
    if (name != "" || file != "" || find != "" || has_rep || tests != "")
        printf "%s\037%s\037%s\037%s\037%s\037%d\037%s\n", name, file,
            find, rep, tests,
            line0, (name == "" || file == "" || find == "" || !has_rep ||
                    tests == "") ? "incomplete" : ""
    name = file = find = rep = tests = ""; has_rep = 0
    split("", seen)
}
/^#/ { next }
/^[ \t]*$/ { flush(); next }
{
    key = $1
    val = $0
    sub(/^[ \t]*[^ \t]+[ \t]*/, "", val)
    if (name == "" && file == "" && find == "" && !has_rep && tests == "")
        line0 = NR
    if (key in seen && key != "mutation")
        printf "\037\037\037\037\037%d\037%s given twice\n", NR, key
    seen[key] = 1
    if (key == "mutation") {
        # A new block, even without the blank line before it.
        if (file != "" || find != "" || has_rep || tests != "") {
            flush(); line0 = NR
        }
        name = val
    }
    else if (key == "file") file = val
    else if (key == "find") find = val
    else if (key == "replace") { rep = val; has_rep = 1 }
    else if (key == "tests") tests = val
    else printf "\037\037\037\037\037%d\037unknown key %s\n", NR, key
}
END { flush() }
' "$list" > "$parsed"

# ---------------------------------------------------------------- baseline
# Every test the list names must pass on the unmutated copy; otherwise a
# failing test would count every mutation as caught.
all_tests=$(cut -d "$US" -f5 "$parsed" | tr ' ' '\n' | grep . | sort -u)
echo "mutation: baseline:" $all_tests
for t in $all_tests; do
    if ! run_test "$t" "$logs/base-$(echo "$t" | tr ':/' '--').log"; then
        grep -E '^not ok|^[^:]*:[0-9]+:[EF]:|^no such|^unknown' \
            "$logs/base-$(echo "$t" | tr ':/' '--').log" | head -n 10 >&2
        echo "mutation: test '$t' fails without any mutation" >&2
        exit 2
    fi
done

# ---------------------------------------------------------------- mutations
# apply FILE FIND REPLACE: replaces the one occurrence of FIND in FILE
# (awk index(): literal text); prints the count found when it is not 1.
apply() {
    FIND=$2 REPLACE=$3 OUTPUT=$1.mut awk '
    BEGIN { f = ENVIRON["FIND"]; r = ENVIRON["REPLACE"]; n = 0 }
    {
        out = ""; s = $0
        while ((i = index(s, f)) > 0) {
            out = out substr(s, 1, i - 1) r
            s = substr(s, i + length(f))
            n++
        }
        lines[NR] = out s
    }
    END {
        if (n != 1) { print n; exit 1 }
        for (k = 1; k <= NR; k++) print lines[k] > ENVIRON["OUTPUT"]
    }' "$1" && mv "$1.mut" "$1"
}

results=$tmp/results
: > "$results"
# row RESULT DETAIL: one line of the table for mutation $k.
row() {
    printf '%s\037%s\037%s\037%s\037%s\n' "$k" "$name" "$file" "$1" "$2" \
        >> "$results"
}
k=0
while IFS=$US read -r name file find rep tests line0 problem; do
    k=$((k + 1))
    if [ -n "$only" ]; then
        case ",$only," in *",$name,"*) ;; *) continue ;; esac
    fi
    if [ -n "$problem" ]; then
        echo "mutation $k (line $line0): $problem"
        row ERROR "$problem (line $line0)"
        continue
    fi
    echo "mutation $k: $name ($file)"
    f=$src/$file
    if [ ! -f "$f" ]; then
        echo "mutation $k: no file $file"
        row ERROR "no file $file"
        continue
    fi
    cp "$f" "$tmp/orig"
    if ! count=$(apply "$f" "$find" "$rep"); then
        rm -f "$f.mut"
        if [ "$count" = 0 ]; then
            echo "mutation $k: pattern not found in $file"
            row ERROR "pattern not found"
        else
            echo "mutation $k: pattern found $count times in $file"
            row ERROR "pattern found $count times"
        fi
        continue
    fi
    blog=$logs/build-$k-$name.log
    if ! build "$blog"; then
        echo "mutation $k: does not build (MUTATION_KEEP=1 keeps $blog)"
        grep -m 3 -E 'error' "$blog" | sed 's/^/    /'
        row ERROR "does not build"
        cat "$tmp/orig" > "$f"
        continue
    fi
    caught=
    for t in $tests; do
        tlog=$logs/test-$k-$name-$(echo "$t" | tr ':/' '--').log
        run_test "$t" "$tlog"
        trc=$?
        case $trc in
        0) ;;
        127) caught="$caught ERROR:$t" ;;
        124) caught="$caught $t(timeout)" ;;
        *)
            case $t in
            cli:*) nf=$(grep -c '^not ok' "$tlog")
                   caught="$caught ${t#cli:}($nf)" ;;
            *) caught="$caught $t" ;;
            esac
            # The first failed check says how it was caught.
            grep -m 1 -E '^not ok|:[EF]:' "$tlog" | sed 's/^/    /'
            ;;
        esac
    done
    caught=${caught# }
    case $caught in
    *ERROR:*) row ERROR "$caught" ;;
    "") row SURVIVED "-" ;;
    *) row caught "$caught" ;;
    esac
    # A plain write: a new mtime, so the next build compiles it again.
    cat "$tmp/orig" > "$f"
done < "$parsed"

# ---------------------------------------------------------------- the table
echo
printf '%-3s %-20s %-18s %-9s %s\n' N MUTATION FILE RESULT "CAUGHT BY"
while IFS=$US read -r k name file result by; do
    printf '%-3s %-20s %-18s %-9s %s\n' "$k" "$name" "$file" "$result" "$by"
done < "$results"
n_all=$(wc -l < "$results")
n_caught=$(grep -c "${US}caught${US}" "$results")
n_surv=$(grep -c "${US}SURVIVED${US}" "$results")
n_err=$(grep -c "${US}ERROR${US}" "$results")
echo
echo "$n_caught of $n_all caught, $n_surv survived, $n_err errors" \
    "in $(($(date +%s) - start)) s"
[ "$n_all" -gt 0 ] && [ "$n_caught" -eq "$n_all" ]
