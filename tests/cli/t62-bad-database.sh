#!/bin/sh
# t62-bad-database.sh - corrupt, foreign and newer databases: one line, exit 2
#
# For each bad database both programs must exit 2 with exactly one line
# on stderr ("PROG: DB: WHAT", no C++ type names), print nothing on stdout
# and leave every byte of the database as it was.
. "$(dirname "$0")/lib.sh"

cp -r "$FIX/basic" docs
index -d good.db --no-progress docs > /dev/null 2>&1

# The state of a database: every file's name and checksum (Xapian's lock
# file, which any opener may create, aside).
state() {
    if [ -d "$1" ]; then
        (cd "$1" && find . -type f ! -name flintlock | sort | xargs sha256sum)
    else
        sha256sum "$1"
    fi
}

one_line() { [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ]; }
no_cxx() { hasnt "$err" "Xapian::" && hasnt "$err" "Error:" &&
           hasnt "$err" "exception"; }

# bad NAME DB WANT: both programs fail cleanly on DB, saying WANT.
bad() {
    name=$1 db=$2 want=$3
    before=$(state "$db")
    run index -d "$db" --no-progress docs
    check "$name: index exits 2" eq "$rc" 2
    check "$name: index says one line" one_line
    check "$name: index names the database" has "$err" "dossier-index: $db: "
    check "$name: index says why" has "$err" "$want"
    check "$name: index no C++ text" no_cxx
    check "$name: index prints no summary" eq "$out" ""
    run search -d "$db" security
    check "$name: search exits 2" eq "$rc" 2
    check "$name: search says one line" one_line
    # "DB: WHAT", or "DB:LINE: WHAT" for a file read as a stub file.
    check "$name: search names the database" has "$err" "dossier-search: $db:"
    check "$name: search no C++ text" no_cxx
    check "$name: search prints nothing" eq "$out" ""
    check "$name: nothing overwritten" eq "$(state "$db")" "$before"
}

cp -r good.db trunc.db
truncate -s 100 trunc.db/postlist.glass
bad "truncated table" trunc.db "EOF reading block"

cp -r good.db trunc-version.db
: > trunc-version.db/iamglass
bad "empty version file" trunc-version.db "corrupt"

cp -r good.db garbage.db
for f in garbage.db/*.glass garbage.db/iamglass; do
    printf 'this is not a glass table: %s\n' "$f" > "$f"
done
bad "garbage files" garbage.db "corrupt"

mkdir garbage-version.db
printf '\017\015Xapian Glass\377garbage' > garbage-version.db/iamglass
bad "garbage version file only" garbage-version.db "corrupt"

printf 'just some notes\n' > plain.txt
bad "a plain file" plain.txt "Bad line"
run search -d plain.txt security
check "a plain file: search reads it as a stub file, naming the line" \
    has "$err" "dossier-search: plain.txt:1: bad line (expected 'auto PATH'"

cp -r good.db newer.db
"$DBTOOL" set-meta newer.db dossier.schema 99
bad "newer schema" newer.db "schema version '99' is not supported"

# A database of an older layout (schema 1 kept the body inside the JSON
# data): the search says how to get a database it reads.
cp -r good.db older.db
"$DBTOOL" set-meta older.db dossier.schema 1
bad "older schema" older.db "schema version '1' is"
run index -d older.db --no-progress docs
check "older schema: index says to rebuild" eq "$err" \
    "dossier-index: older.db: database schema version '1' is older than this dossier-index's (2): delete the database and index again with dossier-index"
run search -d older.db security
check "older schema: search says to rebuild" eq "$err" \
    "dossier-search: older.db: database schema version '1' is not supported by this dossier-search (it reads versions 2 and 3): delete the database and index again with dossier-index"

cp -r good.db foreign.db
"$DBTOOL" set-meta foreign.db dossier.schema ''
bad "no schema, documents" foreign.db "not a dossier database"

# A directory of someone's files is not a database to create into.
mkdir notes
printf 'a note\n' > notes/todo.md
before=$(state notes)
run index -d notes --no-progress docs
check "directory of other files: index exits 2" eq "$rc" 2
check "directory of other files: one line" eq "$err" \
    "dossier-index: notes: not a database: a directory holding other files (give a new or empty directory)"
check "directory of other files: untouched" eq "$(ls notes)" "todo.md"
check "directory of other files: same bytes" eq "$(state notes)" "$before"

# What a kill during creation leaves (tables, no iamglass) is recreated.
mkdir half.db
: > half.db/flintlock
: > half.db/postlist.glass
: > half.db/v.tmp
run index -d half.db --no-progress docs
check "creation cut short: index recreates" eq "$rc" 0
check "creation cut short: indexed" has "$out" "added 4"
check "creation cut short: database sound" xcheck half.db

# The good database is still good.
run search -d good.db security
check "good database still searches" eq "$rc" 0
finish
