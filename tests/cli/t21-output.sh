#!/bin/sh
# t21-output.sh - what dossier-search shows: text, colour, JSON, paths,
# hostile text, collapse, facets, histogram, synonyms, spelling, --stats
. "$(dirname "$0")/lib.sh"

CFG="$FIX/search/search.yaml"
cp -r "$FIX/search/docs" docs
# A hostile document: ESC sequences, BEL, BS and a right-to-left override
# in the title, the author and the body.
ESC=$(printf '\033'); BEL=$(printf '\007'); BS=$(printf '\010')
RLO=$(printf '\342\200\256')
printf -- '---\ntitle: "Hostile \\e[31mred\\e[0m title\\a\\b\\u202Eevil"\nauthor: "Eve \\e[1mbold\\a Mallory"\ndate: 2022-02-24\n---\nhostileword text \033[2J cleared \007 bell \010 back %s reversed.\n' "$RLO" > docs/hostile.md
run index -d db -c "$CFG" --no-progress docs
check "fixtures index" eq "$rc" 0

s() { search -d db -c "$CFG" "$@"; }

# Text output.
run s ceasefire
check "text exits 0" eq "$rc" 0
line1=$(printf '%s\n' "$out" | sed -n 1p)
check "text: rank, date, authors" eq "$line1" "  1. 2025-03-10  Michael McFaul"
check "text: title" eq "$(printf '%s\n' "$out" | sed -n 2p)" \
    "     Security guarantees after a ceasefire"
check "text: path" eq "$(printf '%s\n' "$out" | sed -n 3p)" \
    "     $T/docs/guarantees-after-ceasefire.md"
check "text: snippet around the match" \
    has "$(printf '%s\n' "$out" | sed -n 4p)" "Any ceasefire will stand"
check "text: total and time" \
    has "$(printf '%s\n' "$out" | tail -n 1)" "Results 1-1 of 1 in "
check "text: no colour off a terminal" hasnt "$out" "$ESC"

# Colour only on a terminal, and never with NO_COLOR.
if command -v script > /dev/null 2>&1 &&
   script -qec true /dev/null > /dev/null 2>&1; then
    tty_out=$(env -u NO_COLOR script -qec \
        "'$BIN/dossier-search' -d db -c '$CFG' ceasefire" /dev/null)
    check "tty: matches highlighted in colour" \
        has "$tty_out" "${ESC}[1;33mceasefire${ESC}[0m"
    tty_out=$(NO_COLOR=1 script -qec \
        "'$BIN/dossier-search' -d db -c '$CFG' ceasefire" /dev/null)
    check "tty: NO_COLOR means no escape sequences" hasnt "$tty_out" "$ESC"
else
    skip "tty: colour on a terminal" "no working script(1)"
fi

# Highlighting without a terminal (issue 18): the check above is the only
# one that sees the colour, and it cannot run where script(1) cannot open
# a terminal.  PENDING PRODUCT CHANGE: written against --color=always
# (and --color=never), which dossier-search does not have yet; until it
# does, these checks are a skip (so a failure under CI=true).  NO_COLOR is
# unset for them: whether --color=always overrides it is the option's own
# business (no-color.org says a command-line flag should).
if "$BIN/dossier-search" --help 2>&1 | grep -q -- '--color'; then
    run env -u NO_COLOR "$BIN/dossier-search" -d db -c "$CFG" \
        --color=always ceasefire
    check "--color=always: exit 0, stderr empty" eq "$rc|$err" "0|"
    check "--color=always: matches highlighted off a terminal" \
        has "$out" "${ESC}[1;33mceasefire${ESC}[0m"
    check "--color=always: the snippet line is highlighted" \
        has "$(printf '%s\n' "$out" | sed -n 4p)" "${ESC}[1;33m"
    run env -u NO_COLOR "$BIN/dossier-search" -d db -c "$CFG" \
        --color=always --format json ceasefire
    check "--color=always: JSON has no escape sequences" hasnt "$out" "$ESC"
    run env -u NO_COLOR "$BIN/dossier-search" -d db -c "$CFG" \
        --color=never ceasefire
    check "--color=never: no escape sequences" eq "$rc|$(printf '%s' "$out" | grep -c "$ESC")" "0|0"
else
    skip "--color=always: highlighting off a terminal" \
        "PENDING: dossier-search has no --color option yet (issue 18)"
fi

# Hostile text never reaches the terminal.
run s hostileword
check "hostile: found" eq "$rc" 0
check "hostile: no ESC" hasnt "$out" "$ESC"
check "hostile: no BEL" hasnt "$out" "$BEL"
check "hostile: no BS" hasnt "$out" "$BS"
check "hostile: no RLO" hasnt "$out" "$RLO"
check "hostile: the words stay" has "$out" "cleared"
run s --format paths hostileword
check "hostile paths: no ESC" hasnt "$out" "$ESC"
run s --format json hostileword
check "hostile json parses" json_ok
check "hostile json title has no controls" \
    eq "$(printf '%s' "$out" | jq -r '.hits[0].title' | tr -d '[:print:]' | wc -c)" 1
