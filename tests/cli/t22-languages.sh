#!/bin/sh
# t22-languages.sh - Ukrainian and Russian documents (issue 13): the
# language of each document (metadata, else detected), --lang and lang:,
# the langs facet, inflected queries in both languages, a Cyrillic word
# in an English document, names across scripts and --no-translit
. "$(dirname "$0")/lib.sh"

cp -r "$FIX/lang/docs" docs
run index -d db --no-progress docs
check "Ukrainian, Russian and English documents index" eq "$rc" 0
check "... quietly" eq "$err" ""

# hits ARGS...: the file names of the hits, sorted, joined with '|'.
hits() {
    search -d db -n 100 --format json "$@" |
        jq -r '[.hits[].path | sub(".*/"; "")] | sort | join("|")'
}
# first ARGS...: the file name of the first hit.
first() {
    search -d db -n 1 --format json "$@" | jq -r '.hits[0].path | sub(".*/"; "")'
}

# The language: from the metadata (en-GB is en), else detected.
langs=$(search -d db -n 100 --format json "" |
    jq -r '[.hits[] | (.path | sub(".*/"; "")) + "=" + .lang] | sort | join(" ")')
check "every hit carries its language, from metadata or detected" \
    eq "$langs" "en-brief.md=en en-quote.md=en ru-report.md=ru uk-note.txt=uk uk-statement.md=uk"

check "--lang uk" eq "$(hits --lang uk)" "uk-note.txt|uk-statement.md"
check "--lang is repeatable (OR)" eq "$(hits --lang uk --lang ru)" \
    "ru-report.md|uk-note.txt|uk-statement.md"
check "--lang takes a name or a region (Ukrainian, ru-RU)" \
    eq "$(hits --lang Ukrainian --lang ru-RU)" \
    "ru-report.md|uk-note.txt|uk-statement.md"
check "lang: in the query" eq "$(hits 'lang:ru')" "ru-report.md"
check "--lang narrows a query" eq "$(hits --lang en Zelensky)" "en-brief.md"
run search -d db --lang 'u k' x
check "--lang: a bad code is an error" eq "$rc" 2
check "... named" eq "$err" "dossier-search: --lang: invalid language 'u k' (expected a code such as uk, ru or en)"

facet=$(search -d db --facets --format json "" |
    jq -c '[.facets.langs[] | [.value, .count]]')
check "--facets counts languages" eq "$facet" '[["en",2],["uk",2],["ru",1]]'
run search -d db --facets ""
check "... and says so in text" has "$out" "Languages:"

# Morphology: Ukrainian lemmas, Russian stems, word by word by script.
check "Ukrainian: гарантія finds гарантії and гарантіями, in an English note too" \
    eq "$(hits гарантія)" "en-quote.md|uk-note.txt|uk-statement.md"
check "Ukrainian: безпеки finds безпека and безпеку" \
    eq "$(hits безпеки)" "uk-note.txt|uk-statement.md"
check "Ukrainian: переговори finds переговорів" \
    eq "$(hits --lang uk переговори)" "uk-note.txt|uk-statement.md"
check "Russian: безопасность finds безопасности" \
    eq "$(hits безопасность)" "ru-report.md"
check "Russian: переговоры finds переговорах" \
    eq "$(hits --lang ru переговоры)" "ru-report.md"
check "Ukrainian: a capitalised inflected name (Харкові) finds Харкова" \
    eq "$(hits --lang uk Харкові)" "uk-note.txt"

# Names across scripts, inflected forms included.
check "Zelensky finds Зеленський, Зеленського and Зеленский" \
    eq "$(hits Zelensky)" "en-brief.md|ru-report.md|uk-note.txt|uk-statement.md"
check "... and ranks the Latin spelling first" eq "$(first Zelensky)" "en-brief.md"
check "Zelenskyy finds them too" \
    eq "$(hits Zelenskyy)" "en-brief.md|ru-report.md|uk-note.txt|uk-statement.md"
check "Зеленського finds Zelensky" has "$(hits Зеленського)" "en-brief.md"
check "... and ranks the Cyrillic spellings first" \
    has "uk-note.txt uk-statement.md" "$(first Зеленського)"
check "Київ finds Kyiv (and Києві)" eq "$(hits Київ)" "en-brief.md|uk-statement.md"
check "Kyiv finds Києві" has "$(hits Kyiv)" "uk-statement.md"
check "Kharkiv finds Харкова" eq "$(hits Kharkiv)" "en-brief.md|uk-note.txt"
check "the synonym group Kiev/Kyiv still works" has "$(hits Kiev)" "en-brief.md"
check "--no-translit: Zelensky only in Latin letters" \
    eq "$(hits --no-translit Zelensky)" "en-brief.md"
check "--no-translit: Київ only in Cyrillic" \
    eq "$(hits --no-translit Київ)" "uk-statement.md"
printf 'search:\n  translit: false\n' > notr.yaml
check "search.translit: false turns it off" \
    eq "$(hits -c notr.yaml Zelensky)" "en-brief.md"
printf 'search:\n  translit: maybe\n' > bad.yaml
run search -d db -c bad.yaml Zelensky
check "search.translit must be a boolean" eq "$rc" 2
finish
