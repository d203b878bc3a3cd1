#!/bin/sh
# t50-shards.sh - several databases searched as one, locally and over
# xapian-tcpsrv, against one database holding every document
. "$(dirname "$0")/lib.sh"

CORPUS=$(cd "$FIX/../../corpus" && pwd)
CFG="$FIX/search/search.yaml"
mkdir -p part1 part2
cp -r "$CORPUS/articles" part1/
for d in notes posts syndicated web; do cp -r "$CORPUS/$d" part2/; done
# Two identical copies of one article, one in each shard: collapse must
# work across shards.
cp "$FIX/search/docs/summit-syndicated-a.md" part1/
cp "$FIX/search/docs/summit-syndicated-b.md" part2/
run index -d one -c "$CFG" --no-progress part1 part2
check "single database indexes" eq "$rc" 0
run index -d shard1 -c "$CFG" --no-progress part1
check "shard 1 indexes" eq "$rc" 0
run index -d shard2 -c "$CFG" --no-progress part2
check "shard 2 indexes" eq "$rc" 0

# The servers: started here, stopped on exit whatever happens.
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
# serve DB: starts xapian-tcpsrv on a free loopback port; sets $port.
serve() {
    for try in 1 2 3 4 5 6 7 8 9 10; do
        port=$(( 20000 + ($$ * 7 + try * 131 + 1$(date +%N | cut -c1-4)) % 40000 ))
        # In a session of its own: on SIGTERM the server signals its
        # process group, which must not be this test's.
        setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet \
            "$1" > /dev/null 2>&1 &
        pid=$!
        i=0
        while [ $i -lt 50 ]; do
            if ! kill -0 "$pid" 2>/dev/null; then break; fi
            if search -d "tcp://127.0.0.1:$port" --stats > /dev/null 2>&1
            then
                pids="$pids $pid"
                return 0
            fi
            sleep 0.1
            i=$((i + 1))
        done
        kill "$pid" 2>/dev/null
    done
    return 1
}
if ! command -v xapian-tcpsrv > /dev/null 2>&1; then
    skip "remote shards" "xapian-tcpsrv not installed"
    finish
fi
port1=; port2=; port_one=
serve shard1 && port1=$port && pid1=$pid
serve shard2 && port2=$port && pid2=$pid
serve one && port_one=$port
check "server for shard 1 listens" [ -n "$port1" ]
check "server for shard 2 listens" [ -n "$port2" ]
check "server for the single database listens" [ -n "$port_one" ]
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$port1" "$port2" \
    > remote.stub
printf 'auto %s/shard1\nauto %s/shard2\n' "$T" "$T" > local.stub

# view DB... ARGS...: what must agree: total, the hits (path, rounded
# score, duplicates; ties in score listed by path, since Xapian breaks
# them by document id, which differs between layouts) and the months.
# A failed search prints nothing and fails the next same() (jsearch).
view() {
    jsearch -c "$CFG" -n 20 "$@" | jq -c '
        [.total, .total_exact,
         ([.hits[] | {p: .path, s: (.score * 1e6 | round), d: .duplicates}]
          | group_by(-.s) | map(sort_by(.p)) | flatten),
         .facets.months, .suggestion]'
}
authors() {
    jsearch -c "$CFG" -n 0 --facets "$@" |
        jq -c '.facets.authors | sort_by(.value)'
}