check "hostile json snippet has no controls" \
    eq "$(printf '%s' "$out" | jq -r '.hits[0].snippet' | tr -d '[:print:]' | wc -c)" 1

# JSON: the fields dossier-search(1) lists under JSON OUTPUT.
run s --format json guarantees
check "json exits 0" eq "$rc" 0
check "json parses" json_ok
check "json top-level fields" \
    eq "$(printf '%s' "$out" | jq -c '[keys[]] | sort')" \
    '["elapsed_ms","hits","offset","query","total","total_exact","total_with_duplicates"]'
check "json hit fields" \
    eq "$(printf '%s' "$out" | jq -c '.hits[0] | keys | sort')" \
    '["authors","date","docid","duplicates","id","lang","path","rank","score","snippet","source","title","url"]'
check "json values" \
    eq "$(printf '%s' "$out" | jq -r '.hits[] | select(.date != null) | [.rank, .title, (.authors|join("+")), .date, .source, .url] | join("|")')" \
    "2|Security guarantees after a ceasefire|Michael McFaul|2025-03-10|Harbour Review|https://harbour.example/guarantees-after-ceasefire"
check "json undated hit has date null" \
    eq "$(printf '%s' "$out" | jq -r '.hits[] | select(.title | startswith("Undated")) | .date')" null
check "json query echoed" eq "$(printf '%s' "$out" | jq -r .query)" guarantees
check "json total" eq "$(printf '%s' "$out" | jq -r .total)" 2
# The snippet keeps the words but not the highlight markers (\001, \002):
# JSON leaves highlighting to its reader.
check "json snippets hold the match" \
    eq "$(printf '%s' "$out" | jq '[.hits[].snippet | select(test("guarantees"))] | length')" 2
check "json snippets have no highlight markers" \
    eq "$(printf '%s' "$out" | jq -r '.hits[].snippet' | tr -d '[:print:]\n' | wc -c)" 0

# Paths.
run s --format paths --sort oldest summit
check "paths: one per line, oldest first" \
    eq "$out" "$T/docs/summit-syndicated-a.md
$T/docs/zelensky-washington.md"

# Collapse: identical bodies are one hit that counts the other.
run s --format json vilnius
check "collapse: one hit" eq "$(printf '%s' "$out" | jq '.hits | length')" 1
check "collapse: reports one duplicate" \
    eq "$(printf '%s' "$out" | jq '.hits[0].duplicates')" 1
run s vilnius
check "collapse: text says so" has "$out" "[+1 duplicate]"
run s --no-collapse --format json vilnius
check "--no-collapse shows both" eq "$(printf '%s' "$out" | jq '.hits | length')" 2
check "--no-collapse: no duplicates counted" \
    eq "$(printf '%s' "$out" | jq '[.hits[].duplicates] | add')" 0

# Facets cover every match, not only the page shown.
run s --facets --format json -n 1 --no-collapse '' 
check "facets json parses" json_ok
check "facets: total exact" eq "$(printf '%s' "$out" | jq .total_exact)" true
check "facets: one hit shown" eq "$(printf '%s' "$out" | jq '.hits | length')" 1
check "facets: months sum to the dated matches" \
    eq "$(printf '%s' "$out" | jq '[.facets.months[].count] | add')" 8
check "facets: month counts" \
    eq "$(printf '%s' "$out" | jq -c '[.facets.months[] | select(.value == "2024-12" or .value == "2023-07") | .count]')" "[2,1]"
check "facets: every author counted" \
    eq "$(printf '%s' "$out" | jq -c '[.facets.authors[] | select(.value == "Ada Quill" or .value == "Borys Ostapenko")] | sort_by(.value) | map("\(.value)=\(.count)") | join(",")')" \
    '"Ada Quill=2,Borys Ostapenko=3"'
run s --facets --format json -n 0 --since 2023 'vilnius OR summit OR ceasefire'
check "facets: total exact with collapsing and -n 0" \
    eq "$(printf '%s' "$out" | jq -c '[.total, .total_exact]')" "[3,true]"
run s --facets -n 1 ''
check "facets text: authors heading" has "$out" "Authors:"
check "facets text: months heading" has "$out" "Months:"
# Facets count the collapsed list, as the total: Borys's syndicated copy
# counts once.
check "facets text: a count line" has "$out" "       2  Borys Ostapenko"

