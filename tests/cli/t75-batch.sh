#!/bin/sh
# t75-batch.sh - --batch (a list of queries to a table of counts), the
# CSV and JSON Lines exports with --fields, NEAR/ADJ with wildcards and
# fields, and the JSON field names the man page lists (issue 15)
. "$(dirname "$0")/lib.sh"

C=$(cd "$FIX/../../corpus" && pwd)
MAN=$(cd "$FIX/../../man" && pwd)
run index -d db --no-progress "$C"
check "sample corpus indexes" eq "$rc" 0
s() { search -d db "$@"; }
# total QUERY [OPTIONS...]: the single search's total, or "failed".
total() {
    _q=$1; shift
    jsearch -d db -n 0 "$@" -- "$_q" | jq -r .total || echo failed
}

# ------------------------------------------------------------ --batch
printf '%s\n' NATO ceasefire '' Stoltenberg '"security guarantees"' \
    'zzzqqqnothing' 'guarant* NEAR/5 secur*' > names.txt
run s --batch names.txt
check "batch: exit 0, nothing on stderr" eq "$rc|$err" "0|"
check "batch: CSV header" eq "$(printf '%s\n' "$out" | sed -n 1p)" \
    "query,count,first_date,last_date,top_1,top_2,top_3"
check "batch: one row per query, the blank line skipped" \
    eq "$(printf '%s\n' "$out" | wc -l)" 7
printf '%s\n' "$out" > batch.csv
# The counts are the single searches' totals.  Queries with quotes are
# read from the row's first cell with the CSV quoting undone.
row_count() {   # QUERY: the count of its row in batch.csv
    awk -v q="$1" -F, 'NR > 1 {
        line = $0; cell = ""
        if (substr(line, 1, 1) == "\"") {
            i = 2
            while (i <= length(line)) {
                c = substr(line, i, 1)
                if (c == "\"" && substr(line, i + 1, 1) == "\"") { cell = cell "\""; i += 2; continue }
                if (c == "\"") break
                cell = cell c; i++
            }
            rest = substr(line, i + 2)
        } else { cell = $1; rest = substr(line, length($1) + 2) }
        split(rest, f, ",")
        if (cell == q) print f[1]
    }' batch.csv
}
for q in NATO ceasefire Stoltenberg '"security guarantees"' zzzqqqnothing \
         'guarant* NEAR/5 secur*'; do
    same "batch: '$q' counts as the single search" "$(row_count "$q")" \
        "$(total "$q")"
done
check "batch: a query that finds nothing is a row of 0" \
    eq "$(grep '^zzzqqqnothing,' batch.csv)" "zzzqqqnothing,0,,,,,"
# Without date columns the sorted runs are skipped; the rest is the same.
run s --batch names.txt --fields query,count
same "batch: without the date columns, the same rows" "$out" \
    "$(cut -d, -f1,2 batch.csv)"
# First and last dates: the single search's oldest and newest match.
first=$(s --format json --sort oldest -n 1 ceasefire | jq -r '.hits[0].date')
last=$(s --format json --sort newest -n 1 ceasefire | jq -r '.hits[0].date')
same "batch: first and last date of the matches" \
    "$(grep '^ceasefire,' batch.csv | cut -d, -f3,4)" "$first,$last"
same "batch: top three are the single search's first three paths" \
    "$(grep '^Stoltenberg,' batch.csv | cut -d, -f5)" \
    "$(s --format paths -n 3 Stoltenberg)"
ceasefire_top=$(s --format paths -n 3 ceasefire | tr '\n' ',')
same "batch: top three in rank order" \
    "$(grep '^ceasefire,' batch.csv | cut -d, -f5-7),"  "$ceasefire_top"

# The command line's filters apply to every query.
run s --batch names.txt --author whitfield --since 2022
check "batch with filters: exit 0" eq "$rc|$err" "0|"
printf '%s\n' "$out" > filtered.csv
same "batch: --author/--since apply (NATO)" \
    "$(grep '^NATO,' filtered.csv | cut -d, -f2)" \
    "$(total NATO --author whitfield --since 2022)"
