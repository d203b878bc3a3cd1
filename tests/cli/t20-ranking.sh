#!/bin/sh
# t20-ranking.sh - ranking quality on the field's own queries
#
# Indexes corpus/ with the built-in defaults, runs the twenty queries of
# tests/ranking/ (best match with --any, and the default AND), and checks
# nDCG@10 with dossier-eval against thresholds set just below the figures
# reached, so a ranking regression fails the suite.
RANK=$(cd "$(dirname "$0")/../ranking" && pwd)
CORPUS=$(cd "$(dirname "$0")/../../corpus" && pwd)
. "$(dirname "$0")/lib.sh"
# Measured with the defaults of config/config.c (see bench/EVAL.md).
MIN_ANY=0.91
MIN_AND=0.67

run index -d db --no-progress "$CORPUS"
check "corpus indexes" eq "$rc" 0

# runfile MODE...: one TREC run over the queries, a syndicated copy scored
# as its original (tests/ranking/copies.tsv).
runfile() {
    while IFS='	' read -r qid q; do
        search -d db --format json -n 20 "$@" -- "$q" |
            jq -r --arg q "$qid" '.hits[] | [$q, "Q0",
                ((.path | sub(".*/corpus/"; "")) +
                 (if .id then "#" + .id else "" end)),
                .rank, .score, "dossier"] | join(" ")'
    done < "$RANK/queries.tsv" |
        awk 'NR == FNR { copy[$1] = $2; next }
             ($3 in copy) { $3 = copy[$3] } { print }' \
            FS='\t' "$RANK/copies.tsv" FS=' ' -
}

runfile --any > any.run
runfile > and.run
check "every query finds something (--any)" \
    eq "$(cut -d' ' -f1 any.run | sort -u | wc -l)" 20

run "$EVAL_BIN" -m ndcg10 "$RANK/qrels.tsv" any.run
echo "# nDCG@10 --any: $out (threshold $MIN_ANY)"
check "nDCG@10 with --any >= $MIN_ANY" \
    awk -v v="$out" -v m="$MIN_ANY" 'BEGIN { exit !(v != "" && v >= m) }'
run "$EVAL_BIN" -m ndcg10 "$RANK/qrels.tsv" and.run
echo "# nDCG@10 AND: $out (threshold $MIN_AND)"
check "nDCG@10 with AND >= $MIN_AND" \
    awk -v v="$out" -v m="$MIN_AND" 'BEGIN { exit !(v != "" && v >= m) }'
finish
