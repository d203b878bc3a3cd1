# lib.sh - what bench/run.sh and bench/peers.sh share (sourced by both)
#
# SPDX-License-Identifier: GPL-2.0-or-later

# f FORMAT EXPR: EXPR computed by awk and printed with FORMAT.
f() { awk "BEGIN { printf \"$1\", $2 }"; }

# generated_corpus BDIR N SEED: the generated corpus of N articles with
# seed SEED under BDIR (BDIR/corpus-N-SEED, made by BDIR/gen when missing
# and kept between runs); prints its absolute path.  Messages on stderr.
generated_corpus() {
    _gc_dir=$(pwd)/$1/corpus-$2-$3
    if [ ! -f "$_gc_dir/.complete" ]; then
        echo "bench: generating $2 articles in $_gc_dir" >&2
        rm -rf "$_gc_dir"
        "$1/gen" --docs "$2" --seed "$3" --out "$_gc_dir" >&2
        touch "$_gc_dir/.complete"
    fi
    echo "$_gc_dir"
}

# corpus_measure DIR: reads every file an indexer would into the page
# cache (so that every indexer finds them there), and sets bytes and docs
# (of its .md files) and mb for the caller.
# shellcheck disable=SC2034
corpus_measure() {
    find "$1" -type f \( -name '*.md' -o -name '*.txt' -o -name '*.html' \
        -o -name '*.htm' -o -name '*.json' -o -name '*.jsonl' \
        -o -name '*.markdown' \) -exec cat {} + > /dev/null
    bytes=$(find "$1" -type f -name '*.md' -printf '%s\n' |
        awk '{ s += $1 } END { print s + 0 }')
    docs=$(find "$1" -type f -name '*.md' | wc -l)
    mb=$(f %.1f "$bytes / 1e6")
}

# mean_call_ms RUNS FILE CMD...: runs CMD LINE for each line of FILE, RUNS
# times over, and prints the mean milliseconds of one call (output and
# exit codes ignored).
mean_call_ms() {
    _mc_runs=$1 _mc_file=$2
    shift 2
    _mc_t0=$(date +%s%N)
    _mc_i=0
    while [ "$_mc_i" -lt "$_mc_runs" ]; do
        while IFS= read -r _mc_q; do
            "$@" "$_mc_q" > /dev/null 2>&1 || true
        done < "$_mc_file"
        _mc_i=$((_mc_i + 1))
    done
    _mc_t1=$(date +%s%N)
    awk -v a="$_mc_t0" -v b="$_mc_t1" \
        -v n="$((_mc_runs * $(wc -l < "$_mc_file")))" \
        'BEGIN { printf "%.3f", (b - a) / 1e6 / n }'
}

# pcts FILE CLASS: "N P50 P95 P99 MAX" (ms) of the times of class CLASS
# (0 unfiltered, 1 filtered) in FILE, lines CLASS<TAB>MS as qbench -t and
# qloop -t append them; percentiles picked as those programs pick them.
pcts() {
    awk -F'\t' -v c="$2" '$1 == c { print $2 }' "$1" | sort -g |
        awk '{ v[NR - 1] = $1 }
             function p(x) { return v[int((NR - 1) * x + 0.5)] }
             END { if (NR == 0) { print "0 0 0 0 0"; exit }
                   printf "%d %.3f %.3f %.3f %.3f\n", NR, p(0.50),
                          p(0.95), p(0.99), v[NR - 1] }'
}