check "batch: the filter changes the count" \
    test "$(grep '^NATO,' filtered.csv | cut -d, -f2)" -lt \
    "$(grep '^NATO,' batch.csv | cut -d, -f2)"

# CSV with a header naming the query column; quoted cells, CRLF, a BOM.
printf '\357\273\277id,query,note\r\n1,"Stoltenberg, Jens",x\r\n2,"ceasefire ""security guarantees""",y\r\n3,NATO AND summit,z\r\n' > list.csv
run s --batch list.csv --fields line,query,count
check "CSV input: exit 0" eq "$rc|$err" "0|"
check "CSV input: the query column, quotes undone, line numbers" \
    eq "$out" "line,query,count
2,\"Stoltenberg, Jens\",$(total 'Stoltenberg, Jens')
3,\"ceasefire \"\"security guarantees\"\"\",$(total 'ceasefire "security guarantees"')
4,NATO AND summit,$(total 'NATO AND summit')"
printf 'query\tnote\nceasefire\tx\n' > list.tsv
run s --batch list.tsv --fields query,count
check "TSV input with a header" eq "$out" "query,count
ceasefire,$(total ceasefire)"

# A bad line is named with its number; the others run; exit 2.
printf '%s\n' NATO 'date:foo nato' ceasefire 'nato NEAR/0 summit' > bad.txt
run s --batch bad.txt --fields query,count
check "bad lines: exit 2" eq "$rc" 2
check "bad lines: the good ones ran" eq "$out" "query,count
NATO,$(total NATO)
ceasefire,$(total ceasefire)"
check "bad lines: one message each, with file and line" \
    eq "$(printf '%s\n' "$err" | cut -d: -f1-4)" \
    "dossier-search: bad.txt:2: date
dossier-search: bad.txt:4: query 'nato NEAR/0 summit'"
printf 'NATO\nnot\377utf8\n' > enc.txt
run s --batch enc.txt --fields query
check "invalid UTF-8: named, exit 2" \
    eq "$rc|$err" "2|dossier-search: enc.txt:2: invalid UTF-8 in the query"

# Standard input, JSON Lines, exit 1 when no query finds anything.
run sh -c "printf 'ceasefire\n' | '$BIN/dossier-search' -d db --batch - --format jsonl"
check "stdin, JSON Lines: exit 0" eq "$rc|$err" "0|"
check "JSON Lines: the row's fields" \
    eq "$(printf '%s\n' "$out" | jq -c '[keys_unsorted, .query, .count, (.top | length)]')" \
    "[[\"query\",\"count\",\"first_date\",\"last_date\",\"top\"],\"ceasefire\",$(total ceasefire),3]"
run sh -c "printf 'zzzqqq\n\nqqqzzz\n' | '$BIN/dossier-search' -d db --batch -"
check "nothing found by any query: exit 1" eq "$rc|$err" "1|"
run sh -c "printf 'ok\ndate:2025-13\n' | '$BIN/dossier-search' -d db --batch -"
check "stdin's lines are named '(standard input)'" \
    has "$err" "dossier-search: (standard input):2: date:2025-13: "
run s --batch missing.txt
check "missing batch file: one line, exit 2" \
    eq "$rc|$err" "2|dossier-search: missing.txt: cannot open: No such file or directory"
run s --batch names.txt nato
check "--batch with a query: exit 2" eq "$rc" 2
check "--batch with a query: says why" \
    has "$err" "dossier-search: --batch: cannot be combined with a query"
run s --batch names.txt --chart c.svg
check "--batch with --chart: exit 2, says why, no chart written" \
    eq "$rc|$err|$(test -e c.svg && echo written)" \
    "2|dossier-search: --batch: cannot be combined with --chart; try 'dossier-search --help'|"