for q in '"security guarantees"' 'nato summit' 'kiev' 'Zelenskyy' \
         'air defence' 'author:kowalczyk' 'article 5' \
         '"north atlantic treaty organization"' 'vilnius'; do
    # Near-duplicates (not byte-identical bodies) may be grouped by the
    # indexer per database, so the comparison runs without collapsing;
    # identical copies are checked with collapsing below.
    for filt in "--no-collapse" "--no-collapse --since 2020" \
                "--no-collapse --until 2019 --sort oldest" \
                "--no-collapse --any"; do
        # shellcheck disable=SC2086
        want=$(view -d one $filt --facets "$q")
        # shellcheck disable=SC2086
        got=$(view -d shard1 -d shard2 $filt --facets "$q")
        same "local shards = one database: $q $filt" "$got" "$want"
        # Known gap: --sort oldest fails on remote databases (pinned
        # below), so the remote side is compared without the sort.
        case $filt in *"--sort oldest"*) filt="--no-collapse --until 2019" ;; esac
        # shellcheck disable=SC2086
        want=$(view -d "tcp://127.0.0.1:$port_one" $filt --facets "$q")
        # shellcheck disable=SC2086
        got=$(view -d remote.stub $filt --facets "$q")
        same "remote shards = one remote database: $q $filt" \
            "$got" "$want"
    done
    same "local stub = one database: $q" \
        "$(view -d local.stub --no-collapse "$q")" \
           "$(view -d one --no-collapse "$q")"
    same "author facet over remote shards: $q" \
        "$(authors -d remote.stub "$q")" \
        "$(authors -d "tcp://127.0.0.1:$port_one" "$q")"
done
# Xapian expands a wildcard shard by shard, so its weights (not its
# matches) differ from one database's.
matches() {
    jsearch -c "$CFG" -n 1000 --no-collapse "$@" |
        jq -c '[.total, ([.hits[].path] | sort)]'
}
same "wildcard: same matches on shards" \
    "$(matches -d remote.stub 'guarant*')" "$(matches -d one 'guarant*')"

# Which of two equal copies stands for both is a tie, broken by document
# id: compare what was found, not which path shows it.
collapsed() {
    jsearch -c "$CFG" "$@" |
        jq -c '[.total, [.hits[] | [(.score * 1e6 | round), .duplicates]]]'
}
for q in "communique invitation" "vilnius door ajar"; do
    same "collapse across local shards: $q" \
        "$(collapsed -d shard1 -d shard2 "$q")" "$(collapsed -d one "$q")"
    same "collapse across remote shards: $q" \
        "$(collapsed -d remote.stub "$q")" "$(collapsed -d one "$q")"
done
same "collapse across shards: one hit, one duplicate" \
    "$(jsearch -d remote.stub 'vilnius door ajar' | jq -c '[.hits[].duplicates]')" "[1]"
same "synonyms over remote shards" \
    "$(view -d remote.stub --no-collapse kiev)" \
       "$(view -d one --no-collapse kiev)"
# Totals are exact, so they compare with the same shards searched
# locally (near-duplicates in different shards can carry different
# collapse keys, so one combined database may collapse more).
same "browse over remote shards: totals" \
    "$(jsearch -d remote.stub '' | jq -c '[.total, .total_exact]')" \
    "$(jsearch -d local.stub '' | jq -c '[.total, .total_exact]')"
same "snippets over remote shards" \
    "$(jsearch -d remote.stub -n 3 'security guarantees' | jq -c '[.hits[].snippet]')" \
    "$(jsearch -d one -n 3 'security guarantees' | jq -c '[.hits[].snippet]')"

# Known gap (product): --sort oldest sorts with a Xapian KeyMaker (undated
# last), which the remote backend refuses.  Pinned here so that the day it
# works this check says so and the comparisons above take the sort back.
run search -d remote.stub --sort oldest --format json nato
check "known gap: --sort oldest on remote shards exits 2" eq "$rc" 2
check "known gap: ... with one line naming the cause" \
    eq "$err" "dossier-search: Xapian::KeyMaker not supported for the remote backend"

# One shard down.
kill "$pid2"
wait "$pid2" 2>/dev/null
run search -d "tcp://127.0.0.1:$port1" -d "tcp://127.0.0.1:$port2" nato
check "shard down: exit 2" eq "$rc" 2
check "shard down: one line" eq "$(printf '%s\n' "$err" | grep -c .)" 1
check "shard down: names it" has "$err" "dossier-search: tcp://127.0.0.1:$port2: "
check "shard down: no results printed" eq "$out" ""
run search -d "tcp://127.0.0.1:$port1" -d "tcp://127.0.0.1:$port2" \
    --allow-partial --format json nato
