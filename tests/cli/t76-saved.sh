#!/bin/sh
# t76-saved.sh - saved searches, what is new, and more like this
#
# --save/--saved/--run/--delete; --new shows each saved search's documents
# first indexed since its last --new, once, and exits 1 (printing nothing,
# for mail -E) when nothing is new; an edited file, a reindex with --full
# (which compacts) and a compaction do not make old documents new; names
# are checked; a locked database is refused at once; --like finds the
# sample corpus's obvious neighbours and never the example or its copies.
. "$(dirname "$0")/lib.sh"

art() {
    mkdir -p "$(dirname "$1")"
    printf -- '---\ntitle: %s\ndate: %s\n---\n%s\n' "$2" "$3" "$4" > "$1"
}
paths() { printf '%s\n' "$out" | sed "s|^$T/||" | sort | tr '\n' ' '; }

art docs/a.md "Alpha treaty" 2025-01-10 "The alpha treaty was signed."
art docs/b.md "Beta treaty" 2025-02-10 "The beta treaty was debated."
art docs/c.md "Gamma drones" 2025-03-10 "Drones over the gamma range."
run index -d db --no-progress -q docs
check "corpus indexed" eq "$rc" 0

# --- save, list, run, delete
run search -d db --save treaty treaty
check "--save: exit 0, silent" eq "$rc:$out:$err" "0::"
run search -d db --save drones-2025 drones --since 2025 --lang en
check "--save with filters: exit 0" eq "$rc:$err" "0:"
run search -d db --saved
check "--saved lists by name, with the filters" eq "$out" \
"drones-2025      drones --lang 'en' --since '2025'
treaty           treaty"
check "... exit 0" eq "$rc" 0
run search -d db --saved --format json
check "--saved JSON: names, queries, filters" eq \
    "$(printf '%s' "$out" | jq -c '[.saved[] | [.name, .query, .since, .langs, .last_new]]')" \
    '[["drones-2025","drones","2025",["en"],null],["treaty","treaty",null,[],null]]'
run search -d db --run treaty --format paths
check "--run: the saved query's documents" eq "$(paths):$rc" \
    "docs/a.md docs/b.md :0"
run search -d db --run treaty --format paths alpha
check "--run with query words narrows it" eq "$(paths):$rc" "docs/a.md :0"
run search -d db --run treaty --since 2024
check "--run with a filter: one line, exit 2" eq "$err:$rc" \
"dossier-search: --run: the filters are the saved search's; save a new one with --save to change them (query words given with --run narrow it):2"
run search -d db --run nosuch
check "--run of an unknown name: exit 2" eq "$err:$rc" \
    "dossier-search: --run: no saved search 'nosuch' (--saved lists them):2"
run search -d db --save bad treaty AND
check "--save refuses a query that cannot run: exit 2" eq "$rc:$out" "2:"
check "... with the parser's one line" has "$err" "dossier-search: query 'treaty AND': "
run search -d db --saved --format paths
check "... and saved nothing" eq "$out" "drones-2025
treaty"

# --- what is new
run search -d db --new --format paths
check "--new right after --save: everything, exit 0" eq "$(paths):$rc" \
    "docs/a.md docs/b.md docs/c.md :0"
run search -d db --new
check "--new again: nothing, exit 1, no output (mail -E sends nothing)" \
    eq "$rc:$out:$err" "1::"

art docs/d.md "Delta treaty" 2025-04-10 "The delta treaty, new."
printf 'An edit about the treaty.\n' >> docs/a.md
run index -d db --no-progress -q docs
check "reindex after a new and an edited file" eq "$rc" 0
run search -d db --new
check "--new text: a header per search, then its hits" \
    has "$out" "# treaty: treaty
  1. 2025-04-10  (no author)
     Delta treaty
     $T/docs/d.md"
check "... exit 0" eq "$rc" 0
check "... the edited file is not new" hasnt "$out" "docs/a.md"
check "... a search with nothing new prints nothing" hasnt "$out" "drones"
run search -d db --new
check "the new file shows only once" eq "$rc:$out" "1:"

