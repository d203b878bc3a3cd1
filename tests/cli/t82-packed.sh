#!/bin/sh
# t82-packed.sh - a full build packs the document data with a trained
# dictionary (shim/packdata.cc): the database holds the dictionary and
# schema version 3, is smaller, and every way of reading it (dbtool's
# dump, search hits and snippets in JSON, dossier-serve's /doc) gives
# what an unpacked build (--no-pack) gives; an incremental run keeps
# packing; a database too small to pack stays version 2.
. "$(dirname "$0")/lib.sh"

KEY=xsh.pack.zdict

# gen DIR N FIRST: N generated articles, numbered from FIRST, of varied
# sentences over a small word list (enough documents and text for a
# dictionary; see XSH_PACK_MIN_DOCS).
gen() {
    mkdir -p "$1"
    awk -v dir="$1" -v n="$2" -v first="$3" 'BEGIN {
        nw = split("the council agreed security guarantees for border " \
            "regions after talks with ministers about grain exports and " \
            "rivers flooded valleys while engineers repaired old dams " \
            "near mills under heavy rain reports say officials expect " \
            "new funding next spring despite doubts in parliament", w, " ")
        na = split("Ada Quill|Borys Ostapenko|Chen Wei|Dana Moore", a, "|")
        seed = first * 7 + 1
        for (i = first; i < first + n; i++) {
            f = sprintf("%s/a%04d.md", dir, i)
            printf "---\ntitle: \"Report %d on %s %s\"\n", i,
                w[i % nw + 1], w[(i * 3) % nw + 1] > f
            printf "authors: [%s]\n", a[i % na + 1] > f
            printf "date: 20%02d-%02d-%02d\n---\n\n", 14 + i % 12,
                1 + i % 12, 1 + i % 28 > f
            words = 80 + i % 90
            line = ""
            for (k = 0; k < words; k++) {
                seed = (seed * 1103515245 + 12345) % 2147483648
                line = line w[int(seed / 65536) % nw + 1]
                if (k % 11 == 10) {
                    print toupper(substr(line, 1, 1)) substr(line, 2) "." > f
                    line = ""
                } else {
                    line = line " "
                }
            }
            if (line != "") print line "." > f
            close(f)
        }
    }'
}

gen docs 600 1
run index -j1 -d packed.db --no-progress docs
check "a -j1 full build: exit 0, nothing on stderr" eq "$rc|$err" "0|"
run index -j1 --no-pack -d plain.db --no-progress docs
check "--no-pack: exit 0, nothing on stderr" eq "$rc|$err" "0|"
run index -j2 -d j2.db --no-progress docs
check "a -j2 full build (shards): exit 0, nothing on stderr" \
    eq "$rc|$err" "0|"
# -v names the files, as before, and says nothing of packing.
run index -j1 -v -d verbose.db --no-progress docs
check "-v: only the files added on stderr" \
    eq "$(printf '%s\n' "$err" | grep -cv '^added ')" 0

# The dictionary and the version.
for db in packed.db j2.db; do
    check "$db holds the dictionary" \
        test "$("$DBTOOL" get-meta $db $KEY | wc -c)" -gt 1000
    check "$db is schema version 3" \
        eq "$("$DBTOOL" get-meta $db dossier.schema)" 3
done
check "--no-pack: no dictionary" eq "$("$DBTOOL" get-meta plain.db $KEY)" ""
check "--no-pack: schema version 2" \
    eq "$("$DBTOOL" get-meta plain.db dossier.schema)" 2
check "packed: xapian-check finds no error" xcheck packed.db
check "packed -j2: xapian-check finds no error" xcheck j2.db

# Smaller, by the data table.
size() { wc -c < "$1/docdata.glass"; }
check "packed: the data table is smaller" \
    test "$(size packed.db)" -lt "$(size plain.db)"
check "packed -j2: the data table is smaller" \
    test "$(size j2.db)" -lt "$(size plain.db)"
