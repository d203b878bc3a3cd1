#!/bin/sh
# eval.sh - `make eval`: dossier's ranking on a test collection, beside peers
#
# Usage: bench/eval.sh COLLECTION [BUILD_DIR [PROGRAM_DIR]]
#
# COLLECTION is a directory in the Cranfield layout (cran.all.1400 with .I
# .T .A .B .W fields, cran.qry, cranqrel).  The script converts it under
# BUILD_DIR/eval/ into Markdown files with front matter (title, author;
# body = the abstract), TREC qrels and a query list; indexes the files with
# dossier-index; runs every query through
# `dossier-search --any --format json -n 100`; builds the two peers over the
# same files -- quest (xapian-tools) over a minimal Xapian index made by
# eval-baseindex, and SQLite FTS5 bm25 with the porter tokenizer -- and
# prints dossier-eval's table for the three runs, all in this one run.
#
# Relevance: cranqrel numbers queries 1..225 by their position in cran.qry,
# not by cran.qry's .I ids, so queries are numbered by position here too.
# Its codes run 1 (complete answer) to 4 (minimum interest), and -1 (one
# line per query, undocumented) is not relevant; graded gains are 5 - code
# (complete answer = 4), -1 gives 0.  Binary metrics count every gain > 0.
#
# Query text: every character but letters and digits becomes a space, so
# no peer's query syntax (parentheses, quotes, +/-, '.') sees anything but
# words; the same words go to all three systems.
#
# Environment: EVAL_CONFIG, a dossier config file to rank with (default:
# the built-in defaults, whatever ./dossier.yaml or ~/.config hold);
# EVAL_PER_QUERY=1 also prints per-query rows; EVAL_PEERS=0 skips quest
# and FTS5 (for tuning runs: the peers do not change with dossier's config).
#
# Then bench/eval-like.sh scores --like (more like this) against a
# search for the example's title on the same index (EVAL_LIKE=0 skips
# it).
#
# Exit status: 0; 2 when the collection is missing or something fails.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

coll=${1:-}
build=${2:-build}
bin=${3:-.}
me=eval

die() { echo "make $me: $*" >&2; exit 2; }

if [ -z "$coll" ]; then
    die "no collection: ../shared/corpora/cranfield is not here; pass" \
        "COLLECTION=DIR (a directory holding cran.all.1400, cran.qry and" \
        "cranqrel)"
fi
for f in cran.all.1400 cran.qry cranqrel; do
    [ -r "$coll/$f" ] || die "$coll: no readable $f (expected the" \
        "Cranfield layout: cran.all.1400, cran.qry, cranqrel)"
done
for p in quest sqlite3 jq; do
    command -v "$p" >/dev/null 2>&1 || die "$p not found (make eval checks" \
        "its Debian packages first)"
done

out="$build/eval"
rm -rf "$out"
mkdir -p "$out/docs" "$out/runs"
out=$(cd "$out" && pwd)
evalbin="$build/dossier-eval"
baseindex="$build/eval-baseindex"

# ---------------------------------------------------------------- convert
# Documents: one Markdown file per .I, named by its id (the run's docid).
# Titles go into single-quoted YAML ('' for ').
awk -v dir="$out/docs" '
function flush() {
    if (id == "") return
    gsub(/[ \t]+/, " ", title); sub(/^ /, "", title); sub(/ $/, "", title)
    gsub(/[ \t]+/, " ", author); sub(/^ /, "", author); sub(/ $/, "", author)
    gsub(/\047/, "\047\047", title); gsub(/\047/, "\047\047", author)
    f = dir "/" id ".md"
    printf "---\ntitle: \047%s\047\n", title > f
    if (author != "") printf "author: \047%s\047\n", author > f
    printf "---\n%s", body > f
    close(f)
}
/^\.I / { flush(); id = $2 + 0; title = author = body = ""; field = ""; next }
/^\.[TABW]$/ { field = substr($0, 2, 1); next }
{
    if (field == "T") title = title " " $0
    else if (field == "A") author = author " " $0
    else if (field == "W") body = body $0 "\n"
}
END { flush() }
' "$coll/cran.all.1400"

# Queries: numbered by position; query text reduced to words.
awk '
function flush() {
    if (n == 0) return
    q = tolower(q)
    gsub(/[^a-z0-9]+/, " ", q); sub(/^ /, "", q); sub(/ $/, "", q)
    printf "%d\t%s\n", n, q
}
/^\.I / { flush(); n++; q = ""; inw = 0; next }
/^\.W$/ { inw = 1; next }
inw { q = q " " $0 }
END { flush() }
' "$coll/cran.qry" > "$out/queries.tsv"

awk 'NF >= 3 { g = ($3 >= 1 && $3 <= 4) ? 5 - $3 : 0
               printf "%s 0 %s %d\n", $1, $2, g }' \
    "$coll/cranqrel" > "$out/qrels.trec"

n_docs=$(ls "$out/docs" | wc -l)
n_queries=$(wc -l < "$out/queries.tsv")

# ---------------------------------------------------------------- dossier
cfg=${EVAL_CONFIG:-}
if [ -z "$cfg" ]; then
    cfg="$out/defaults.yaml"
    echo "# built-in defaults" > "$cfg"
