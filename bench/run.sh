#!/bin/sh
# run.sh - `make bench`: dossier against a Xapian ceiling, one Markdown table
#
# Usage: run.sh BUILD N SEED [CORPUS [QUERIES]]
# Generates N articles with seed SEED under BUILD/bench/ (kept between
# runs; never committed), or uses the directory CORPUS (exports, a file
# or a directory without Markdown, go to bench/exports.sh), and times the
# generated query mix, or the file QUERIES (QUERY<TAB>AUTHOR<TAB>SINCE<TAB>
# UNTIL lines; a line with a filter counts as filtered), then measures, in
# this one run: the ceiling (BUILD/bench/ceiling, a minimal TermGenerator
# loop), dossier-index -j1 and -j2, a no-change reindex, in-process query
# latency (BUILD/bench/qbench) next to a bare Xapian query loop over the
# same mix (BUILD/bench/qloop), whole dossier-search processes next to
# Xapian's quest, and the index size.  Figures are ratios measured here,
# never pass/fail: the table says where each bar stands.  Prints the table
# and appends it, with a description of the machine, to bench/RESULTS.md.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=${1:-build}
n=${2:-20000}
seed=${3:-1}
corpus_arg=${4:-}
queries_arg=${5:-}
bdir=$build/bench
mkdir -p "$bdir"
load=$(cut -d' ' -f1-3 /proc/loadavg)
TIME=/usr/bin/time

say() { echo "bench: $*" >&2; }
. "$(dirname "$0")/lib.sh"

# ------------------------------------------------------------- corpus
# Exports (a JSON or JSON Lines file, or a directory without Markdown):
# their own table (bench/exports.sh).
if [ -n "$corpus_arg" ] && { [ -f "$corpus_arg" ] ||
        ! find "$corpus_arg" -name '*.md' 2>/dev/null | grep -q .; }; then
    exec sh "$(dirname "$0")/exports.sh" "$build" "$corpus_arg"
fi
if [ -n "$corpus_arg" ]; then
    corpus=$(cd "$corpus_arg" && pwd)
    label="corpus $corpus_arg"
    queries=$bdir/queries-default.tsv
    if [ -f "$corpus/queries.tsv" ]; then
        queries=$corpus/queries.tsv
    elif [ ! -f "$queries" ]; then
        # The generated mix: its words may be missing from a real corpus
        # but its phrases and the field's terms are there.
        rm -rf "$bdir/q.tmp"
        "$bdir/gen" --docs 1 --seed "$seed" --out "$bdir/q.tmp"
        mv "$bdir/q.tmp/queries.tsv" "$queries"
        rm -rf "$bdir/q.tmp"
    fi
else
    corpus=$(generated_corpus "$bdir" "$n" "$seed")
    label="generated, N=$n, seed $seed"
    queries=$corpus/queries.tsv
fi
if [ -n "$queries_arg" ]; then
    if [ ! -f "$queries_arg" ] || [ ! -r "$queries_arg" ]; then
        say "QUERIES=$queries_arg: no such readable file"
        exit 2
    fi
    queries=$(cd "$(dirname "$queries_arg")" && pwd)
    queries=$queries/$(basename "$queries_arg")
    label="$label, queries $queries_arg"
fi
corpus_measure "$corpus"

# run_timed OUT CMD...: wall seconds, peak RSS (KB) and CPU seconds (user
# + system) of CMD into OUT.
run_timed() {
    out=$1
    shift
    $TIME -f '%e %M %U %S' -o "$out" "$@" > "$out.log" 2>&1 || {
        rc=$?
        # dossier-index exits 1 when it skipped files: still a run.
        [ "$rc" -eq 1 ] || { say "failed ($rc): $*"; cat "$out.log" >&2;
                             exit 2; }
    }
}

# ------------------------------------------------------------- indexing
cdb=$bdir/ceiling.db
say "ceiling: minimal TermGenerator loop over $docs files ($mb MB)"
rm -rf "$cdb"
run_timed "$bdir/ceiling.time" "$bdir/ceiling" "$cdb" "$corpus"
read -r c_wall c_rss c_u c_s < "$bdir/ceiling.time"