run s --format csv --histogram-by author nato
check "--format csv --histogram-by: exit 2" eq "$rc" 2
run s --batch names.txt --format json
check "--batch --format json: exit 2" eq "$rc" 2
run s --batch names.txt --fields query,nope
check "--batch --fields: unknown field, exit 2" \
    eq "$rc|$(printf '%s' "$err" | cut -c1-52)" \
    "2|dossier-search: --fields: unknown field 'nope' (expe"
run s --batch names.txt -n 1 --fields query,top
check "-n sets how many paths" \
    eq "$(printf '%s\n' "$out" | sed -n 1p)" "query,top_1"
run s --batch names.txt -n 0
check "-n 0: no top columns" \
    eq "$(printf '%s\n' "$out" | sed -n 1p)" "query,count,first_date,last_date"
# A plain list whose first line has a comma and a stray quote: not a
# header, and the lines after it are still read one by one.
printf '%s\n' '"Stoltenberg, Jens' ceasefire > stray.txt
run s --batch stray.txt --fields line,count
check "a stray quote on the first line does not swallow the rest" \
    eq "$rc|$out" "0|line,count
1,$(total '"Stoltenberg, Jens')
2,$(total ceasefire)"

# ------------------------------------------------------------ exports
same "jsonl hits are the json hits, one a line" \
    "$(s --format jsonl -n 5 nato | jq -c .)" \
    "$(jsearch -d db -n 5 nato | jq -c '.hits[]')"
run s --format csv -n 5 nato
check "csv: exit 0" eq "$rc|$err" "0|"
check "csv: header names the json hit fields" \
    eq "$(printf '%s\n' "$out" | sed -n 1p)" \
    "rank,docid,score,path,id,line,title,authors,date,source,url,snippet,duplicates,lang,page,forwarded_from,reply_to"
check "csv: a header and five rows" eq "$(printf '%s\n' "$out" | wc -l)" 6
run s --format csv --fields rank,date,path -n 3 --sort oldest ceasefire
check "--fields picks and orders the columns" eq "$out" "rank,date,path
$(s --format json --sort oldest -n 3 ceasefire |
  jq -r '.hits[] | "\(.rank),\(.date),\(.path)"')"
run s --format jsonl --fields title,line -n 1 ceasefire
check "--fields in jsonl: the keys asked for, null when absent" \
    eq "$(printf '%s' "$out" | jq -c 'keys_unsorted, .line')" \
    '["title","line"]
null'
run s --format csv --fields rank,bogus nato
check "--fields: unknown field, exit 2, one line" \
    eq "$rc|$(printf '%s\n' "$err" | wc -l)" "2|1"
check "--fields: the message names the field" \
    has "$err" "dossier-search: --fields: unknown field 'bogus' (expected rank, docid,"
run s --fields rank nato
check "--fields without csv/jsonl: exit 2" eq "$rc" 2
run s --format csv --facets nato
check "--format csv --facets: exit 2" eq "$rc" 2

# Quoting and spreadsheet formulas: a hostile document.
mkdir hostile
printf -- '---\ntitle: "=HYPERLINK(\\"http://evil.example\\", \\"click\\")"\nauthor: "@Mallory, Eve"\ndate: 2025-01-02\n---\nformulaword text.\n' > hostile/formula.md
run index -d db --no-progress hostile
run s --format csv --fields title,authors formulaword
check "csv: a formula gets a leading quote, quotes doubled" \
    eq "$(printf '%s\n' "$out" | sed -n 2p)" \
    "\"'=HYPERLINK(\"\"http://evil.example\"\", \"\"click\"\")\",\"'@Mallory, Eve\""
# First and last date leave undated matches out.
printf -- '---\ntitle: "No date"\n---\nformulaword undated.\n' > hostile/undated.md
run index -d db --no-progress hostile
printf 'formulaword\n' > fw.txt
run s --batch fw.txt --fields count,first_date,last_date
check "batch: undated matches count but give no date" \
    eq "$rc|$out" "0|count,first_date,last_date
