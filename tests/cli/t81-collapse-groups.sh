#!/bin/sh
# t81-collapse-groups.sh - exact totals counted from the collapse groups
# (issue 17): the indexer gives the group term to exactly the documents
# sharing a collapse key, whatever adds, edits and deletions do, and a
# search counts from it the same totals as without it (the oracle: a
# copy of the database with a stale stamp, which counts as before).
. "$(dirname "$0")/lib.sh"

# body WORD: 60 words of their own (a SimHash far from any other body's),
# and "lighthouse", which every body but the fillers' has.
body() {
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 \
        24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 \
        46 47 48 49 50 51 52 53 54 55 56 57 58 59; do
        printf '%s%s ' "$1" "$(printf '%s' "$i" | tr 0-9 a-j)"
    done
    case $1 in fill*) echo ;; *) echo lighthouse ;; esac
}
# art FILE TITLE SOURCE WORD: an article with body WORD.
art() {
    mkdir -p "$(dirname "$1")"
    printf -- '---\ntitle: "%s"\nsource: %s\ndate: 2024-01-02\n---\n\n%s\n' \
        "$2" "$3" "$(body "$4")" > "$1"
}

# Group A spans the two halves of a sharded build (zz- sorts last);
# group B; single documents c, d, e; fillers to make the build shard.
art corpus/a1.md "Kestrel report" One alpha
art corpus/a2.md "Heron report" Two alpha
art corpus/zz-a3.md "Osprey report" Two alpha
art corpus/b1.md "Bravo one" One bravo
art corpus/b2.md "Bravo two" Two bravo
art corpus/c1.md "Charlie" One charlie
art corpus/d1.md "Delta" Two delta
art corpus/e1.md "Echo" Two echo
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
    art "corpus/f$i.md" "Filler $i" Three "fill$(echo $i | tr 0-9 k-t)"
done

jtotal() {
    search -d "$@" --format json -n 0 | jq -c '[.total, .total_exact]'
}
jall() {
    search -d "$@" --format json -n 0 | jq -c .total_with_duplicates
}
# oracle DB: a copy whose stamp is stale, so that it counts as before.
oracle() {
    rm -rf "$1.old"
    cp -r "$1" "$1.old"
    "$DBTOOL" set-meta "$1.old" dossier.collapse_groups stale
}
# same_counts STEP DB QUERY...: each query's totals on DB (groups
# current) equal the oracle's, with and without the page.
same_counts() {
    _step=$1 _db=$2
    shift 2
    oracle "$_db"
    for q in "$@"; do
        check "$_step: '$q' counts as before" \
            eq "$(jtotal "$_db" "$q")" "$(jtotal "$_db.old" "$q")"
        check "$_step: '$q' with duplicates as before" \
            eq "$(jall "$_db" "$q")" "$(jall "$_db.old" "$q")"
    done
}
groups() {
    "$DBTOOL" groups "$1" | sed "s|$T/corpus/||; s|$T/||" | tr '\n' ' '
}

QUERIES="lighthouse kestrel heron osprey 'kestrel OR heron' \
'kestrel OR lighthouse' 'source:One lighthouse' 'source:Two lighthouse' \
'source:Two kestrel' 'source:Two alphab' alphab bravob 'charlieb OR deltab' \
echob nosuchword '' 'lighthouse NOT alphab' '\"alphab alphac\"' \
'source:Two \"alphab alphac\"' '\"alphab alphac\" OR bravob'"

# A fresh build in two shards: the groups span them.
run index -j2 -d db --no-progress corpus
check "sharded build" eq "$rc:$err" "0:"
check "groups recorded on the merged copy" \
    eq "$(groups db)" "current a1.md a2.md b1.md b2.md zz-a3.md "
check "lighthouse: 5 of 8" eq "$(jtotal db lighthouse)" "[5,true]"
check "lighthouse: 8 with duplicates" eq "$(jall db lighthouse)" 8
check "a query matching one member of a group" \
    eq "$(jtotal db kestrel)" "[1,true]"
check "two members of a group" eq "$(jtotal db 'kestrel OR heron')" \
    "[1,true]"
check "a filter splitting a group: source One" \
    eq "$(jtotal db 'source:One lighthouse')" "[3,true]"
check "... source Two (a2 and a3 as one, b2, d1, e1)" \
    eq "$(jtotal db 'source:Two lighthouse')" "[4,true]"
check "... with a word of the other side" \
    eq "$(jtotal db 'source:Two kestrel')" "[0,true]"
eval "same_counts sharded db $QUERIES"
check "without collapsing: every match" \
    eq "$(search -d db --format json -n 0 --no-collapse lighthouse |
          jq -c '[.total, .total_exact]')" "[8,true]"

# A one-writer build (compacted at the end): the same groups.
run index -j1 -d db1 --no-progress corpus
check "-j1 build" eq "$rc:$err" "0:"
check "... the same groups" eq "$(groups db1)" "$(groups db)"

