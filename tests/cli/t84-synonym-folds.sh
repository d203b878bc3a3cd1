#!/bin/sh
# t84-synonym-folds.sh - synonym groups indexed as one term (issue 17):
# the indexer writes a group's spellings under its first member's terms
# and records the pairs; a search on such a database finds, counts and
# highlights what the same search finds on a database indexed without
# folding (the oracle: the same files under a config without synonyms,
# searched with them), and changed groups are taken up by --full only.
. "$(dirname "$0")/lib.sh"

art() {
    printf -- '---\ntitle: "%s"\nauthor: %s\ndate: %s\n---\n\n%s\n' \
        "$2" "$3" "$4" "$5" > "corpus/$1.md"
}
mkdir corpus
art a "Talks in Kiev" "Ann Vale" 2024-01-02 \
    "The talks in Kiev and Moscow went on. Kiev said no to the plan."
art b "Kyiv notes" "Bo Lund" 2024-02-02 \
    "Between Kyiv and Moscow there is little trust, and kyiv waits."
art c "Port city" "Bo Lund" 2024-03-02 \
    "Odessa harbour reopened; the Odesa port authority said grain moved."
art d "History" "Ann Vale" 2024-04-02 \
    "Kievan history and the port of Riga, and Moscow in winter."
art e "The alliance" "Cy Moor" 2024-05-02 \
    "The North Atlantic Treaty Organization met; NATO ministers and Kiev,
or Kyiv as it is spelt now."

# Groups: two folded, one of several words and one sharing a member with
# another group, which are not.
cat > groups.yaml <<'EOF'
synonyms:
  - [kyiv, kiev]
  - [Odesa, odessa]
  - [nato, north atlantic treaty organization]
  - [riga, rija]
  - [rija, ryga]
EOF
printf 'synonyms: []\n' > none.yaml

run index -q -c groups.yaml -d db corpus
check "a new database is indexed" eq "$rc" 0
run "$DBTOOL" get-meta db dossier.synonym_folds
check "the folded pairs are recorded, sorted, lower-case" \
    eq "$out" "$(printf 'kiev kyiv\nodessa odesa')"
tf() { "$DBTOOL" termfreq "$1" "$2"; }
check "a member's word is stored under the first member's" \
    eq "$(tf db kiev) $(tf db kyiv)" "0 3"
check "so is its stem, and its title word" \
    eq "$(tf db Zkiev) $(tf db Zkyiv) $(tf db Skiev) $(tf db Skyiv)" \
    "0 3 0 2"
check "a word beginning like a member is its own" eq "$(tf db kievan)" 1
check "groups of several words or sharing a member are not folded" \
    eq "$(tf db riga) $(tf db north)" "1 1"

index -q -c none.yaml -d plain corpus
check "the oracle database folds nothing" \
    eq "$("$DBTOOL" get-meta plain dossier.synonym_folds)$(tf plain kiev)" 2

# Folding moves occurrences, it neither adds nor drops any: the same
# positions, the same frequencies, the same document lengths.
postings() { xapian-delve -v -t "$2" "$1" 2>/dev/null | sed 's/^[^:]*: //'; }
positions() { xapian-delve -1 -r "$2" -t "$3" "$1" 2>/dev/null | sed 1d |
    tr '\n' ' '; }
collfreq() { xapian-delve -v -t "$2" "$1" 2>/dev/null |
    sed -n 's/.*collfreq \([0-9]*\).*/\1/p'; }
if command -v xapian-delve > /dev/null; then
    # full_eq A B: A is not empty and equals B.
    full_eq() { [ -n "$1" ] && [ "$1" = "$2" ]; }
    check "Kiev's positions are kept" \
        full_eq "$(positions db 1 kyiv)" "$(positions plain 1 kiev)"
    check "positions where both spellings occur are merged" \
        full_eq "$(positions db 5 kyiv)" "$( (positions plain 5 kiev;
            positions plain 5 kyiv) | tr ' ' '\n' | grep . | sort -n |
            tr '\n' ' ')"
    check "every occurrence is counted once" \
        eq "$(collfreq db kyiv) $(collfreq db Zkyiv)" \
        "$(($(collfreq plain kiev) + $(collfreq plain kyiv))) $(($(collfreq plain Zkiev) + $(collfreq plain Zkyiv)))"
    check "document lengths are unchanged" \
        full_eq "$(postings db moscow)" "$(postings plain moscow)"
else
    skip "positions, frequencies and lengths" "xapian-delve not installed"
fi