fi
"$bin/dossier-index" -c "$cfg" -d "$out/dossier.db" --no-progress -q \
    "$out/docs" >/dev/null || die "dossier-index failed"

: > "$out/runs/dossier.run"
while IFS='	' read -r qid q; do
    rc=0
    "$bin/dossier-search" -c "$cfg" -d "$out/dossier.db" --any \
        --format json -n 100 -- "$q" > "$out/hit.json" || rc=$?
    [ "$rc" -le 1 ] || die "dossier-search failed on query $qid: '$q'"
    jq -r --arg q "$qid" '.hits[] | [$q, "Q0",
        (.path | sub(".*/"; "") | sub("\\.md$"; "")), .rank, .score,
        "dossier"] | join(" ")' "$out/hit.json" >> "$out/runs/dossier.run"
done < "$out/queries.tsv"

runs="$out/runs/dossier.run"
if [ "${EVAL_PEERS:-1}" != 0 ]; then
runs="$runs $out/runs/quest.run $out/runs/fts5.run"

# ---------------------------------------------------------------- quest
find "$out/docs" -name '*.md' | sort | "$baseindex" "$out/base.db" ||
    die "eval-baseindex failed"
: > "$out/runs/quest.run"
while IFS='	' read -r qid q; do
    quest -d "$out/base.db" -m 100 -- "$q" |
        awk -v q="$qid" '
            /^[0-9]+: \[/ { w = $2; gsub(/[\[\]]/, "", w); want = 1; next }
            want { printf "%s Q0 %s %d %s quest\n", q, $0, ++r, w; want = 0 }
        ' >> "$out/runs/quest.run"
done < "$out/queries.tsv"

# ---------------------------------------------------------------- FTS5
# One SQL script: the table, the documents as INSERTs, then one SELECT a
# query (words quoted and ORed, so FTS5 ranks any-word matches by bm25;
# bm25() is lower for better matches, so the run's score is its negation).
{
    echo "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body,"
    echo "    tokenize = 'porter unicode61');"
    echo "BEGIN;"
    for f in "$out"/docs/*.md; do
        awk -v id="$(basename "$f" .md)" '
            NR == 1 && $0 == "---" { fm = 1; next }
            fm && $0 == "---" { fm = 0; next }
            fm && /^title: / { t = substr($0, 8); next }
            fm { next }
            { b = b $0 "\n" }
            END {
                # t is single-quoted YAML: already valid as an SQL string.
                gsub(/\047/, "\047\047", b)
                printf "INSERT INTO docs VALUES(\047%s\047, %s, \047%s\047);\n",
                    id, t == "" ? "\047\047" : t, b
            }' "$f"
    done
    echo "COMMIT;"
    echo ".mode list"
    echo ".separator ' '"
    awk -F '\t' '{
        n = split($2, w, " "); e = ""
        for (i = 1; i <= n; i++) e = e (i > 1 ? " OR " : "") "\"" w[i] "\""
        if (e == "") next
        printf "SELECT \047%s\047, id, -bm25(docs) FROM docs WHERE docs MATCH \047%s\047 ORDER BY rank LIMIT 100;\n", $1, e
    }' "$out/queries.tsv"
} > "$out/fts5.sql"
rm -f "$out/fts5.sqlite"
sqlite3 -bail "$out/fts5.sqlite" < "$out/fts5.sql" > "$out/fts5.out" ||
    die "sqlite3 failed (FTS5 run)"
awk '{ r = ($1 == q) ? r + 1 : 1; q = $1
       printf "%s Q0 %s %d %s fts5\n", $1, $2, r, $3 }' \
    "$out/fts5.out" > "$out/runs/fts5.run"
fi

# ---------------------------------------------------------------- report
echo "Collection: $coll ($n_docs documents, $n_queries queries;" \
     "relevance: cranqrel, gain 5 - code)"
echo "dossier: $("$bin/dossier-search" --version), --any -n 100," \
     "config: ${EVAL_CONFIG:-built-in defaults}"
echo
if [ "${EVAL_PER_QUERY:-0}" = 1 ]; then
    # shellcheck disable=SC2086
    "$evalbin" -q "$out/qrels.trec" $runs
    echo
fi
# shellcheck disable=SC2086
"$evalbin" "$out/qrels.trec" $runs | tee "$out/table.md"

# The bars of issue 8, checked on this run's figures.
awk -F '|' '
    $2 ~ /dossier/ { dm = $4 + 0; dn = $6 + 0 }
    $2 ~ /quest|fts5/ { if ($4 + 0 > pm) { pm = $4 + 0; pn = $2 } }
    END {
        gsub(/ /, "", pn)
        r = pm ? dm / pm : 0
        printf("\nbars: nDCG@20 (bin) %.4f %s 0.47; MAP %.4f = %.2fx %s" \
               " (%s 1.10x)\n", dn, (dn >= 0.47 ? ">=" : "<"), dm, r, pn,
               (r >= 1.1 ? ">=" : "<"))
    }' "$out/table.md"

# More like this (issue 15): --like against the example's title.
if [ "${EVAL_LIKE:-1}" != 0 ]; then
    sh "$(dirname "$0")/eval-like.sh" "$out" "$cfg" "$bin" "$evalbin"
fi