# -j1 builds the floor's database: without synonym groups, each spelling
# its own term, as a bare Xapian index (and the ceiling) holds them, so
# that the loop's "kiev" walks Kiev's postings; -j2 builds with the
# default config, whose one-word groups become one term each (the
# database dossier's queries run on).
floorcfg=$bdir/floor.yaml
printf 'synonyms: []\n' > "$floorcfg"
for j in 1 2; do
    db=$bdir/dossier-j$j.db
    say "dossier-index -j$j"
    rm -rf "$db"
    cfgopt=
    [ "$j" -eq 1 ] && cfgopt="-c $floorcfg"
    # shellcheck disable=SC2086
    run_timed "$bdir/j$j.time" ./dossier-index $cfgopt -d "$db" -j "$j" \
        --no-progress -q "$corpus"
done
read -r j1_wall j1_rss j1_u j1_s < "$bdir/j1.time"
read -r j2_wall j2_rss j2_u j2_s < "$bdir/j2.time"

say "no-change reindex"
db=$bdir/dossier-j1.db
run_timed "$bdir/re.time" ./dossier-index -c "$floorcfg" -d "$db" -j 1 \
    --no-progress -q "$corpus"
read -r re_wall re_rss re_u re_s < "$bdir/re.time"

# ------------------------------------------------------------- Cyrillic
# Ukrainian and Russian documents (the sample corpus's, copied round
# under new names up to a tenth of N, at most 2,000) through -j1: the
# Hunspell lemmas and skeleton terms against English's Snowball stemmer,
# per byte, since Cyrillic letters take two.
cyr=$bdir/cyrillic-$n
if [ ! -f "$cyr/.complete" ]; then
    rm -rf "$cyr"
    mkdir -p "$cyr"
    want=$((n / 10)); [ "$want" -gt 2000 ] && want=2000
    [ "$want" -lt 100 ] && want=100
    i=0
    while [ "$i" -lt "$want" ]; do
        for f in corpus/uk/*.md corpus/ru/*.md; do
            [ "$i" -lt "$want" ] || break
            cp "$f" "$cyr/$i-$(basename "$f")"
            i=$((i + 1))
        done
    done
    touch "$cyr/.complete"
fi
cyr_docs=$(find "$cyr" -name '*.md' | wc -l)
cyr_bytes=$(find "$cyr" -name '*.md' -printf '%s\n' |
    awk '{ s += $1 } END { print s + 0 }')
say "dossier-index -j1 over $cyr_docs Ukrainian and Russian documents"
rm -rf "$bdir/cyrillic.db"
run_timed "$bdir/cyr.time" ./dossier-index -d "$bdir/cyrillic.db" -j 1 \
    --no-progress -q "$cyr"
read -r cy_wall cy_rss cy_u cy_s < "$bdir/cyr.time"

# ------------------------------------------------------------- queries
# The loop, dossier with --estimate and dossier with exact totals take
# turns, a pass over the mix each (after each program's own warm-up
# pass), ROUNDS times: a machine whose load moves over a minute moves
# the three alike.  Every timed run of a program is pooled (-t).
rounds=3
floordb=$bdir/dossier-j1.db
db=$bdir/dossier-j2.db
rm -f "$bdir/qloop.times" "$bdir/qbench-e.times" "$bdir/qbench.times"
r=0
while [ "$r" -lt "$rounds" ]; do
    r=$((r + 1))
    say "queries, round $r of $rounds: the bare loop (qloop), dossier" \
        "in process (qbench) with --estimate, then exact totals"
    "$bdir/qloop" -r 1 -t "$bdir/qloop.times" "$floordb" "$queries" \
        > "$bdir/qloop.out" 2> /dev/null
    "$bdir/qbench" -r 1 -e 1 -t "$bdir/qbench-e.times" "$db" "$queries" \
        > "$bdir/qbench-e.out"
    "$bdir/qbench" -r 1 -t "$bdir/qbench.times" "$db" "$queries" \
        > "$bdir/qbench.out"
done
read -r qb_n qb50 qb95 qb99 qbmax <<EOT
$(pcts "$bdir/qloop.times" 0)
EOT
read -r qbf_n qbf50 qbf95 qbf99 qbfmax <<EOT
$(pcts "$bdir/qloop.times" 1)
EOT
read -r que_n que50 que95 que99 quemax <<EOT
$(pcts "$bdir/qbench-e.times" 0)
EOT
read -r qfe_n qfe50 qfe95 qfe99 qfemax <<EOT
$(pcts "$bdir/qbench-e.times" 1)
EOT
read -r qu_n qu50 qu95 qu99 qumax <<EOT
$(pcts "$bdir/qbench.times" 0)
EOT
read -r qf_n qf50 qf95 qf99 qfmax <<EOT
$(pcts "$bdir/qbench.times" 1)
EOT

# Whole processes: a few queries of the mix, 20 runs each, dossier
# (exact, then --estimate) and quest in turn on each query.
say "dossier-search and quest processes"
runs=20
sample=$bdir/sample.tsv
awk -F'\t' 'NR <= 200 && NR % 40 >= 2 && NR % 40 <= 5 { print $1 }' \
    "$queries" | head -n 5 > "$sample"
# A short QUERIES file: its first queries.
[ -s "$sample" ] || cut -f1 "$queries" | grep . | head -n 5 > "$sample"
ds_ns=0 dse_ns=0 quest_ns=0
i=0
while [ "$i" -lt "$runs" ]; do
    while IFS= read -r q; do
        t0=$(date +%s%N)
        ./dossier-search -d "$db" "$q" > /dev/null 2>&1 || true
        t1=$(date +%s%N)
        ./dossier-search --estimate -d "$db" "$q" > /dev/null 2>&1 || true
        t2=$(date +%s%N)
        quest -d "$floordb" -o and "$q" > /dev/null 2>&1 || true
        t3=$(date +%s%N)
        ds_ns=$((ds_ns + t1 - t0)) dse_ns=$((dse_ns + t2 - t1))
        quest_ns=$((quest_ns + t3 - t2))
    done < "$sample"
    i=$((i + 1))
done
calls=$((runs * $(wc -l < "$sample")))
ds_ms=$(f %.2f "$ds_ns / 1e6 / $calls")
dse_ms=$(f %.2f "$dse_ns / 1e6 / $calls")
quest_ms=$(f %.2f "$quest_ns / 1e6 / $calls")

# 1,000 queries, one --batch process, then one dossier-search process
# each, as a script would run them for the same answer (count and top
# three): BATCH_TIMES FILE sets batch_s, procs_s and batch_ratio.
batch_times() {
    # A pass first, untimed: the processes after the batch find the
    # database's pages the batch read in the page cache, so the batch
    # gets them there too.
    ./dossier-search -d "$db" --batch "$1" > /dev/null 2>&1 || true
    b_t0=$(date +%s%N)
    ./dossier-search -d "$db" --batch "$1" > "$1.csv" 2> "$1.err" ||
        [ $? -eq 1 ] ||
        { say "--batch $1 failed"; cat "$1.err" >&2; exit 2; }
    b_t1=$(date +%s%N)
    while IFS= read -r q; do
        ./dossier-search -d "$db" -n 3 --format json "$q" > /dev/null 2>&1 ||
            true
    done < "$1"
    b_t2=$(date +%s%N)
    batch_s=$(f %.2f "($b_t1 - $b_t0) / 1e9")
    procs_s=$(f %.2f "($b_t2 - $b_t1) / 1e9")
    batch_ratio=$(f %.3f \
        "(($b_t2 - $b_t1) > 0) ? ($b_t1 - $b_t0) / ($b_t2 - $b_t1) : 0")
}
# A list of names, what --batch is for: 1,000 distinct words of the
# generator's vocabulary past its 200 commonest (gen --names).
say "1,000 names: one --batch process vs 1,000 processes"
namesq=$bdir/batch-names.txt
"$bdir/gen" --names 1000 > "$namesq"
batch_times "$namesq"
names_s=$batch_s names_procs_s=$procs_s names_ratio=$batch_ratio
# The query mix (repeated when it has fewer than 1,000): phrases and
# frequent words, whose search work is most of a process's time.
say "1,000 queries of the mix: one --batch process vs 1,000 processes"
batchq=$bdir/batch-queries.txt
awk -F'\t' '$1 != "" { q[n++] = $1 }
    END { for (i = 0; i < 1000 && n; i++) print q[i % n] }' \
    "$queries" > "$batchq"
batch_times "$batchq"

# ------------------------------------------------------------- size
# The size of the database the default -j builds on this machine (two
# jobs or more: shards merged into one compacted database).
db=$bdir/dossier-j2.db
db_bytes=$(du -sb "$db" | cut -f1)
cdb_bytes=$(du -sb "$cdb" | cut -f1)
say "xapian-compact (for the size a compacted index would have)"
rm -rf "$bdir/compact.db"
xapian-compact "$db" "$bdir/compact.db" > /dev/null
comp_bytes=$(du -sb "$bdir/compact.db" | cut -f1)

# ------------------------------------------------------------- table
c_dps=$(f %.0f "$docs / $c_wall")
c_mbs=$(f %.2f "$bytes / 1e6 / $c_wall")
j1_dps=$(f %.0f "$docs / $j1_wall")
j1_mbs=$(f %.2f "$bytes / 1e6 / $j1_wall")
j2_dps=$(f %.0f "$docs / $j2_wall")
j2_mbs=$(f %.2f "$bytes / 1e6 / $j2_wall")
j1_ratio=$(f %.2f "$c_wall / $j1_wall")
c_cpu=$(f %.1f "$c_u + $c_s")
j1_cpu=$(f %.1f "$j1_u + $j1_s")
j2_cpu=$(f %.1f "$j2_u + $j2_s")
j1_cpu_ratio=$(f %.2f "$c_cpu / $j1_cpu")
j2_ratio=$(f %.2f "$c_wall / $j2_wall")
re_pct=$(f %.2f "100 * $re_wall / $j1_wall")
# X over Y, or 0 when Y is 0.
over() { f %.2f "($2 > 0) ? $1 / $2 : 0"; }
qf_ratio=$(over "$qf50" "$qu50")
qfe_ratio=$(over "$qfe50" "$que50")
quest_ratio=$(f %.2f "$ds_ms / $quest_ms")
size_mb=$(f %.1f "$db_bytes / 1e6")
size_ratio=$(f %.2f "$db_bytes / $bytes")
comp_mb=$(f %.1f "$comp_bytes / 1e6")
comp_ratio=$(f %.2f "$comp_bytes / $bytes")
cdb_ratio=$(f %.2f "$cdb_bytes / $bytes")
rss() { f %.0f "$1 / 1024"; }

cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')
cores=$(nproc)
kernel=$(uname -sr)
xver=$(xapian-config --version 2>/dev/null | sed 's/.* //' ||
       dpkg-query -W -f='${Version}' libxapian30)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')

# ------------------------------------------------------------- exports
# One generated export per layout (bench/social-gen.py), N posts each,
# indexed -j2: documents per second and peak RSS of each.
sdir=$bdir/social-$n-$seed
if [ ! -d "$sdir" ]; then
    say "generating exports: $n posts per layout"
    rm -rf "$sdir.tmp"
    python3 bench/social-gen.py "$sdir.tmp" "$n" "$seed"
    mv "$sdir.tmp" "$sdir"
fi
social_rows=
for l in telegram x mastodon reddit; do
    say "dossier-index -j2 on the $l export"
    rm -rf "$bdir/social-$l.db"
    run_timed "$bdir/social-$l.time" ./dossier-index -d "$bdir/social-$l.db" \
        -j 2 --no-progress "$sdir/$l"
    read -r s_wall s_rss s_u s_s < "$bdir/social-$l.time"
    s_docs=$(sed -n 's/^added \([0-9,]*\) documents.*/\1/p' \
             "$bdir/social-$l.time.log" | tr -d ,)
    s_mb=$(du -sm "$sdir/$l" | cut -f1)
    case $l in
    telegram) what="Telegram result.json (1 in 10 a service message)" ;;
    x) what="X archive data/tweets.js" ;;
    mastodon) what="Mastodon outbox.json (1 in 10 a boost)" ;;
    reddit) what="Reddit comments, JSON Lines" ;;
    esac
    social_rows="$social_rows
