#!/bin/sh
# t70-counts.sh - counts an analyst can trust: exact totals, facet and
# histogram sums equal to them, suggestions only when they help, date:
# errors, histogram units (issue 12)
. "$(dirname "$0")/lib.sh"

CORPUS=$(cd "$FIX/../../corpus" && pwd)
CFG="$FIX/search/search.yaml"
cp -r "$CORPUS" corpus
rm -f corpus/README.md
run index -d db -c "$CFG" --no-progress corpus
check "sample corpus indexes" eq "$rc" 0

s() { search -d db -c "$CFG" "$@"; }
jtotal() { s --format json "$@" | jq -c '[.total, .total_exact]'; }
listed() { s --format paths -n 100000 "$@" | wc -l | tr -d ' '; }

# Exact totals: the count agrees with the list, -n 0 included, with and
# without collapsing.
for q in nato '"Article 5"' security kyiv 'guarantees OR sanctions' ''; do
    cnt=$(listed "$q")
    check "total of '$q' is the list's length ($cnt)" \
        eq "$(jtotal -n 0 "$q")" "[$cnt,true]"
    check "total of '$q' with -n 3" eq "$(jtotal -n 3 "$q")" "[$cnt,true]"
    check "total of '$q' with --offset 5" \
        eq "$(jtotal -n 2 --offset 5 "$q")" "[$cnt,true]"
    all=$(listed --no-collapse "$q")
    check "total of '$q' without collapsing ($all)" \
        eq "$(jtotal -n 0 --no-collapse "$q")" "[$all,true]"
    check "'$q': total_with_duplicates is the uncollapsed total" \
        eq "$(s --format json -n 0 "$q" | jq .total_with_duplicates)" "$all"
done

# An independent count: the files that mention the word (no export file
# or duplicate mentions it).
for w in nasams sevastopol conscription; do
    g=$(grep -rli --include='*.md' --include='*.txt' --include='*.html' \
        "$w" corpus | wc -l | tr -d ' ')
    check "$w: -n 0 counts the $g files grep finds" \
        eq "$(jtotal -n 0 "$w")" "[$g,true]"
    check "$w: -n 1 too" eq "$(jtotal -n 1 "$w")" "[$g,true]"
done

# Text: grammatical, both numbers where collapsing removed some.
cnt=$(listed nato); all=$(listed --no-collapse nato)
run s -n 0 nato
check "text: -n 0 exact with duplicates" \
    has "$out" "$cnt results ($all with duplicates), none shown from 1 in "
check "text: -n 0 exits 0" eq "$rc" 0
run s -n 0 nasams
check "text: no duplicates, one number" \
    has "$out" "6 results, none shown from 1 in "
run s -n 0 trident
check "text: singular" has "$out" "1 result, none shown from 1 in "
run s -n 3 nato
check "text: page line" \
    has "$out" "Results 1-3 of $cnt ($all with duplicates) in "
run s -n 0 --estimate nato
check "--estimate: labelled" has "$out" "about "
check "--estimate: says estimate" has "$out" " results (estimate), none shown"
check "--estimate json: total_exact false" \
    eq "$(s -n 0 --estimate --format json nato | jq .total_exact)" false
run s -n 0 --estimate --facets --format json nato
check "--estimate with --facets: counts stay exact" \
    eq "$(printf '%s' "$out" | jq -c '[.total, .total_exact]')" "[$cnt,true]"

# Facets and histograms count the same collapsed set as the total.
for q in nato '' 'security guarantees'; do
    run s -n 0 --facets --format json "$q"
    t=$(printf '%s' "$out" | jq .total)
    check "facets '$q': months + undated = total" \
        eq "$(printf '%s' "$out" | jq '([.facets.months[].count] | add // 0) + .facets.undated')" "$t"
    for u in day week month year auto; do
        run s -n 0 --histogram $u --format json "$q"
        check "histogram $u '$q': bars + undated = total" \
            eq "$(printf '%s' "$out" | jq '([.histogram.counts[].count] | add // 0) + .histogram.undated')" "$t"
    done
done
run s -n 0 --facets nato
months=$(printf '%s\n' "$out" | sed -n '/^Months:/,/^[^ ]/p' | grep '^  ' |
         awk '{ s += $1 } END { print s }')
check "facets text: the month lines add up to the total" eq "$months" "$cnt"

