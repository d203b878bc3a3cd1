#!/bin/sh
# bench/serve.sh - dossier-serve's /api/search under 16 clients (make
# bench-serve)
#
# Indexes the generated corpus of N articles, then runs its query mix
# with bench/httpload: 16 concurrent clients over loopback against
# dossier-serve (started with as many worker threads), and 16 threads
# doing the same work (search_run() with the JSON printer) in one
# process; then one client each way, which isolates what HTTP adds.
# Prints p50 and p99 of each, the ratios (the bar is 1.5), and the
# server's resident memory (VmRSS after the run, VmHWM its peak); one
# Markdown table, also appended to bench/RESULTS.md.
# Usage: sh bench/serve.sh BUILD N SEED
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=${1:-build}
n=${2:-2000}
seed=${3:-1}
bdir=$build/bench
clients=${CLIENTS:-16}
rounds=${ROUNDS:-3}
say() { echo "bench: $*" >&2; }
. "$(dirname "$0")/lib.sh"

corpus=$(generated_corpus "$bdir" "$n" "$seed")
queries=$corpus/queries.tsv
db=$bdir/serve-$n-$seed.db
if [ ! -f "$db/iamglass" ]; then
    say "indexing $n articles"
    rm -rf "$db"
    ./dossier-index -d "$db" --no-progress -q "$corpus" || [ $? -eq 1 ]
fi

say "in process: $clients threads, $rounds rounds of $(wc -l < "$queries") queries"
set -- $("$bdir/httpload" -c "$clients" -r "$rounds" inproc "$db" "$queries")
in_n=$2 in_p50=$3 in_p99=$4 in_qps=$6 in_mean=$7
say "in process: 1 thread"
set -- $("$bdir/httpload" -c 1 -r "$rounds" inproc "$db" "$queries")
in1_n=$2 in1_p50=$3 in1_p99=$4 in1_qps=$6 in1_mean=$7

./dossier-serve -d "$db" --listen 127.0.0.1:0 --threads "$clients" \
    > "$bdir/serve.out" \
    2> "$bdir/serve.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
i=0
while ! grep -q '^dossier-serve: serving' "$bdir/serve.out" && [ $i -lt 100 ]
do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$bdir/serve.out")
[ -n "$port" ] || { say "dossier-serve did not start"; exit 2; }
say "over http: $clients clients on 127.0.0.1:$port"
set -- $("$bdir/httpload" -c "$clients" -r "$rounds" http "127.0.0.1:$port" \
         "$queries")
h_n=$2 h_p50=$3 h_p99=$4 h_qps=$6 h_mean=$7
say "over http: 1 client"
set -- $("$bdir/httpload" -c 1 -r "$rounds" http "127.0.0.1:$port" \
         "$queries")
h1_n=$2 h1_p50=$3 h1_p99=$4 h1_qps=$6 h1_mean=$7
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status")
kill -TERM "$pid"; wait "$pid" || true
trap - EXIT

r50=$(f %.2f "$h_p50 / $in_p50")
r99=$(f %.2f "$h_p99 / $in_p99")
r1_50=$(f %.2f "$h1_p50 / $in1_p50")
r1_99=$(f %.2f "$h1_p99 / $in1_p99")
load=$(cut -d' ' -f1-3 /proc/loadavg)
table="
### dossier-serve, $(date -u +%Y-%m-%d) (N=$n, seed $seed, $clients clients, load $load)

| | requests | p50 ms | p99 ms | mean ms | queries/s |
|---|---:|---:|---:|---:|---:|
| in process (search_run + JSON), $clients threads | $in_n | $in_p50 | $in_p99 | $in_mean | $in_qps |
| /api/search over loopback, $clients clients | $h_n | $h_p50 | $h_p99 | $h_mean | $h_qps |
| ratio, $clients clients (bar 1.5) | | $r50 | $r99 | $(f %.2f "$h_mean / $in_mean") | |
| in process, 1 thread | $in1_n | $in1_p50 | $in1_p99 | $in1_mean | $in1_qps |
| /api/search, 1 client | $h1_n | $h1_p50 | $h1_p99 | $h1_mean | $h1_qps |
| ratio, 1 client (bar 1.5) | | $r1_50 | $r1_99 | $(f %.2f "$h1_mean / $in1_mean") | |

dossier-serve RSS after the run: $((rss / 1024)) MB (peak $((hwm / 1024)) MB)
"
printf '%s\n' "$table"
printf '%s\n' "$table" >> bench/RESULTS.md
