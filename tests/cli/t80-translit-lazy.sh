#!/bin/sh
# t80-translit-lazy.sh - ICU's transliterators are made only when a query
# needs them (issue 17): an ASCII query is folded without them, and a
# Cyrillic word that only a synonym brings in still finds the other
# script's spellings, as it did when every search made them
. "$(dirname "$0")/lib.sh"

cp -r "$FIX/lang/docs" docs
run index -d db --no-progress docs
check "the language fixtures index" eq "$rc" 0

hits() {
    search -d db -n 100 --format json "$@" |
        jq -r '[.hits[].path | sub(".*/"; "")] | sort | join("|")'
}

# An ASCII word whose only synonym is Cyrillic: the synonym's skeleton
# finds Зеленського (uk-note.txt) and the Latin Zelensky (en-brief.md).
printf 'synonyms:\n  - [zelya, Зеленський]\n' > syn.yaml
check "an ASCII query's Cyrillic synonym finds the other script's spellings" \
    eq "$(hits -c syn.yaml zelya)" \
    "en-brief.md|ru-report.md|uk-note.txt|uk-statement.md"
check "... as the Cyrillic word does when typed" \
    eq "$(hits -c syn.yaml zelya)" "$(hits -c syn.yaml Зеленський)"
check "an ASCII query still finds the Cyrillic spellings" \
    eq "$(hits Zelensky)" "en-brief.md|ru-report.md|uk-note.txt|uk-statement.md"
check "--no-translit: the synonym in its own script only" \
    eq "$(hits -c syn.yaml --no-translit zelya)" "uk-note.txt|uk-statement.md"

# ICU itself is loaded only then (dlopen): the dynamic loader says which
# libraries a process loads.
icu_loads() {
    LD_DEBUG=files search -d db "$@" 2>&1 > /dev/null |
        grep -c -E 'file=libicui18n[^ ]* \[0\]; +(needed|dynamically loaded) by' || true
}
run search -d db Zelensky
check "an ASCII search runs" eq "$rc" 0
check "an ASCII search does not load ICU" eq "$(icu_loads Zelensky)" 0
run search -d db Зеленський
check "a Cyrillic search runs" eq "$rc" 0
check "a Cyrillic search loads ICU" eq "$(icu_loads Зеленський)" 1
check "... and finds the Latin spelling through it" \
    eq "$(hits Зеленський)" "en-brief.md|ru-report.md|uk-note.txt|uk-statement.md"
finish
