#!/bin/sh
# exports.sh - `make bench CORPUS=EXPORTS`: dossier on real exported posts
#
# Usage: exports.sh BUILD CORPUS
# CORPUS is a JSON Lines or JSON export (.jsonl, .json, either .gz) or a
# directory of them (bench/run.sh hands it here when it holds no
# Markdown).  Measures, in this one run: dossier-index with each -j of
# BENCH_JOBS (default "1 2": documents/s, MB/s of text, peak RSS, CPU), a
# no-change reindex, the database against the exports' uncompressed
# bytes (as built and compacted), and in-process query latency (p50, p99)
# of plain and author-plus-date-filtered queries (BUILD/bench/qbench)
# beside the bare Xapian loop over the plain ones (BUILD/bench/qloop) on
# the same database.  The queries are CORPUS/queries.tsv when there is
# one, else domain words, each also filtered by one of the five most
# frequent authors of the first 50,000 posts and its busiest month.
# Prints the table and appends it to bench/RESULTS.md.  There is no
# ceiling: bench/ceiling reads Markdown only.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=${1:-build}
corpus_arg=$2
jobs=${BENCH_JOBS:-1 2}
bdir=$build/bench/exports
mkdir -p "$bdir"
load=$(cut -d' ' -f1-3 /proc/loadavg)
TIME=/usr/bin/time

say() { echo "bench: $*" >&2; }
. "$(dirname "$0")/lib.sh"