| export layout: $what, $n posts, $s_mb MB | $(f %.0f "$s_docs / $s_wall") docs/s ($s_docs documents), $(rss "$s_rss") MB RSS; ${s_wall} s wall | | |"
done

table=$bdir/table.md
cat > "$table" <<EOF
### $when, $label

$cpu, $cores cores, $kernel, Xapian $xver, dossier $rev, load average
$load at the start; $docs files, $mb MB of text.
Command: \`make bench N=$n SEED=$seed${corpus_arg:+ CORPUS=$corpus_arg}${queries_arg:+ QUERIES=$queries_arg}\`.

| measure | result | ratio | bar |
|---|---:|---:|---|
| ceiling: minimal TermGenerator loop, 1 thread | $c_dps docs/s, $c_mbs MB/s, $(rss "$c_rss") MB RSS; ${c_wall} s wall, $c_cpu s CPU | 1.00 | |
| dossier-index -j1, full build (no synonym groups: the loop's database) | $j1_dps docs/s, $j1_mbs MB/s, $(rss "$j1_rss") MB RSS; ${j1_wall} s wall, $j1_cpu s CPU | $j1_ratio x ceiling (CPU: $j1_cpu_ratio) | >= 0.9 |
| dossier-index -j2, full build | $j2_dps docs/s, $j2_mbs MB/s, $(rss "$j2_rss") MB RSS; ${j2_wall} s wall, $j2_cpu s CPU | $j2_ratio x ceiling | >= 1.6 |
| dossier-index -j1, Ukrainian and Russian ($cyr_docs docs) | $(f %.0f "$cyr_docs / $cy_wall") docs/s, $(f %.2f "$cyr_bytes / 1e6 / $cy_wall") MB/s, $(rss "$cy_rss") MB RSS | $(f %.2f "($cyr_docs / $cy_wall) / ($docs / $j1_wall)") x English docs/s, $(f %.2f "($cyr_bytes / $cy_wall) / ($bytes / $j1_wall)") x MB/s | >= 0.7 (docs/s) |
| no-change reindex | $re_wall s (full: $j1_wall s) | $re_pct % of full | <= 2 % |
| bare Xapian query loop (qloop: parse, top 10, each hit's data; on -j1's database, every spelling its own term), unfiltered, $qb_n runs; the loop and the two dossier rows below took turns, $rounds passes each | p50 $qb50 / p95 $qb95 / p99 $qb99 / max $qbmax ms | 1.00 | |
| the same, filtered (the author's term, a range on the date slot), $qbf_n runs | p50 $qbf50 / p95 $qbf95 / p99 $qbf99 / max $qbfmax ms | 1.00 | |
| query, unfiltered, \`--estimate\` (in process, top 10 + snippets; on -j2's database, synonym groups folded) | p50 $que50 / p95 $que95 / p99 $que99 / max $quemax ms | p50 $(over "$que50" "$qb50"), p99 $(over "$que99" "$qb99") x bare | <= 1.3 |
| query, filtered, \`--estimate\` | p50 $qfe50 / p95 $qfe95 / p99 $qfe99 / max $qfemax ms | p50 $(over "$qfe50" "$qbf50"), p99 $(over "$qfe99" "$qbf99") x bare filtered; $qfe_ratio x unfiltered p50 | <= 1.3; <= 1.2 |
| query, unfiltered, exact totals (the default) | p50 $qu50 / p95 $qu95 / p99 $qu99 / max $qumax ms | p50 $(over "$qu50" "$qb50"), p99 $(over "$qu99" "$qb99") x bare | |
| query, filtered, exact totals | p50 $qf50 / p95 $qf95 / p99 $qf99 / max $qfmax ms | p50 $(over "$qf50" "$qbf50"), p99 $(over "$qf99" "$qbf99") x bare filtered; $qf_ratio x unfiltered p50 | |
| one dossier-search process (-j2's database) vs quest (-j1's) (mean of $runs x $(wc -l < "$sample") queries, the three in turn on each) | $ds_ms ms (exact totals), $dse_ms ms (\`--estimate\`) vs $quest_ms ms | $quest_ratio x quest exact, $(over "$dse_ms" "$quest_ms") x with \`--estimate\` | <= 1.5 |
| 1,000 names: one \`--batch\` process vs 1,000 \`dossier-search -n 3 --format json\` processes | $names_s s vs $names_procs_s s | $names_ratio x processes | < 0.1 |
| 1,000 queries of the mix, the same way | $batch_s s vs $procs_s s | $batch_ratio x processes | |
| index size on disk (-j2, as built) | $size_mb MB | $size_ratio x text | <= 3.2 (compacted, packed) |
| index size after xapian-compact | $comp_mb MB | $comp_ratio x text | <= 3.2 |
| ceiling's index (no data, values or spelling) | $(f %.1f "$cdb_bytes / 1e6") MB | $cdb_ratio x text | |$social_rows
EOF

cat "$table"
results=bench/RESULTS.md
if [ ! -f "$results" ]; then
    printf '# make bench results\n\nEach run of `make bench` appends its table here (see\ndocs/performance.md).\n' > "$results"
fi
{ echo; cat "$table"; } >> "$results"
say "appended to $results"