# paths DB QUERY: the hits' paths with their snippets, sorted, and the
# total.
paths() {
    _db=$1; shift
    search -c groups.yaml -d "$_db" --format json -n 20 "$@" |
        jq -r '([.hits[] | .path + " " + .snippet] | sort | join(" | "))
               + " total " + (.total | tostring)'
}
for q in kiev kyiv Kiev KYIV '"kiev and moscow"' '"Kyiv and Moscow"' \
    'kiev NOT moscow' 'kievan' 'odessa' '"odesa port"' 'kiev OR odessa' \
    'kievan OR moscow' 'nato kiev' 'riga' 'rija' \
    '"north atlantic treaty organization"' 'moscow -kyiv'; do
    run paths db "$q"
    got=$out got_rc=$rc
    run paths plain "$q"
    check "'$q' finds on the folded database what it finds unfolded" \
        eq "$got_rc $got" "0 $out"
done
# Where the expansion does not reach (fields, NEAR, wildcards), the one
# term finds every spelling: a synonym is a synonym there too.
# fpaths DB QUERY: the hits' paths, sorted, on one line.
fpaths() {
    search -c groups.yaml -d "$1" --format paths "$2" | sort | tr '\n' ' '
}
check "title:kiev finds both titles" eq "$(fpaths db title:kiev)" \
    "$T/corpus/a.md $T/corpus/b.md "
check "kiev NEAR moscow finds both spellings" \
    eq "$(fpaths db 'kiev NEAR moscow')" "$T/corpus/a.md $T/corpus/b.md "
check "kie* finds Kiev, Kyiv and Kievan" eq "$(fpaths db 'kie*')" \
    "$T/corpus/a.md $T/corpus/b.md $T/corpus/d.md $T/corpus/e.md "
check "where the unfolded database finds one spelling" \
    eq "$(fpaths plain title:kiev)|$(fpaths plain 'kie*')" \
    "$T/corpus/a.md |$T/corpus/a.md $T/corpus/d.md $T/corpus/e.md "

run search -c groups.yaml -d db --format paths kiev --author "Ann Vale"
check "with a filter too" eq "$out" "$T/corpus/a.md"
check "the oracle finds at all" eq "$(search -c groups.yaml -d plain \
    --format paths kiev | sort | tr '\n' ' ')" \
    "$T/corpus/a.md $T/corpus/b.md $T/corpus/e.md "

run search -c groups.yaml -d db --color=always -n 5 kyiv
check "snippets highlight every spelling of a folded word" \
    grep -q "$(printf '\033')\[1;33mKiev" "$T/.out"

# A config whose groups changed: incremental runs keep the database's
# folds, say so, and searches still fold the spellings the index folded.
cat > changed.yaml <<'EOF'
synonyms:
  - [odesa, odessa]
EOF
art f "More from Kiev" "Cy Moor" 2024-06-02 "Kiev again, and Odessa."
run index -c changed.yaml -d db corpus
check "an incremental run under other groups succeeds" eq "$rc" 0
check "and says once that the groups differ, and what to do" \
    eq "$(printf '%s\n' "$err" | grep -c "db: the config's synonym groups differ from those the index was built with.*dossier-index --full")" 1
check "its documents are folded as the others are" \
    eq "$(tf db kiev) $(tf db kyiv)" "0 4"
check "the record stays" eq "$("$DBTOOL" get-meta db dossier.synonym_folds)" \
    "$(printf 'kiev kyiv\nodessa odesa')"
run search -c changed.yaml -d db --format paths kiev
check "a search under the new groups still finds what the index folded" \
    eq "$rc $(printf '%s\n' "$out" | wc -l)" "0 4"
run search -c changed.yaml -d db --format paths '"kiev and moscow"'
check "in phrases too" eq "$(printf '%s\n' "$out" | wc -l)" 2

# --full takes the new groups up: kiev is a word of its own again.
run index -q --full -c changed.yaml -d db
check "a --full run succeeds" eq "$rc" 0
check "and records the new folds" \
    eq "$("$DBTOOL" get-meta db dossier.synonym_folds)" "odessa odesa"
check "and unfolds what the config no longer groups" \
    eq "$(tf db kiev) $(tf db kyiv) $(tf db odessa)" "3 2 0"
run search -c changed.yaml -d db --format paths kiev
check "so that kiev finds Kiev only" eq "$(printf '%s\n' "$out" | wc -l)" 3
run index -c changed.yaml -d db corpus
check "no warning once the groups agree" eq "$rc:$err" "0:"

# A --full run over some roots only rewrites some documents: the record
# is cleared, not claimed, and searches expand the groups again.
mkdir other
art_o() { printf -- '---\ntitle: Other\ndate: 2024-07-01\n---\n\nOdessa.\n' \
    > other/o.md; }
art_o
index -q -c changed.yaml -d db other
run index -q --full -c groups.yaml -d db other
check "a --full run of one root of two" eq "$rc" 0
check "leaves no claim that every document is folded" \
    eq "$("$DBTOOL" get-meta db dossier.synonym_folds)" ""
run search -c groups.yaml -d db --format paths kyiv
check "and kyiv still finds every Kiev, through the expansion" \
    eq "$(printf '%s\n' "$out" | wc -l)" 4

finish
