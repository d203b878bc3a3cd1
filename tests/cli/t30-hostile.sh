#!/bin/sh
# t30-hostile.sh - bad files are named once, the rest is indexed, exit 1
. "$(dirname "$0")/lib.sh"

cp -r "$FIX/hostile" h
# Made here, not committed: sizes, links and trees a checkout cannot hold.
truncate -s 2200000 h/oversize.txt
{ printf 'Title: One long line\n\n'; head -c 1048576 /dev/zero |
    tr '\0' 'x'; printf ' interceptor\n'; } > h/long-line.txt
ln -s loop.md h/loop.md
mkdir -p h/sub && ln -s .. h/sub/up
d=h/deep; i=0
while [ $i -lt 60 ]; do d=$d/d$i; i=$((i + 1)); done
mkdir -p "$d" && printf -- '---\ntitle: Deep down\n---\nBuried ammunition report.\n' > "$d/deep.md"
mkdir -p outside && printf 'Title: Outside\n\nOutside the root.\n' > outside/o.txt
ln -s ../outside h/escape

run index -d db.x -c "$FIX/hostile.yaml" --no-progress h
check "hostile tree exits 1, stderr only its own" skipped_files
check "summary counts" \
    has "$out" "added 8 documents from 8 files, updated 0, removed 0, unchanged 0, skipped 6 in "
p="$T/h"
check "binary named" has "$err" "dossier-index: $p/binary.txt: binary file (contains NUL bytes)"
check "empty named" has "$err" "dossier-index: $p/empty.md: empty file"
check "oversize named, not read" \
    has "$err" "dossier-index: $p/oversize.txt: file too large (2200000 bytes, limit 2097152)"
check "symlink loop named" has "$err" "dossier-index: $p/loop.md: symbolic link loop"
check "directory loop named" \
    has "$err" "dossier-index: $p/sub/up: directory loop (not followed)"
check "link out of the root named" \
    has "$err" "dossier-index: $p/escape: symbolic link leaves the root"
check "alias bomb: warning with line:col" \
    has "$err" "dossier-index: warning: $p/alias-bomb.md:2:4: YAML anchors and aliases are not allowed in front matter; fields ignored"
check "malformed front matter: warning with line:col" \
    has "$err" "dossier-index: warning: $p/malformed.md:4:1: malformed front matter: "
check "impossible date: warning" \
    has "$err" "dossier-index: warning: $p/impossible-date.md:3: invalid date '2025-02-30': day 30 out of range for February 2025; date left empty"
check "invalid UTF-8: warning" \
    has "$err" "dossier-index: warning: $p/invalid-utf8.md: invalid UTF-8 (3 bytes) replaced with U+FFFD"
check "each bad file named once" \
    eq "$(printf '%s\n' "$err" | sort | uniq -d)" ""
check "every message is one line naming the program" \
    eq "$(printf '%s\n' "$err" | grep -vc '^dossier-index: ')" 0

run search -d db.x --format json -n 50 ''
check "good files all indexed" \
    eq "$(printf '%s\n' "$out" | jq -r '[.hits[].path | sub(".*/h/"; "")] | sort | join(" ")')" \
    "alias-bomb.md bom-crlf.md deep/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/d21/d22/d23/d24/d25/d26/d27/d28/d29/d30/d31/d32/d33/d34/d35/d36/d37/d38/d39/d40/d41/d42/d43/d44/d45/d46/d47/d48/d49/d50/d51/d52/d53/d54/d55/d56/d57/d58/d59/deep.md good.md impossible-date.md invalid-utf8.md long-line.txt malformed.md"
run search -d db.x --format json deterrence
check "alias bomb body indexed, fields ignored" \
    eq "$(printf '%s\n' "$out" | jq -r '.hits[0] | "\(.title)|\(.authors|length)"')" "null|0"
run search -d db.x --format json '"broken front matter"'
check "malformed front matter: body indexed" eq "$(printf '%s\n' "$out" | jq '.total')" 1
run search -d db.x --format json reassurance
check "impossible date left empty" eq "$(printf '%s\n' "$out" | jq -r '.hits[0].date')" null
run search -d db.x --format json patriot
check "BOM and CRLF: fields read" \
    eq "$(printf '%s\n' "$out" | jq -r '.hits[0] | "\(.title)|\(.authors[0])|\(.date)"')" \
    "BOM and CRLF|Borys Ostapenko|2023-05-01"
run search -d db.x --format json sanctions
check "invalid UTF-8 repaired and indexed" \
    eq "$(printf '%s\n' "$out" | jq -r '.hits[0].title')" "Broken bytes"
run search -d db.x --format paths interceptor
check "a 1 MB line is indexed" has "$out" "long-line.txt"

# A file nobody but its owner can read, for an indexer that is not root.
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    mkdir -p u && printf -- '---\ntitle: Open\n---\nreadable\n' > u/open.md
    printf -- '---\ntitle: Closed\n---\nsecret\n' > u/closed.md
    chmod 600 u/closed.md && chmod 777 "$T" u
    run setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$BIN/dossier-index" -d "$T/u.db" --no-progress "$T/u"
    check "unreadable file: exit 1, stderr only its own" skipped_files
    check "unreadable file named" \
        has "$err" "dossier-index: $T/u/closed.md: Permission denied"
    check "readable neighbour indexed" has "$out" "added 1 document from 1 file,"
else
    skip "unreadable file" "needs root and setpriv"
fi

# Nothing already indexed is lost by a bad run.
run index -d db.x -c "$FIX/hostile.yaml" --no-progress h
check "second run: the same skips, nothing removed" \
    has "$out" "removed 0, unchanged 8, skipped 6"
finish
