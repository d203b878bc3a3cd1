#!/bin/sh
# eval-like.sh - `make eval`'s more-like-this part: --like on Cranfield
#
# Usage: bench/eval-like.sh EVAL_DIR CONFIG [PROGRAM_DIR [EVALBIN]]
#
# Run by bench/eval.sh after it has converted the collection and indexed
# it under EVAL_DIR (docs/, dossier.db, qrels.trec, queries.tsv).  For
# every query with at least two judged relevant documents, the example is
# its most relevant one (highest gain, then lowest id); the judgements
# without the example are what both runs are scored against:
#   like   dossier-search --like EXAMPLE (leaves the example out itself)
#   title  dossier-search --any "EXAMPLE'S TITLE", the example dropped:
#          what a user types to find more like a document without --like
# and dossier-eval prints the table for the two.
#
# Exit status: 0; 2 when something fails.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu

out=$1
cfg=$2
bin=${3:-.}
evalbin=${4:-build/dossier-eval}

die() { echo "make eval (like): $*" >&2; exit 2; }

[ -d "$out/dossier.db" ] || die "$out: no index (run bench/eval.sh)"

# Example per query: highest gain, then lowest document id; queries with
# fewer than two relevant documents are left out (nothing would remain).
awk '$4 > 0 { n[$1]++
              if (!($1 in best) || $4 > g[$1] ||
                  ($4 == g[$1] && $3 + 0 < best[$1] + 0)) {
                  best[$1] = $3; g[$1] = $4 } }
     END { for (q in best) if (n[q] >= 2) print q, best[q] }' \
    "$out/qrels.trec" | sort -n > "$out/like-examples.txt"
awk 'NR == FNR { ex[$1] = $2; next }
     ($1 in ex) && $3 != ex[$1]' \
    "$out/like-examples.txt" "$out/qrels.trec" > "$out/like-qrels.trec"

mkdir -p "$out/like-runs"
: > "$out/like-runs/like.run"
: > "$out/like-runs/title.run"
tojson() {
    jq -r --arg q "$1" --arg ex "$2" --arg run "$3" '
        [.hits[] | (.path | sub(".*/"; "") | sub("\\.md$"; "")) |
         select(. != $ex)] | to_entries[] |
        [$q, "Q0", .value, (.key + 1), (1000 - .key), $run] | join(" ")'
}
while read -r qid ex; do
    f="$out/docs/$ex.md"
    rc=0
    "$bin/dossier-search" -c "$cfg" -d "$out/dossier.db" --like "$f" \
        --format json -n 100 > "$out/hit.json" || rc=$?
    [ "$rc" -le 1 ] || die "dossier-search --like failed on $f"
    tojson "$qid" "$ex" like < "$out/hit.json" >> "$out/like-runs/like.run"
    title=$(sed -n "s/^title: '\(.*\)'$/\1/p" "$f" | tr -cs 'A-Za-z0-9' ' ')
    rc=0
    "$bin/dossier-search" -c "$cfg" -d "$out/dossier.db" --any \
        --format json -n 101 -- "$title" > "$out/hit.json" || rc=$?
    [ "$rc" -le 1 ] || die "dossier-search failed on the title of $f"
    tojson "$qid" "$ex" title < "$out/hit.json" |
        awk '$4 <= 100' >> "$out/like-runs/title.run"
done < "$out/like-examples.txt"

n=$(wc -l < "$out/like-examples.txt")
echo
echo "More like this: $n queries with two or more relevant documents;" \
     "the most relevant is the example, the rest are judged"
"$evalbin" "$out/like-qrels.trec" "$out/like-runs/like.run" \
    "$out/like-runs/title.run"