# Histogram units.
unit() { _u=$1; shift; s -n 0 --histogram "$_u" --format json "$@" | jq -r .histogram.unit; }
run s -n 0 --histogram week --format json nato
check "week: ISO labels" \
    eq "$(printf '%s' "$out" | jq -r '[.histogram.counts[].value | test("^[0-9]{4}-W[0-9]{2}$")] | all')" true
check "week: quiet weeks as zero bars" \
    eq "$(printf '%s' "$out" | jq '[.histogram.counts[] | select(.count == 0)] | length > 0')" true
check "week: unit" eq "$(printf '%s' "$out" | jq -r .histogram.unit)" week
run s -n 0 --histogram day --format json --since 2022-04 --until 2022-06 ''
check "day: one bar a day from the first match to the last" \
    eq "$(printf '%s' "$out" | jq -r '.histogram.counts | (length > 0) and (.[0].value | test("^2022-0[4-6]-[0-9]{2}$"))')" true
check "auto: a span of a few weeks gives days" \
    eq "$(unit auto --since 2022-04 --until 2022-05 '')" day
check "auto: a year gives weeks" \
    eq "$(unit auto --since 2022-01 --until 2022-12 '')" week
check "auto: a few years give months" \
    eq "$(unit auto --since 2020 --until 2024 '')" month
check "auto: over ten years gives years" eq "$(unit auto '')" year
run s -n 0 --histogram week nato
check "week: text heading" has "$out" "Matches per week:"
run s --histogram fortnight ''
check "bad unit: exit 2" eq "$rc" 2
check "bad unit: names the choices" \
    has "$err" "expected day, week, month, year or auto"

# Suggestions: only when the search finds (almost) nothing and the
# correction finds more.
run s sevastopl
check "misspelt: suggested" has "$out" "Did you mean: sevastopol"
check "misspelt: exit 1" eq "$rc" 1
run s --format json '"air defnce"'
check "misspelt inside a phrase that cannot match: suggested" \
    eq "$(printf '%s' "$out" | jq -r .suggestion)" '"air defence"'
run s patriot kherson
check "indexed words: no suggestion" hasnt "$out" "Did you mean"
check "indexed words: exit 1" eq "$rc" 1
run s attach
check "an indexed word is never corrected (attach, not attack)" \
    hasnt "$out" "Did you mean"
check "an indexed word: exit 0" eq "$rc" 0
run s 'Patriot "air defence"'
check "phrase that matched: no suggestion" hasnt "$out" "Did you mean"
check "phrase that matched: exit 0" eq "$rc" 0
run s thr kherson
check "never a stopword" hasnt "$out" "Did you mean: the"
run s zelensky
check "a synonym is not misspelt" hasnt "$out" "Did you mean"
check "a synonym: exit 0" eq "$rc" 0
run s --any nato securty
check "enough matches: no suggestion" hasnt "$out" "Did you mean"
run s 'title:sevastopl'
check "fields are not corrected" hasnt "$out" "Did you mean"
run s --since 2030 sevastopl
check "no suggestion when it finds no more" hasnt "$out" "Did you mean"

# date: values.
run s date:foo
check "date:foo: exit 2" eq "$rc" 2
check "date:foo: one line naming it" \
    eq "$(printf '%s\n' "$err" | grep -c .)" 1
check "date:foo: message" \
    has "$err" "dossier-search: date:foo: invalid date 'foo'"
check "date:foo: no suggestion, no results" eq "$out" ""
run s nato date:2025-13
check "date:2025-13: exit 2" eq "$rc" 2
check "date:2025-13: message" \
    has "$err" "dossier-search: date:2025-13: invalid date '2025-13'"
run s 'date:2025..2024'
check "reversed date range: exit 2" eq "$rc" 2
check "reversed date range: message" has "$err" "'2025' is after '2024'"
check "date:2025-08 is that month" \
    eq "$(jtotal -n 0 date:2025-08)" "$(jtotal -n 0 --since 2025-08 --until 2025-08 '')"
check "date:2022 nato is that year" \
    eq "$(jtotal -n 0 'nato date:2022')" "$(jtotal -n 0 --since 2022 --until 2022 nato)"
check "a phrase holding date: is text" \
    eq "$(s -n 0 '"date:foo"' > /dev/null 2>&1; echo $?)" 1
finish
