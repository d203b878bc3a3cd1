#!/bin/sh
# peers.sh - `make bench-peers`: dossier-index beside omindex, recollindex
# and SQLite FTS5 on the bench corpus, one Markdown table
#
# Usage: peers.sh BUILD N SEED
# Uses the corpus `make bench` uses, BUILD/bench/corpus-N-SEED (made by
# BUILD/bench/gen when missing, kept between runs), and measures in this
# one run, for each indexer: a full build from nothing over the same
# directory of .md files (wall, CPU and peak RSS from /usr/bin/time;
# docs/s and its ratio to dossier-index's), the index's size on disk, and
# the mean wall time of one whole query process over a sample of the
# mix's unfiltered queries (top 10).  The peers, each with its defaults
# but for what the corpus needs:
#   dossier-index    default -j, fresh database; dossier-search -n 10
#   omindex          .md as text/plain, queries.tsv skipped; quest -o and
#                    (all words must match, as in the others) -m 10
#   recollindex      a throwaway config dir whose topdirs is the corpus,
#                    aspell language en (the C locale names none);
#                    recollq -n 10
#   SQLite FTS5      fts5(path, body, tokenize='porter') filled with
#                    readfile() in one transaction; bm25 top 10
# A peer that fails gets "failed: <why>" in its row and the others are
# still measured.  Prints the table and appends it, with a description of
# the machine, to bench/RESULTS.md.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=${1:-build}
n=${2:-2000}
seed=${3:-1}
bdir=$build/bench
pdir=$bdir/peers
mkdir -p "$pdir"
pdir=$(cd "$pdir" && pwd)
load=$(cut -d' ' -f1-3 /proc/loadavg)
TIME=/usr/bin/time
runs=5                  # timed passes over the query sample
n_sample=20             # queries in the sample

say() { echo "bench-peers: $*" >&2; }
. "$(dirname "$0")/lib.sh"

# ------------------------------------------------------------- corpus
# The same corpus and query mix as `make bench N=$n SEED=$seed`.
corpus=$(generated_corpus "$bdir" "$n" "$seed")
queries=$corpus/queries.tsv
corpus_measure "$corpus"

# The sample: $n_sample unfiltered lines of the mix (no author, since or
# until), in its own syntax (words, and phrases in double quotes).  The
# mix repeats ten kinds of query (a rare word, two or three words, a
# phrase, a frequent name...) in turn, so the sample takes the k-th
# unfiltered line where k mod 10 = (k / 10) mod 10: every kind once in
# each hundred lines, not one kind every tenth line.
sample=$pdir/sample.txt
awk -F'\t' '$2 == "" && $3 == "" && $4 == "" && $1 != "" {
        if (k % 10 == int(k / 10) % 10) print $1
        k++ }' "$queries" |
    head -n "$n_sample" > "$sample"
[ -s "$sample" ] || { say "$queries: no unfiltered queries"; exit 2; }

# ------------------------------------------------------------- helpers

# why LOG: the first line of LOG that reads like an error, else its last
# non-empty line; short, on one line, safe in a table cell.
why() {
    awk 'NF { l = $0 }
         e == "" && tolower($0) ~ /error|fail|fatal|cannot|no such/ {
             e = $0 }
         END { print (e != "") ? e : l }' "$1" 2>/dev/null |
        sed 's/[[:space:]][[:space:]]*/ /g; s/|/\\|/g; s/`/'"'"'/g' |
        cut -c1-120
}

# run_timed NAME OKCODES CMD...: runs CMD with its output in NAME.log and
# its wall seconds, peak RSS (KB) and CPU seconds (user + system) in
# NAME.time; fails unless its exit code is one of OKCODES (e.g. "0 1").
run_timed() {
    name=$1 ok=$2
    shift 2
    rc=0
    $TIME -f '%e %M %U %S' -o "$pdir/$name.time" "$@" \
        > "$pdir/$name.log" 2>&1 || rc=$?
    for c in $ok; do
        [ "$rc" -eq "$c" ] && return 0
    done
    echo "$1 exited $rc: $(why "$pdir/$name.log")" > "$pdir/$name.why"
    return 1
}

# query_ms NAME OKCODES HITS CMD...: CMD ARG for each line ARG of NAME.q,
# once to warm up (counting, with the function HITS OUT RC, the queries
# that find something), then $runs times; prints the mean ms of one call
# and the hit count.  Fails if a warm-up call exits with a code not in
# OKCODES.
query_ms() {
    name=$1 ok=$2 hits=$3
    shift 3
    nh=0
    while IFS= read -r q; do
        rc=0
        "$@" "$q" > "$pdir/$name.qout" 2> "$pdir/$name.qerr" || rc=$?
        good=
        for c in $ok; do
            [ "$rc" -ne "$c" ] || good=1
        done
        if [ -z "$good" ]; then
            echo "$1 exited $rc on '$q': $(why "$pdir/$name.qerr")" \
                > "$pdir/$name.why"
            return 1
        fi
        if $hits "$pdir/$name.qout" "$rc"; then
            nh=$((nh + 1))
        fi
    done < "$pdir/$name.q"
    echo "$(f %.1f "$(mean_call_ms "$runs" "$pdir/$name.q" "$@")") $nh"
}