art docs/e.md "Epsilon drones" 2025-05-10 "Epsilon drones and a treaty."
run index -d db --no-progress -q docs
run search -d db --new --format json drones-2025
check "--new NAME: JSON, one object per search, named" eq \
    "$(printf '%s\n' "$out" | jq -c '[.saved, .total, [.hits[].title]]')" \
    '["drones-2025",1,["Epsilon drones"]]'
check "... with the time of the previous --new" \
    eq "$(printf '%s\n' "$out" | jq -r '.new_since | test("^2[0-9-]+T[0-9:]+Z$")')" true
run search -d db --new --format paths treaty
check "a search not named keeps its mark" eq "$(paths):$rc" "docs/e.md :0"

run index -d db --no-progress -q --full docs
check "a reindex with --full (rebuilt in place, compacted)" eq "$rc" 0
run search -d db --new
check "... makes nothing new" eq "$rc:$out:$err" "1::"
run index -d db --no-progress -q docs
run search -d db --new
check "an unchanged reindex makes nothing new" eq "$rc:$out" "1:"
if command -v xapian-compact >/dev/null 2>&1; then
    xapian-compact db db.c >/dev/null && rm -rf db && mv db.c db
    run search -d db --new
    check "a compaction makes nothing new" eq "$rc:$out:$err" "1::"
else
    skip "a compaction makes nothing new" "xapian-compact not installed"
fi
run search -d db --saved --format json
check "the saved searches survive --full and compaction, with their marks" \
    eq "$(printf '%s' "$out" | jq -c '[.saved[] | [.name, (.last_new | test("Z$"))]]')" \
    '[["drones-2025",true],["treaty",true]]'

# --- delete
run search -d db --delete drones-2025
check "--delete: exit 0, silent" eq "$rc:$out:$err" "0::"
run search -d db --saved --format paths
check "... gone from the list" eq "$out" "treaty"
run search -d db --delete drones-2025
check "--delete of an unknown name: exit 2" eq "$err:$rc" \
    "dossier-search: --delete: no saved search 'drones-2025' (--saved lists them):2"
run search -d db --unsave treaty
check "--unsave is --delete" eq "$rc" 0
run search -d db --saved
check "--saved with none: exit 1, nothing" eq "$rc:$out:$err" "1::"
run search -d db --new
check "--new with none saved: exit 1" eq "$rc:$out:$err" "1::"

# --- names
want="expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or a digit"
run search -d db --save '' x
check "empty name: one line, exit 2" eq "$err:$rc" \
    "dossier-search: --save: empty name ($want):2"
long=$(printf '%065d' 0)
run search -d db --save "$long" x
check "name too long: exit 2" eq "$err:$rc" \
    "dossier-search: --save: name '00000000000000000000...' is too long (65 bytes; $want):2"
run search -d db --save 'a/b' x
check "bad character: named, exit 2" eq "$err:$rc" \
    "dossier-search: --save: invalid name: '/' at byte 2 ($want):2"
run search -d db --save "$(printf 'a\033b')" x
check "control byte: shown as hex, never raw" eq "$err:$rc" \
    "dossier-search: --save: invalid name: byte 0x1b at byte 2 ($want):2"
run search -d db --save .hidden x
check "leading dot: refused" eq "$rc" 2
run search -d db --new 'x y'
check "--new checks its names too" eq "$err:$rc" \
    "dossier-search: --new: invalid name: byte 0x20 at byte 2 ($want):2"
run search -d db --saved --format paths
check "no bad name was saved" eq "$rc:$out" "1:"

# --- where saved searches go
run search -d db -d db --save two x
check "several databases: refused, exit 2" eq "$err:$rc" \
    "dossier-search: --save: saved searches are kept in one database, and 2 are searched as one: name one with -d:2"
printf 'auto %s/db\n' "$T" > stub
run search -d stub --save x x
check "a stub file: refused, exit 2" eq "$err:$rc" \
    "dossier-search: --save: 'stub' is a remote database or a stub file: saved searches are written into a local database directory (name it with -d):2"
run search -d nodb --new
check "--new without a database: exit 2" eq "$err:$rc" \
    "dossier-search: nodb: no database here (index with 'dossier-index -d nodb DIR' first):2"