kb() { du -sk "$1" | cut -f1; }
check "packed: the database is smaller" \
    test "$(kb packed.db)" -lt "$(kb plain.db)"

# The same documents, byte for byte.
"$DBTOOL" dump plain.db > plain.dump
"$DBTOOL" dump packed.db > packed.dump
"$DBTOOL" dump j2.db > j2.dump
check "dump: packed as unpacked" same_file packed.dump plain.dump
check "dump: packed -j2 as unpacked" same_file j2.dump plain.dump

# Searches in JSON (paths, titles, snippets of the bodies), the time
# taken left out.
js() { jsearch -d "$1" -n 30 "$2" | jq -S 'del(.elapsed_ms)'; }
for q in security 'grain exports' 'title:report' 'author:"Dana Moore"' \
         'dam*' ''; do
    same "json '$q': packed as unpacked" "$(js packed.db "$q")" \
        "$(js plain.db "$q")"
    same "json '$q': packed -j2 as unpacked" "$(js j2.db "$q")" \
        "$(js plain.db "$q")"
done
check "json: the snippets come from the bodies" \
    test "$(js packed.db 'engineers repaired' | jq '[.hits[].snippet |
        select(test("engineers"; "i"))] | length')" -gt 0
# Text, its line of the time taken left out.
txt() { search -d "$1" -n 5 rain | sed 's/ in [0-9.]* ms$//'; }
same "text: packed as unpacked" "$(txt packed.db)" "$(txt plain.db)"
# Searched together with an unpacked database.
same "packed and unpacked searched as one" \
    "$(jsearch -d packed.db -d plain.db -n 40 parliament |
       jq -S 'del(.elapsed_ms)')" \
    "$(jsearch -d plain.db -d plain.db -n 40 parliament |
       jq -S 'del(.elapsed_ms)')"

# An incremental run keeps packing: the new article reads back.
gen docs 1 601
run index -d packed.db --no-progress docs
check "incremental: exit 0" eq "$rc|$err" "0|"
run index -d plain.db --no-progress docs
"$DBTOOL" dump plain.db > plain.dump
"$DBTOOL" dump packed.db > packed.dump
check "incremental: dump as unpacked" same_file packed.dump plain.dump
same "incremental: the new article's hit as unpacked" \
    "$(js packed.db 'title:601')" "$(js plain.db 'title:601')"
check "incremental: still version 3" \
    eq "$("$DBTOOL" get-meta packed.db dossier.schema)" 3
meta() { "$DBTOOL" get-meta "$1" "$2"; }
check "incremental on unpacked: still version 2, no dictionary" \
    eq "$(meta plain.db dossier.schema)|$(meta plain.db $KEY)" "2|"

# dossier-serve's /doc page shows the packed document's text.
if command -v curl > /dev/null 2>&1; then
    doc_page() {
        "$BIN/dossier-serve" -d "$1" --listen 127.0.0.1:0 \
            > "$T/serve.out" 2> "$T/serve.err" &
        _pid=$!
        if poll 200 grep -qs '^dossier-serve: serving ' "$T/serve.out"; then
            _port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
                    "$T/serve.out")
            curl -s "http://127.0.0.1:$_port/doc?id=7"
        fi
        kill "$_pid"
        wait "$_pid" 2> /dev/null
    }
    doc_page packed.db > packed.html
    doc_page plain.db > plain.html
    check "/doc: the page shows the body" grep -qi 'engineers\|council' \
        packed.html
    check "/doc: packed as unpacked" same_file packed.html plain.html
else
    skip "/doc: packed as unpacked" "curl is not installed"
fi

# Too few documents: not packed, version 2, nothing said.
gen small 20 1
run index -j1 -d small.db --no-progress small
check "too few documents: exit 0, nothing on stderr" eq "$rc|$err" "0|"
check "too few documents: no dictionary, version 2" \
    eq "$(meta small.db $KEY)|$(meta small.db dossier.schema)" "|2"

finish