# The hit tests: does output OUT (exit code RC) hold at least one result?
hits_dossier() { [ "$2" -eq 0 ]; }
hits_quest() { [ "$2" -eq 0 ] && grep -q '^[0-9][0-9]*: \[' "$1"; }
hits_recollq() { [ "$2" -eq 0 ] && grep -q '^[1-9][0-9]* results' "$1"; }
hits_sqlite() { [ "$2" -eq 0 ] && [ -s "$1" ]; }

# row NAME LABEL DOCS_IN_INDEX SIZE_BYTES: one row of the table from
# NAME.time and NAME.qms, or the reason in NAME.why.
ds_dps=
row() {
    name=$1 label=$2 indexed=$3 size=$4
    if [ -z "$indexed" ]; then
        echo "| $label | failed: $(cat "$pdir/$name.why" 2>/dev/null ||
            echo 'no document count') | | | | | | |"
        return
    fi
    read -r wall rss u s < "$pdir/$name.time"
    [ "$(f %d "$wall * 100")" -gt 0 ] || wall=0.01
    dps=$(f %.0f "$docs / $wall")
    [ "$name" = dossier ] && ds_dps=$(f %.4f "$docs / $wall")
    ratio=-
    [ -n "$ds_dps" ] && ratio="$(f %.2f "$docs / $wall / $ds_dps") x"
    cpu=$(f %.1f "$u + $s")
    build="${wall} s wall, $cpu s CPU, $(f %.0f "$rss / 1024") MB RSS"
    sz="$(f %.1f "$size / 1e6") MB ($(f %.2f "$size / $bytes") x text)"
    if [ -f "$pdir/$name.qms" ]; then
        read -r ms nh < "$pdir/$name.qms"
        q="$ms ms | $nh/$(wc -l < "$pdir/$name.q")"
    else
        q="failed: $(cat "$pdir/$name.why") |"
    fi
    echo "| $label | $indexed | $build | $dps | $ratio | $sz | $q |"
}

# Each peer: build, count, query.  A failing step writes NAME.why and
# returns 1; the caller carries on with the next peer.
count_xapian() {
    xapian-delve "$1" 2>/dev/null |
        awk -F' = ' '/^number of documents/ { print $2 }'
}
rm -f "$pdir"/*.why "$pdir"/*.qms

# ------------------------------------------------------------- dossier
ds_db=$pdir/dossier.db
ds_n='' ds_size=0
peer_dossier() {
    say "dossier-index (default -j, fresh database)"
    rm -rf "$ds_db"
    run_timed dossier "0 1" ./dossier-index -d "$ds_db" --no-progress -q \
        "$corpus" || return 1
    ds_size=$(du -sb "$ds_db" | cut -f1)
    ds_n=$(count_xapian "$ds_db")
    cp "$sample" "$pdir/dossier.q"
    query_ms dossier "0 1" hits_dossier ./dossier-search -d "$ds_db" -n 10 \
        > "$pdir/dossier.qms" || rm -f "$pdir/dossier.qms"
}

# ------------------------------------------------------------- omindex
# omindex asks libmagic about a file whose extension it does not know:
# .md is named as text/plain, and the mix's queries.tsv is skipped.
om_db=$pdir/omindex.db
om_n='' om_size=0
peer_omindex() {
    say "omindex"
    command -v omindex >/dev/null 2>&1 || {
        echo "omindex not found (package xapian-omega)" > "$pdir/omindex.why"
        return 1; }
    rm -rf "$om_db"
    run_timed omindex 0 omindex --db "$om_db" --url / -M md:text/plain \
        -M tsv:skip "$corpus" || return 1
    om_size=$(du -sb "$om_db" | cut -f1)
    om_n=$(count_xapian "$om_db")
    cp "$sample" "$pdir/omindex.q"
    query_ms omindex 0 hits_quest quest -d "$om_db" -o and -m 10 \
        > "$pdir/omindex.qms" || rm -f "$pdir/omindex.qms"
}

# ------------------------------------------------------------- recoll
# A fresh config dir each run (so the build is a full one); its database
# (xapiandb/) and spelling dictionary are written inside it, and its size
# is the whole directory's.  Recoll also indexes each folder as a
# document, so it counts a few more than the files.
rc_conf=$pdir/recoll
rc_n='' rc_size=0
peer_recoll() {
    say "recollindex"
    command -v recollindex >/dev/null 2>&1 || {
        echo "recollindex not found (package recollcmd)" > "$pdir/recoll.why"
        return 1; }
    rm -rf "$rc_conf"
    mkdir -p "$rc_conf"
    cat > "$rc_conf/recoll.conf" <<EOF
topdirs = $corpus
skippedNames+ = queries.tsv .complete
aspellLanguage = en
EOF
    run_timed recoll 0 recollindex -c "$rc_conf" || return 1
    rc_size=$(du -sb "$rc_conf" | cut -f1)
    rc_n=$(count_xapian "$rc_conf/xapiandb")
    [ -n "$rc_n" ] || {
        echo "no database in $rc_conf/xapiandb: $(why "$pdir/recoll.log")" \
            > "$pdir/recoll.why"
        return 1; }
    cp "$sample" "$pdir/recoll.q"
    query_ms recoll 0 hits_recollq recollq -c "$rc_conf" -n 10 \
        > "$pdir/recoll.qms" || rm -f "$pdir/recoll.qms"
}

# ------------------------------------------------------------- FTS5
# One SQL script: the table, one INSERT per file reading it with the
# CLI's readfile(), in one transaction.  Each query becomes one SELECT:
# every word and every phrase of the mix is an FTS5 string ("..." with
# any " doubled), ANDed, so nothing in it is read as FTS5 syntax (AND,
# NOT, -, col:, ^, *); units with no letter or digit are dropped; the
# whole expression is an SQL literal (' doubled).
fts_db=$pdir/fts5.sqlite
fts_n='' fts_size=0
peer_fts5() {
    say "SQLite FTS5"
    command -v sqlite3 >/dev/null 2>&1 || {
        echo "sqlite3 not found (package sqlite3)" > "$pdir/fts5.why"
        return 1; }
    {
        echo "CREATE VIRTUAL TABLE t USING fts5(path, body,"
        echo "    tokenize = 'porter');"
        echo "BEGIN;"
        find "$corpus" -type f -name '*.md' | sort | sed "s/'/''/g; s/.*/\