run search -d db --save x --run y
check "one of --save/--run at a time" eq "$rc" 2

# --- a database an index run holds
search -d db --save treaty treaty
search -d db --new > /dev/null
gen_corpus big 400 76
printf 'index:\n  batch_size: 20\n' > cfg.yaml
: > first.err
"$BIN/dossier-index" -d db -c cfg.yaml -j1 -v --no-progress big \
    > first.out 2> first.err &
pid=$!
poll 600 grep -q '^added ' first.err
kill -STOP "$pid"
check "the indexer holds the database" [ ! -s first.out ]
lock="dossier-search: db: database is locked by an indexer (or another --save or --new); nothing saved or marked, try again later"
run search -d db --new
check "--new while indexing: one line, exit 2, nothing shown" \
    eq "$err:$rc:$out" "$lock:2:"
run search -d db --save other x
check "--save while indexing: one line, exit 2" eq "$err:$rc" "$lock:2"
run search -d db --run treaty --format paths -n 1
check "--run reads while indexing" eq "$rc" 0
kill -CONT "$pid"
wait "$pid"
check "the indexer finishes" eq "$?" 0
run search -d db --saved --format paths
check "nothing was saved while locked" eq "$out" "treaty"
run search -d db --new --format json -n 0
check "after the run, --new finds its documents" eq \
    "$(printf '%s' "$out" | jq -c '[.saved, .total > 0]'):$rc" '["treaty",true]:0'

# --- more like this, on the sample corpus
C=$(cd "$FIX/../../corpus" && pwd)
run index -d cdb --no-progress -q "$C"
check "sample corpus indexed" eq "$rc" 0
ex="$C/syndicated/2016-07-warsaw-summit-enhanced-forward-presence-baltic-security-review.md"
run search -d cdb --like "$ex" --format paths -n 5
check "--like: exit 0" eq "$rc:$err" "0:"
check "... finds the battlegroup arriving in Lithuania" \
    has "$out" "articles/2017/2017-02-first-battlegroup-arrives-in-lithuania.md"
check "... and the Suwalki gap" \
    has "$out" "articles/2016/2016-10-suwalki-gap-and-the-reinforcement-problem.md"
run search -d cdb --like "$ex" --format paths -n 1000 --no-collapse
check "... never the example nor its two copies, even uncollapsed" \
    hasnt "$out" "warsaw-summit-enhanced-forward-presence"
run search -d cdb --format json --no-collapse -n 1 "title:battlegroups" --source "Baltic Security Review"
id=$(printf '%s' "$out" | jq -r '.hits[0].docid')
run search -d cdb --like "$ex" --format paths -n 5
bypath=$out
run search -d cdb --like "$id" --format paths -n 5
check "--like ID: as --like PATH" eq "$out:$rc" "$bypath:0"
run search -d cdb --like "$ex" --format json -n 100 --since 2018
check "--like with a filter: only its dates" eq \
    "$(printf '%s' "$out" | jq '(.total > 0) and ([.hits[].date >= "2018"] | all)')" true
run search -d cdb --format paths -n 100 patriot
printf '%s\n' "$out" | sort > plain.txt
run search -d cdb --like "$ex" --format paths -n 100 patriot
printf '%s\n' "$out" | sort > like.txt
check "--like with a query: only what the query matches" eq \
    "$rc:$(comm -23 like.txt plain.txt)" "0:"
check "... first the Patriot deal" eq "$(printf '%s\n' "$out" | head -1)" \
    "$C/articles/2018/2018-03-poland-patriot-deal-and-baltic-air-defence.md"
run search -d cdb --like nothere.md
check "--like of a missing file: one line, exit 2" eq "$err:$rc" \
    "dossier-search: --like: 'nothere.md': No such file or directory:2"
printf 'x\n' > stray.md
run search -d cdb --like stray.md
check "--like of a file not indexed: one line, exit 2" eq "$err:$rc" \
    "dossier-search: --like: 'stray.md' is not in the index (index it first):2"
run search -d cdb --like 999999
check "--like of an unknown id: exit 2" eq "$err:$rc" \
    "dossier-search: --like: no document 999999 in the index (a document id, as --format json shows it, or a file's path):2"
finish
