#!/bin/sh
# t20-ranking.sh - ranking quality on the field's own queries
#
# Indexes corpus/ with the built-in defaults, runs the queries of
# tests/ranking/ (twenty English, seventeen Ukrainian, Russian and
# cross-script since issue 13) (best match with --any, and the default AND), and checks
# nDCG@10 with dossier-eval against thresholds set just below the figures
# reached, so a ranking regression fails the suite.  The mean alone let
# BM25 with b=0 or k1=100, or --any without query expansion, pass (0.915,
# 0.919, 0.914 against 0.91): each --any query also has its own floor
# (tests/ranking/floors-any.tsv, the figure reached less 0.005, cut to two
# decimals), and expansion (search.expansion.docs: 0 turns it off) must
# change the rankings and raise the mean.
RANK=$(cd "$(dirname "$0")/../ranking" && pwd)
CORPUS=$(cd "$(dirname "$0")/../../corpus" && pwd)
. "$(dirname "$0")/lib.sh"
# Measured with the defaults of config/config.c (see bench/EVAL.md).
# With the Ukrainian and Russian documents and queries of issue 13: 0.906
# and 0.731 (the twenty English queries alone, on the old corpus, rank
# exactly as before; the new documents move idf and lengths).  With the
# five reports of issue 14 (corpus/reports/): 0.906 and 0.727; query 19's
# two judged documents swap places (0.9526, floor 0.94), no report in its
# top ten.
MIN_ANY=0.90
MIN_AND=0.72

run index -d db --no-progress "$CORPUS"
check "corpus indexes" eq "$rc" 0

# runfile MODE...: one TREC run over the queries, a syndicated copy scored
# as its original (tests/ranking/copies.tsv).
runfile() {
    while IFS='	' read -r qid q; do
        search -d db --format json -n 20 "$@" -- "$q" < /dev/null |
            jq -r --arg q "$qid" '.hits[] | [$q, "Q0",
                ((.path | sub(".*/corpus/"; "")) +
                 (if .id then "#" + .id else "" end)),
                .rank, .score, "dossier"] | join(" ")'
    done < "$RANK/queries.tsv" |
        awk 'NR == FNR { copy[$1] = $2; next }
             ($3 in copy) { $3 = copy[$3] } { print }' \
            FS='\t' "$RANK/copies.tsv" FS=' ' -
}

printf 'search:\n  expansion:\n    docs: 0\n' > noexp.yaml
runfile --any > any.run
runfile > and.run
runfile --any -c noexp.yaml > noexp.run
check "every query finds something (--any)" \
    eq "$(cut -d' ' -f1 any.run | sort -u | wc -l)" \
    "$(wc -l < "$RANK/queries.tsv" | tr -d ' ')"

run "$EVAL_BIN" -m ndcg10 "$RANK/qrels.tsv" any.run
echo "# nDCG@10 --any: $out (threshold $MIN_ANY)"
check "nDCG@10 with --any >= $MIN_ANY" \
    awk -v v="$out" -v m="$MIN_ANY" 'BEGIN { exit !(v != "" && v >= m) }'

# Per query, --any (dossier-eval -q: run, qid, MAP, nDCG@10, ...).
"$EVAL_BIN" -q "$RANK/qrels.tsv" any.run |
    awk -F'\t' '$2 ~ /^[0-9]+$/ { print $2 "\t" $4 }' | sort > any.q
sort "$RANK/floors-any.tsv" > floors.q
check "a per-query figure for every query with a floor" \
    eq "$(cut -f1 any.q | tr '\n' ' ')" "$(cut -f1 floors.q | tr '\n' ' ')"
below=$(join -t '	' any.q floors.q |
    awk -F'\t' '$2 < $3 { printf "q%s %s < %s; ", $1, $2, $3 }')
echo "# per-query nDCG@10 --any: $(tr '\t\n' '= ' < any.q)"
check "every query's nDCG@10 with --any at or above its floor" eq "$below" ""

# Query expansion: --any without it ranks differently, and worse.
differ() { [ -s "$1" ] && [ -s "$2" ] && ! cmp -s "$1" "$2"; }
check "expansion changes the --any rankings" differ any.run noexp.run
run "$EVAL_BIN" -m ndcg10 "$RANK/qrels.tsv" noexp.run
noexp=$out
run "$EVAL_BIN" -m ndcg10 "$RANK/qrels.tsv" any.run
echo "# nDCG@10 --any without expansion: $noexp, with: $out"
check "expansion raises nDCG@10 with --any" \
    awk -v w="$out" -v wo="$noexp" 'BEGIN { exit !(w != "" && wo != "" && w > wo) }'

run "$EVAL_BIN" -m ndcg10 "$RANK/qrels.tsv" and.run
echo "# nDCG@10 AND: $out (threshold $MIN_AND)"
check "nDCG@10 with AND >= $MIN_AND" \
    awk -v v="$out" -v m="$MIN_AND" 'BEGIN { exit !(v != "" && v >= m) }'
finish