INSERT INTO t(path, body) VALUES('&', CAST(readfile('&') AS TEXT));/"
        echo "COMMIT;"
    } > "$pdir/fts5.sql"
    rm -f "$fts_db"
    run_timed fts5 0 sqlite3 -bail "$fts_db" ".read '$pdir/fts5.sql'" ||
        return 1
    fts_size=$(du -sb "$fts_db" | cut -f1)
    fts_n=$(sqlite3 "$fts_db" 'SELECT count(*) FROM t;' 2>/dev/null) || {
        echo "SELECT count(*) failed" > "$pdir/fts5.why"; fts_n=; return 1; }
    awk '{
        s = $0; e = ""
        while (s != "") {
            if (match(s, /^[ \t]+/)) { s = substr(s, RLENGTH + 1); continue }
            if (substr(s, 1, 1) == "\"") {
                s = substr(s, 2); k = index(s, "\"")
                if (k == 0) k = length(s) + 1
                u = substr(s, 1, k - 1); s = substr(s, k + 1)
            } else {
                match(s, /^[^ \t"]+/)
                u = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1)
            }
            if (u !~ /[A-Za-z0-9]/ && u !~ /[^\001-\177]/) continue
            gsub(/"/, "\"\"", u)
            e = e (e == "" ? "" : " ") "\"" u "\""
        }
        if (e == "") e = "\"\""
        gsub(/\047/, "\047\047", e)
        printf "SELECT path FROM t WHERE t MATCH \047%s\047 " \
            "ORDER BY bm25(t) LIMIT 10;\n", e
    }' "$sample" > "$pdir/fts5.q"
    query_ms fts5 0 hits_sqlite sqlite3 "$fts_db" \
        > "$pdir/fts5.qms" || rm -f "$pdir/fts5.qms"
}

peer_dossier || ds_n=
peer_omindex || om_n=
peer_recoll || rc_n=
peer_fts5 || fts_n=

# ------------------------------------------------------------- table
cpu=$(grep -m1 '^model name' /proc/cpuinfo | sed 's/.*: //')
cores=$(nproc)
kernel=$(uname -sr)
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo none; }
xver=$(xapian-config --version 2>/dev/null | sed 's/.* //' ||
       pkgver libxapian30)
when=$(date -u '+%Y-%m-%d %H:%M UTC')
rev=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
nq=$(wc -l < "$sample")

table=$pdir/table.md
{
cat <<EOF
### $when, peers, generated, N=$n, seed $seed

$cpu, $cores cores, $kernel, load average $load at the start;
Xapian $xver, dossier $rev, xapian-omega $(pkgver xapian-omega),
recollcmd $(pkgver recollcmd), sqlite3 $(pkgver sqlite3); $docs files,
$mb MB of text.  Command: \`make bench-peers N=$n SEED=$seed\`.
Build: a full one into a new index; query: mean wall time of one whole
process (top 10) over $runs x $nq unfiltered queries of the mix, and how
many of the $nq found something.

| indexer | docs in index | full build | docs/s | vs dossier-index | index size | query, ms per process | queries with hits |
|---|---:|---|---:|---:|---:|---:|---:|
EOF
row dossier "dossier-index (default -j)" "$ds_n" "$ds_size"
row omindex "omindex (xapian-omega)" "$om_n" "$om_size"
row recoll "recollindex (recollcmd)" "$rc_n" "$rc_size"
row fts5 "SQLite FTS5 (porter)" "$fts_n" "$fts_size"
} > "$table"

cat "$table"
results=bench/RESULTS.md
if [ ! -f "$results" ]; then
    printf '# make bench results\n\nEach run of `make bench` appends its table here (see\ndocs/performance.md).\n' > "$results"
fi
{ echo; cat "$table"; } >> "$results"
say "appended to $results"