check "--allow-partial: exit 0" eq "$rc" 0
check "--allow-partial: warning names the shard" \
    has "$err" "dossier-search: warning: tcp://127.0.0.1:$port2: "
check "--allow-partial: says how many were searched" \
    has "$err" "dossier-search: warning: searching 1 of 2 databases"
check "--allow-partial: the other shard's results" \
    eq "$(printf '%s\n' "$out" | jq .total)" \
       "$(jsearch -d shard1 nato | jq .total)"
check "--allow-partial: a numeric total" \
    eq "$(printf '%s\n' "$out" | jq '.total | type')" '"number"'

# A dead shard inside a stub file: dossier reads the stub itself, so the
# shard is named by its address and --allow-partial skips it.
run search -d remote.stub nato
check "stub, shard down: exit 2" eq "$rc" 2
check "stub, shard down: one line naming the shard's address" \
    eq "$err" "dossier-search: 127.0.0.1:$port2: connection refused"
check "stub, shard down: no results printed" eq "$out" ""
run search -d remote.stub --allow-partial --format json nato
check "stub, --allow-partial: exit 0" eq "$rc" 0
check "stub, --allow-partial: the warnings name the shard and the count" \
    eq "$err" "dossier-search: warning: 127.0.0.1:$port2: connection refused
dossier-search: warning: searching 1 of 2 databases"
check "stub, --allow-partial: the other shard's results" \
    eq "$(printf '%s\n' "$out" | jq .total)" \
       "$(jsearch -d shard1 nato | jq .total)"
# A local shard listed in a stub that is not there: named by its path,
# relative to the stub's directory; skipped like a remote one.
mkdir stubs
printf '# two shards, one missing\nauto ../shard1\n\nglass ../gone\n' \
    > stubs/local.stub
run search -d stubs/local.stub nato
check "stub, missing local shard: named by its resolved path" \
    eq "$err" "dossier-search: stubs/../gone: no database here"
run search -d stubs/local.stub --allow-partial -n 0 nato
check "stub, missing local shard: skipped with --allow-partial" \
    eq "$rc:$err" "0:dossier-search: warning: stubs/../gone: no database here
dossier-search: warning: searching 1 of 2 databases"
# A line that is not a database is the user's mistake: an error naming
# FILE:LINE, which --allow-partial does not skip.
printf 'auto shard1\nremote 127.0.0.1\n' > bad.stub
run search -d bad.stub --allow-partial nato
check "stub, malformed line: exit 2" eq "$rc" 2
check "stub, malformed line: one line naming FILE:LINE" \
    eq "$err" "dossier-search: bad.stub:2: '127.0.0.1': expected HOST:PORT"
# Every shard down: each named, then one error.
run search -d remote.stub -d "tcp://127.0.0.1:$port2" -d stubs/missing \
    --allow-partial nato
check "three of four shards down: exit 0" eq "$rc" 0
check "... each of the three named" \
    eq "$(printf '%s\n' "$err" | grep -c 'warning: .*: ')" 3
check "... searching 1 of 4" has "$err" "searching 1 of 4 databases"
printf 'remote 127.0.0.1:%s\n' "$port2" > dead.stub
run search -d dead.stub -d "tcp://127.0.0.1:$port2" --allow-partial nato
check "every shard down: exit 2" eq "$rc" 2
check "every shard down: each named, then why nothing was searched" \
    eq "$err" "dossier-search: warning: 127.0.0.1:$port2: connection refused
dossier-search: warning: tcp://127.0.0.1:$port2: connection refused
dossier-search: none of the 2 databases could be opened"
finish
