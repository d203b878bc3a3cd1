#!/bin/sh
# bench/serve.sh - dossier-serve's /api/search against the same work in
# process, with 1 and 16 clients (make bench-serve)
#
# Indexes the generated corpus of N articles, then runs its query mix
# with bench/httpload: over loopback against dossier-serve (started with
# as many worker threads as clients), and in one process through the
# same code (search_run() with the JSON printer), each way with 1 client
# and with 16.  In process at 16 there are two rows: 16 threads each
# searching, and 16 clients handing their queries to 16 worker threads
# (the server's shape without sockets and HTTP).  With 16 clients on 2
# cores every latency is mostly queueing (Little's law: mean = clients /
# throughput), and its spread depends on how the threads are scheduled:
# threads that never block run many queries per time slice (a low
# median, a long tail), threads woken for each request queue evenly.  So
# the table also gives what does not depend on it: the means, the
# throughputs and the CPU time per query (in process: the process's;
# over HTTP: the server's alone).  Ratios are HTTP / in process; the bar
# is 1.5.  Also the server's resident memory after each HTTP run.  One
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

nq=$(wc -l < "$queries")
# load ARGS...: one httpload run; sets N P50 P99 QPS MEAN CPU (prefixed
# by the caller through eval).
load() {
    _p=$1; shift
    set -- $("$bdir/httpload" -r "$rounds" "$@")
    [ $# -ge 8 ] || { say "httpload failed"; exit 2; }
    eval "${_p}_n=\$2 ${_p}_p50=\$3 ${_p}_p99=\$4 ${_p}_qps=\$6 \
          ${_p}_mean=\$7 ${_p}_cpu=\$8"
}
say "in process: $clients threads, $rounds rounds of $nq queries"
load in -c "$clients" inproc "$db" "$queries"
say "in process: $clients clients handing queries to $clients workers"
load ho -c "$clients" -w "$clients" handoff "$db" "$queries"
say "in process: 1 thread"
load in1 -c 1 inproc "$db" "$queries"

# A previous run's serve.out would be read before this server's
# replaces it: its port, and a TERM sent before the server blocks it.
rm -f "$bdir/serve.out" "$bdir/serve.err"
./dossier-serve -d "$db" --listen 127.0.0.1:0 --threads "$clients" \
    > "$bdir/serve.out" \
    2> "$bdir/serve.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
i=0
while ! grep -qs '^dossier-serve: serving' "$bdir/serve.out" &&
      [ $i -lt 300 ]
do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$bdir/serve.out")
[ -n "$port" ] || {
    say "dossier-serve did not start: $(cat "$bdir/serve.err")"
    exit 2
}
# The server's CPU time (user + system) in ms, and its RSS in MB.
cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) * 1000 / hz }' \
        "/proc/$pid/stat"
}
rss() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$pid/status"; }
# Per request, over the warm-up pass and the timed rounds.
per_req() { f %.3f "($2 - $1) / ($nq * ($rounds + 1))"; }
say "over http: $clients clients on 127.0.0.1:$port"
c0=$(cpu)
load h -c "$clients" http "127.0.0.1:$port" "$queries"
c1=$(cpu); h_rss=$(rss)
say "over http: 1 client"
load h1 -c 1 http "127.0.0.1:$port" "$queries"
c2=$(cpu); h1_rss=$(rss)
hwm=$(awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")
h_cpu=$(per_req "$c0" "$c1")
h1_cpu=$(per_req "$c1" "$c2")
kill -TERM "$pid"; wait "$pid" || true
trap - EXIT

r() { f %.2f "$1 / $2"; }
# row LABEL IN HTTP RSS: one line of the table.
row() {
    eval "_i50=\$${2}_p50 _i99=\$${2}_p99 _im=\$${2}_mean _iq=\$${2}_qps _ic=\$${2}_cpu"
    eval "_h50=\$${3}_p50 _h99=\$${3}_p99 _hm=\$${3}_mean _hq=\$${3}_qps _hc=\$${3}_cpu"
    echo "| $1 | $_i50 / $_i99 | $_h50 / $_h99 | $(r "$_h50" "$_i50") / $(r "$_h99" "$_i99") | $_im / $_hm ($(r "$_hm" "$_im")) | $_iq / $_hq | $_ic / $_hc ($(r "$_hc" "$_ic")) | $4 |"
}
load=$(cut -d' ' -f1-3 /proc/loadavg)
table="
### dossier-serve, $(date -u '+%Y-%m-%d %H:%M') UTC (N=$n, seed $seed, $nq queries x $rounds rounds, load $load)

In process: search_run() with the JSON printer; HTTP: /api/search over
loopback, dossier-serve --threads $clients.  Latencies in ms (in process
/ HTTP); ratios HTTP / in process (bar 1.5); CPU: ms per query, of the
process in process and of the server alone over HTTP.

| clients | in process p50 / p99 | HTTP p50 / p99 | ratio p50 / p99 | mean (ratio) | queries/s | CPU (ratio) | server RSS MB |
|---|---:|---:|---:|---:|---:|---:|---:|
$(row 1 in1 h1 "$h1_rss")
$(row "$clients, in process: $clients threads searching" in h "$h_rss")
$(row "$clients, in process: handed to $clients workers" ho h "$h_rss")

dossier-serve peak RSS: $hwm MB
"
printf '%s\n' "$table"
printf '%s\n' "$table" >> bench/RESULTS.md