# An old single document gets a copy: it joins a group without being
# rewritten.
art corpus/c2.md "Charlie copy" Two charlie
run index -d db --no-progress
check "c2 added" eq "$rc:$err" "0:"
check "c1 joins c2's group" \
    eq "$(groups db)" "current a1.md a2.md b1.md b2.md c1.md c2.md zz-a3.md "
check "lighthouse: 5 of 9" eq "$(jtotal db lighthouse)" "[5,true]"
eval "same_counts 'a copy added' db $QUERIES"

# An edit joins a group (e1 takes d1's body), another leaves one (b2).
art corpus/e1.md "Echo" Two delta
art corpus/b2.md "Bravo two" Two foxtrot
run index -d db --no-progress
check "edits" eq "$rc:$err" "0:"
check "e1 and d1 join, b1 and b2 leave" \
    eq "$(groups db)" "current a1.md a2.md c1.md c2.md d1.md e1.md zz-a3.md "
check "lighthouse: 5 of 9" eq "$(jtotal db lighthouse)" "[5,true]"
eval "same_counts edits db $QUERIES foxtrotb"

# Deletions: a1 is left alone in its group and leaves it.
rm corpus/a2.md corpus/zz-a3.md
run index -d db --no-progress
check "deletions" eq "$rc:$err" "0:"
check "a1 leaves" eq "$(groups db)" "current c1.md c2.md d1.md e1.md "
check "lighthouse: 5 of 7" eq "$(jtotal db lighthouse)" "[5,true]"
eval "same_counts deletions db $QUERIES"

# --forget: its documents leave their groups, recorded at once.
art more/c3.md "Charlie again" Three charlie
run index -d db --no-progress more
check "another root" eq "$rc:$err" "0:"
check "... its copy joins" \
    eq "$(groups db)" "current c1.md c2.md d1.md e1.md more/c3.md "
run index -d db --forget more
check "--forget" eq "$rc:$err" "0:"
check "... the copy leaves, the record current" \
    eq "$(groups db)" "current c1.md c2.md d1.md e1.md "

# Two databases: a key shared across them, by documents in no group of
# their own database (a1 here, g1 there), is counted once.
art other/g1.md "Golf" One alpha
art other/h1.md "Hotel" One hotel
run index -d db2 --no-progress other
check "second database" eq "$rc:$err" "0:"
check "... no groups in it" eq "$(groups db2)" "current "
check "two databases: lighthouse" \
    eq "$(jtotal db -d db2 lighthouse)" "[6,true]"
check "... with duplicates" eq "$(jall db -d db2 lighthouse)" 9
check "... a1 and g1 as one" eq "$(jtotal db -d db2 alphab)" "[1,true]"
oracle db2
for q in lighthouse alphab 'kestrel OR golf' 'source:One lighthouse'; do
    check "two databases: '$q' as before" \
        eq "$(jtotal db -d db2 "$q")" "$(jtotal db.old -d db2.old "$q")"
done

# A database whose current groups have no member: no two documents share
# a key, so its searches run without collapsing, and list and count what
# the oracle (collapsing) does.
oracle db2
for q in lighthouse alphab hotelb 'alphab OR hotelb' ''; do
    check "no groups: '$q' lists as before" \
        eq "$(search -d db2 --format paths -n 10 "$q")" \
        "$(search -d db2.old --format paths -n 10 "$q")"
    check "no groups: '$q' counts as before" \
        eq "$(jtotal db2 "$q")" "$(jtotal db2.old "$q")"
done
check "no groups: alphab found" eq "$(jtotal db2 alphab)" "[1,true]"
# A copy makes the first group: collapsing is back.
art other/g2.md "Golf copy" Two alpha
run index -d db2 --no-progress other
check "a copy in the second database" eq "$rc:$err" "0:"
check "... its first group" eq "$(groups db2)" "current other/g1.md other/g2.md "
check "... collapsed again" eq "$(jtotal db2 alphab)" "[1,true]"
check "... two with duplicates" eq "$(jall db2 alphab)" 2
check "... one listed" \
    eq "$(search -d db2 --format paths -n 10 alphab | wc -l | tr -d ' ')" 1

# A stamp goes stale with any other write, and stays current through a
# saved search, which changes no document.
run search -d db --save lh lighthouse
check "--save" eq "$rc:$err" "0:"
check "... keeps the groups current" eq "$(groups db | cut -d' ' -f1)" current
check "... and the counts" eq "$(jtotal db lighthouse)" "[5,true]"
"$DBTOOL" set-meta db dossier.other x
check "another write: stale" eq "$(groups db | cut -d' ' -f1)" stale
check "... counts as before" eq "$(jtotal db lighthouse)" "[5,true]"
run index -d db --no-progress
check "the next run makes it current" eq "$(groups db | cut -d' ' -f1)" \
    current

finish