2,2025-01-02,2025-01-02"
printf '%s\n' '-nato summit' > minus.txt
run s --batch minus.txt --fields query
check "batch csv: a query starting with - is guarded too" \
    eq "$(printf '%s\n' "$out" | sed -n 2p)" "\"'-nato summit\""

# ------------------------------------------------------------ NEAR/ADJ
# Hand-checked in the sample corpus: "guarantees after a ceasefire"
# (notes, distance 3); "...centre of guarantees" then, across a
# heading, "A ceasefire without air defence" (the air-defence article,
# distance 2); "ceasefire, Article 5 like guarantee" (the scraped web
# page, distance 4).  grep -c cannot count words across lines.
near() { s --no-collapse --format paths -n 50 "$1" | sed 's|.*/corpus/||' | sort; }
N2=notes/2025-04-notes-reassurance-force-open-questions.txt
A2=articles/2026/2026-10-air-defence-backbone-of-any-settlement.md
W4=web/2025-08-scraped-reassurance-force-security-guarantees.txt
same "NEAR/3 with a wildcard: the two within three words" \
    "$(near 'ceasefire NEAR/3 guarantee*')" "$(printf '%s\n' "$A2" "$N2")"
same "NEAR/4 with a wildcard: and the one four words apart" \
    "$(near 'ceasefire NEAR/4 guarantee*')" \
    "$(printf '%s\n' "$A2" "$N2" "$W4" | sort)"
same "the wildcard finds 'guarantee' where the word finds only 'guarantees'" \
    "$(near 'ceasefire NEAR/4 guarantees')" "$(printf '%s\n' "$A2" "$N2")"
run s -n 0 'ceasefire ADJ/3 guarantee*'
check "ADJ keeps the order: none with ceasefire first" no_hits
same "ADJ in the written order" \
    "$(near 'guarantee* ADJ/3 ceasefire')" "$(printf '%s\n' "$A2" "$N2")"
same "fields inside NEAR: title:word* NEAR title:word" \
    "$(near 'title:guarantee* NEAR/3 title:ceasefire')" "$N2"
same "NEAR with wildcards inside a larger query" \
    "$(total '(guarant* NEAR/5 secur*) AND wales')" "4"
check "NEAR counts fewer than AND" test "$(total 'guarant* NEAR/5 secur*')" \
    -lt "$(total 'guarant* secur*')"
run s 'nato NEAR/0 summit'
check "NEAR/0: exit 2" eq "$rc" 2
check "NEAR/0: an error, not a search for 'near'" \
    has "$err" "dossier-search: query 'nato NEAR/0 summit': NEAR and ADJ take one word on each side"
run s 'nato NEAR'
check "NEAR without a right side: exit 2" eq "$rc" 2
run s 's* NEAR/3 t*'
check "too many combinations: exit 2, one line" \
    eq "$rc|$(printf '%s\n' "$err" | wc -l)" "2|1"
check "too many combinations: says so" has "$err" "too many words"
run s -n 0 'near east'
check "near as a lower-case word is a word" eq "$rc|$err" "0|"

# ------------------------------------------------------------ JSON
# Every key of every JSON output is named in dossier-search(1).
{
    s --format json --facets --histogram month -n 2 ceasefire
    s --format json -n 1 '"Explosions reported in Kyiv"'
    s --format json --stats
    s --batch names.txt --format jsonl --fields line,query,count,first_date,last_date,top
} | jq -r '[paths | .[] | strings] | .[]' | sort -u > keys.txt
grep -E '^\.(B|BR|RB|BI) ' "$MAN/dossier-search.1" | tr -c 'a-z_' '\n' |
    sort -u > manwords.txt
missing=$(comm -23 keys.txt manwords.txt | tr '\n' ' ')
check "json: $(wc -l < keys.txt) keys, each in the man page" eq "$missing" ""

finish