case $corpus_arg in
/*) corpus=$corpus_arg ;;
*) corpus=$(pwd)/$corpus_arg ;;
esac
[ -e "$corpus" ] || { say "$corpus_arg: no such file or directory"; exit 2; }

# The exports, one per line; their posts and uncompressed bytes.
find "$corpus" -type f \( -name '*.jsonl' -o -name '*.json' \
    -o -name '*.jsonl.gz' -o -name '*.json.gz' \) | sort > "$bdir/files"
[ -s "$bdir/files" ] || { say "$corpus_arg: no JSON or JSON Lines export"; exit 2; }
n_files=$(wc -l < "$bdir/files")
say "measuring $n_files export file(s)"
bytes=0 docs=0
while IFS= read -r file; do
    set -- $(gzip -cdf "$file" | wc -lc)
    bytes=$((bytes + $2))
    case $file in
    *.jsonl|*.jsonl.gz) docs=$((docs + $1)) ;;
    *) docs=$((docs + $(gzip -cdf "$file" |
                      jq 'if type == "array" then length else 1 end'))) ;;
    esac
done < "$bdir/files"
mb=$(f %.1f "$bytes / 1e6")

# The query mix.
queries=$bdir/queries.tsv
if [ -d "$corpus" ] && [ -f "$corpus/queries.tsv" ]; then
    queries=$corpus/queries.tsv
else
    say "picking authors and months from the first 50,000 posts"
    while IFS= read -r file; do gzip -cdf "$file"; done < "$bdir/files" |
        head -n 50000 | jq -r 'select(type == "object") |
            [(.author // "" | tostring), (.date // "" | tostring | .[0:7])]
            | @tsv' 2>/dev/null |
        awk -F'\t' '$1 != "" && $2 ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]$/ {
                n[$1]++; m[$1 "\t" $2]++ }
            END { for (k in m) { split(k, p, "\t");
                      print n[p[1]] "\t" m[k] "\t" k } }' |
        sort -t '	' -k1,1nr -k2,2nr |
        awk -F'\t' '!seen[$3]++ { print $3 "\t" $4 }' |
        head -n 5 > "$bdir/authors"
    words='nato
ukraine
kherson
"air defense"
himars
sanctions
putin
zelensky
bakhmut
counteroffensive
crimea
"security guarantees"
mariupol
tanks
grain
nuclear
kyiv
mobilization
wagner
patriot'
    : > "$queries"
    printf '%s\n' "$words" | while IFS= read -r w; do
        printf '%s\t\t\t\n' "$w" >> "$queries"
    done
    i=0
    printf '%s\n' "$words" | while IFS= read -r w; do
        i=$((i % 5 + 1))
        line=$(sed -n "${i}p" "$bdir/authors")
        [ -n "$line" ] || continue
        printf '%s\t%s\t%s\t%s\n' "$w" "${line%%	*}" "${line#*	}" \
            "${line#*	}" >> "$queries"
    done
fi

# ------------------------------------------------------------- indexing
first=
rows=
for j in $jobs; do
    db=$bdir/dossier-j$j.db
    say "dossier-index -j$j over $docs posts"
    rm -rf "$db"
    $TIME -f '%e %M %U %S' -o "$bdir/j$j.time" ./dossier-index -d "$db" \
        -j "$j" --no-progress -q "$corpus" > "$bdir/j$j.log" 2>&1 || {
        rc=$?
        [ "$rc" -eq 1 ] || { say "failed ($rc)"; cat "$bdir/j$j.log" >&2;
                             exit 2; }
    }
    # The last line: an exit status other than 0 adds one before it.
    read -r wall rss u s <<EOF
$(tail -n 1 "$bdir/j$j.time")
EOF
    rows="$rows| dossier-index -j$j, full build | $(f %.0f "$docs / $wall") docs/s, $(f %.2f "$bytes / 1e6 / $wall") MB/s, $(f %.0f "$rss / 1024") MB peak RSS; $wall s wall, $(f %.1f "$u + $s") s CPU |
"
    [ -n "$first" ] || first=$db
    last=$db
done
[ -n "$first" ] || { say "BENCH_JOBS is empty"; exit 2; }

say "no-change reindex"
$TIME -f '%e %M %U %S' -o "$bdir/re.time" ./dossier-index -d "$first" \
    --no-progress -q "$corpus" > "$bdir/re.log" 2>&1 || true
read -r re_wall re_rss re_u re_s <<EOF
$(tail -n 1 "$bdir/re.time")
EOF

# ------------------------------------------------------------- queries
say "query latency in one process (qbench), bare loop (qloop)"
"$build/bench/qbench" -r 3 "$first" "$queries" > "$bdir/qbench.out"
set -- $(grep '^unfiltered ' "$bdir/qbench.out")
qu_n=$2 qu50=$3 qu99=$5
set -- $(grep '^filtered ' "$bdir/qbench.out" || echo "filtered 0 0 0 0 0")
qf_n=$2 qf50=$3 qf99=$5
"$build/bench/qloop" -r 3 "$first" "$queries" > "$bdir/qloop.out" 2> /dev/null
set -- $(grep '^bare ' "$bdir/qloop.out")
qb_n=$2 qb50=$3 qb99=$5

# ------------------------------------------------------------- size
db_bytes=$(du -sb "$last" | cut -f1)
say "xapian-compact"
rm -rf "$bdir/compact.db"
xapian-compact "$last" "$bdir/compact.db" > /dev/null
comp_bytes=$(du -sb "$bdir/compact.db" | cut -f1)
rm -rf "$bdir/compact.db"

cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
table=$bdir/table.md
cat > "$table" <<EOF
### $(date -u '+%Y-%m-%d %H:%M UTC'), exports $corpus_arg

$cpu, $(nproc) cores, $(uname -sr), dossier $rev, load average $load at
the start; $n_files export file(s), $docs posts, $mb MB uncompressed.
Command: \`make bench CORPUS=$corpus_arg\`${BENCH_JOBS:+ (BENCH_JOBS=$BENCH_JOBS)}.

| measure | result |
|---|---:|
$rows| no-change reindex | $re_wall s |
| query, plain (in process, top 10 + snippets, $qu_n runs) | p50 $qu50 / p99 $qu99 ms |
| query, author + month (in process, $qf_n runs) | p50 $qf50 / p99 $qf99 ms |
| bare Xapian loop, plain queries (qloop, $qb_n runs) | p50 $qb50 / p99 $qb99 ms |
| database as built | $(f %.1f "$db_bytes / 1e6") MB, $(f %.2f "$db_bytes / $bytes") x the exports |
| database compacted | $(f %.1f "$comp_bytes / 1e6") MB, $(f %.2f "$comp_bytes / $bytes") x the exports |
EOF
cat "$table"
{ echo; cat "$table"; } >> bench/RESULTS.md
say "appended to bench/RESULTS.md"