# Histogram fits the terminal width.
run env COLUMNS=40 "$BIN/dossier-search" -d db -c "$CFG" --histogram month ''
check "histogram exits 0" eq "$rc" 0
check "histogram heading" has "$out" "Matches per month:"
wide=$(printf '%s\n' "$out" | grep '^  [0-9][0-9][0-9][0-9]' | awk 'length($0) > 40' | wc -l)
check "histogram: no line wider than COLUMNS=40" eq "$wide" 0
check "histogram: quiet months shown" has "$out" "  2014-06  0"
run env COLUMNS=120 "$BIN/dossier-search" -d db -c "$CFG" --histogram year ''
check "histogram by year" has "$out" "  2024    "
check "histogram: quiet years shown" has "$out" "  2015     0"
bar=$(printf '%s\n' "$out" | grep '^  2024 ' | tr -cd '#' | wc -c)
check "histogram: the biggest bar uses the width" [ "$bar" -gt 80 ]
run s --histogram year --format json ''
check "histogram json" \
    eq "$(printf '%s' "$out" | jq -c '.histogram.unit, ([.histogram.counts[].count] | add)')" '"year"
7'

# Synonyms both ways, with --any and in phrases.
kiev="What Kiev was promised in 1994"
ceasefire="Security guarantees after a ceasefire"
titles() {
    search -d db -c "$CFG" -n 100 --no-collapse --format json "$@" |
        jq -r '[.hits[].title] | sort | join("|")'
}
check "synonyms: kyiv finds Kiev" eq "$(titles kyiv)" "$ceasefire|$kiev"
check "synonyms: Kiev finds Kyiv" eq "$(titles Kiev)" "$ceasefire|$kiev"
check "synonyms: --any" eq "$(titles --any kiev)" "$ceasefire|$kiev"
check "synonyms: in a phrase" eq "$(titles '"kyiv gave up"')" "$kiev"
check "synonyms: in a phrase, other way" eq "$(titles '"kiev wants"')" \
    "$ceasefire"
z="A visit to Washington|Brussels notebook"
check "synonyms: Zelenskyy finds Zelensky" eq "$(titles Zelenskyy)" "$z"
check "synonyms: zelensky finds Zelenskyy" eq "$(titles zelensky)" "$z"
check "synonyms: zelenskiy finds both" eq "$(titles zelenskiy)" "$z"
nato="A visit to Washington|$kiev"
check "synonyms: NATO finds the spelled-out name" eq "$(titles NATO)" "$nato"
check "synonyms: the name finds NATO" \
    eq "$(titles north atlantic treaty organization)" "$nato"
check "synonyms: the name as a phrase finds NATO" \
    eq "$(titles '"North Atlantic Treaty Organization"')" "$nato"
check "synonyms: --any nato" eq "$(titles --any nato)" "$nato"
check "synonyms: with other words" eq "$(titles nato memorandum)" "$kiev"

# Spelling.
run s --format json securty guarantes
check "spelling: no hits exits 1, stderr empty" no_hits
check "spelling: suggestion" \
    eq "$(printf '%s' "$out" | jq -r .suggestion)" "security guarantees"
run s securty guarantes
check "spelling: did you mean" has "$out" "Did you mean: security guarantees"
# A word in the index as written is left alone (looked up as a term),
# the misspelt one beside it still corrected.
run s --format json security guarantes
check "spelling: only the misspelt word of two is corrected" \
    eq "$(printf '%s' "$out" | jq -r .suggestion)" "security guarantees"
run s --format json security guarantees
check "spelling: none when the query is fine" \
    eq "$(printf '%s' "$out" | jq -r 'has("suggestion")')" false

# --stats.
run s --stats
check "stats exits 0" eq "$rc" 0
check "stats: documents" has "$out" "documents:   9"
check "stats: date span" has "$out" "dates:       2014-05-02 to 2025-03-10"
check "stats: authors" has "$out" "authors:     6"
check "stats: most frequent author first" \
    eq "$(printf '%s\n' "$out" | sed -n 4p)" "       3  Borys Ostapenko"
check "stats: roots" has "$out" "  $T/docs"
check "stats: last index time" has "$out" "indexed at:  20"
check "stats: size" has "$out" "size:        "
check "stats: no control characters" hasnt "$out" "$ESC"
run s --stats --format json
check "stats json parses" json_ok
check "stats json fields" \
    eq "$(printf '%s' "$out" | jq -c '[keys[]] | sort')" \
    '["authors","documents","first_date","indexed_at","last_date","roots","size_bytes","top_authors"]'
check "stats json values" \
    eq "$(printf '%s' "$out" | jq -r '[.documents, .first_date, .last_date, .authors, (.top_authors|length), (.size_bytes > 0)] | join(",")')" \
    "9,2014-05-02,2025-03-10,6,6,true"

run s -n 0 guarantees
check "-n 0: counts without hits" has "$out" "2 results, none shown from 1 in "
check "-n 0: still exit 0" eq "$rc" 0

# Exit codes.
run s zzzznotaword
check "no hits exits 1, stderr empty" no_hits
run s --format json zzzznotaword
check "no hits: json still printed" eq "$(printf '%s' "$out" | jq .total)" 0
run s --histogram fortnight ''
check "bad option value exits 2" eq "$rc" 2
finish
