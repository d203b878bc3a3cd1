#!/bin/sh
# t32-corpus.sh - the sample corpus: counts and the fields of chosen files
. "$(dirname "$0")/lib.sh"

C=$(cd "$FIX/../../corpus" && pwd)
run index -d db.x --no-progress "$C"/articles "$C"/notes "$C"/posts \
    "$C"/syndicated "$C"/web "$C"/uk "$C"/ru "$C"/reports "$C"/social
check "corpus indexes cleanly" eq "$rc" 0
# social/: 14 posts in 5 files (actor.json among them, no post of its
# own); the X archive's account.js and note-tweet.js are read with
# tweets.js and counted unsupported.
check "136 files, 169 documents" has "$out" "added 169 documents from 136 files, updated 0, removed 0, unchanged 0, skipped 0, 2 unsupported in "
check "169 documents" \
    eq "$(search -d db.x --no-collapse --format paths -n 1000 '' | wc -l)" 169

field() {   # QUERY JQ: the first hit's fields, joined by '|'
    search -d db.x --no-collapse --format json -n 1 "$1" | jq -r ".hits[0] | $2"
}

check "HTML: og:title, author meta, published_time, canonical url" \
    eq "$(field '"Europeans go to Washington"' '"\(.title)|\(.authors|join(","))|\(.date)|\(.url)|\(.source)"')" \
    "Security guarantees for Ukraine: Europeans go to Washington|Viktor Ivanenko|2025-08-19|https://blackseaobserver.example/2025/08/security-guarantees-white-house-europeans/|Black Sea Observer"
run search -d db.x --format paths 'encodeURIComponent OR colophon OR "Cookie settings" OR "Related stories"'
check "HTML: script, nav, aside and footer text not indexed" no_hits

check "JSON Lines: user.name, Twitter date, status url" \
    eq "$(field '"Explosions reported in Kyiv"' '"\(.authors|join(","))|\(.date)|\(.url)"')" \
    "Dmytro Kovalenko|2022-02-24|https://social.example/dkovalenko/status/1496701288441675776"
check "JSON digest: items each a document" \
    eq "$(search -d db.x --no-collapse --format paths -n 1000 '' | grep -c 'briefing-digest.json')" 5

check "text notes: Cyrillic author kept" \
    eq "$(field '"options memo"' '.authors|join(",")')" "Олена Гриценко"
run search -d db.x --format paths --author 'олена'
check "Cyrillic author found by a word, any case" has "$out" "2015-05-security-guarantees-options-after-minsk.txt"
check "text notes: By byline" \
    eq "$(field 'title:debaltseve' '.authors|join(",")')" "Andrii Boiko"
check "Markdown: an author list" \
    eq "$(field '"Four Battlegroups and the Logic of the Tripwire"' '.authors|join(",")')" \
    "Marta Kowalczyk,Gintaras Žemaitis"
check "Markdown: 'A and B' split" \
    eq "$(field 'title:"Four Days That Rewrote"' '.authors|join(",")')" \
    "Dmytro Kovalenko,Olena Hrytsenko"
check "Markdown: 'July 9, 2016'-style and timestamp dates" \
    eq "$(field 'title:"Zapad 2017"' '.date')" "2017-09-21"

run search -d db.x --format json warsaw battlegroups tripwire
check "syndicated copies collapse into one hit" \
    eq "$(printf '%s\n' "$out" | jq '[.hits[] | select(.title | test("Tripwire"))] | length')" 1
check "the hit says how many copies it hides" \
    eq "$(printf '%s\n' "$out" | jq '[.hits[] | select(.title | test("Tripwire"))][0].duplicates')" 2
run search -d db.x --format json --no-collapse warsaw battlegroups tripwire
check "--no-collapse shows all three" \
    eq "$(printf '%s\n' "$out" | jq '[.hits[] | select(.title | test("Tripwire"))] | length')" 3

run search -d db.x --format json '"YOU MAY ALSO LIKE" OR "Share this article"'
check "boilerplate lines are not indexed" eq "$(printf '%s\n' "$out" | jq .total)" 0
d=$(field '"3 a.m. Start there"' '.docid')
# The stored data holds a NUL before the body (config/schema.h): grep -a.
check "a repeated paragraph is stored once" \
    eq "$(xapian-delve -r "$d" -d db.x | grep -a -o 'Start there' | wc -l)" 1

run index -d db.x --no-progress
check "second run changes nothing and says so" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 169, skipped 0"

# The database is the same for any -j: document ids, data, values (the
# collapse keys of the syndicated copies among them), terms and the
# spelling dictionary.  With -j2 this fresh build is written as two
# shards and merged (docs/indexing.md, "A run").
dump() {    # DB: every document's values, data and terms, then all terms
    last=$(xapian-delve "$1" |
        sed -n 's/^highest document id ever used = //p')
    set -- "$1" $(seq -f '-r %g' 1 "$last")
    # Slot 10 is the time of the run that first indexed each document
    # (config/schema.h): two runs differ there by design.
    xapian-delve -V -d -1 -v "$@" | grep -a -v '^10:'
    xapian-delve -a -1 -v "$1"
}
for j in 1 2; do
    run index -d j$j.x -j$j --no-progress "$C"/articles "$C"/notes \
        "$C"/posts "$C"/syndicated "$C"/web "$C"/uk "$C"/ru "$C"/reports \
        "$C"/social
    check "-j$j indexes cleanly" eq "$rc" 0
    dump j$j.x > j$j.dump
    "$DBTOOL" spelling j$j.x > j$j.spell
done
check "-j1 and -j2 build the same database" cmp -s j1.dump j2.dump
check "... with the same spelling dictionary" cmp -s j1.spell j2.spell
check "... which has words" [ "$(grep -c . j1.spell)" -gt 1000 ]
check "no temporary shard is left behind" \
    eq "$(ls -d j2.x.* 2>/dev/null)" ""
check "... which is not empty" eq "$(grep -c '^Data for record' j1.dump)" 169
# Reports (corpus/reports/, generated by tests/tools/mkformats.c).
check "PDF: information dictionary, two authors" \
    eq "$(field 'title:seabed' '"\(.title)|\(.authors|join(","))|\(.date)"')" \
    "Cables on the Seabed: Protecting Baltic Infrastructure|Henrik Østergaard,Marta Kowalczyk|2024-12-10"
check "PDF without metadata: byline and date line of the first page" \
    eq "$(field 'title:pilots' '"\(.title)|\(.authors|join(","))|\(.date)"')" \
    "Training Pipelines for Fighter Pilots|Viktor Ivanenko|2024-06-03"
check "PDF: the page of the hit" \
    eq "$(field 'cable-laying jointing' '"\(.page)"')" 3
check "DOCX: core properties" \
    eq "$(field 'title:"field hospitals"' '"\(.authors|join(","))|\(.date)|\(.page)"')" \
    "Tomáš Dvořák|2025-02-03|null"
check "ODT: meta" \
    eq "$(field 'title:moldova' '"\(.authors|join(","))|\(.date)"')" \
    "Gintaras Žemaitis|2024-10-15"

finish
