#!/bin/sh
# t63-hostile-resources.sh - alias bombs, deep nesting, huge files, links, depth
#
# Each hostile input must be refused or skipped quickly, with a clear
# one-line message, and never stop the rest from being indexed.
. "$(dirname "$0")/lib.sh"
H="$FIX/resources"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# quick CMD...: run CMD, and set $ms to how long it took.
quick() { t0=$(now_ms); run "$@"; ms=$(( $(now_ms) - t0 )); }
# Sanitizer and valgrind runs are many times slower; the bound is loose
# enough for them and still far below what expanding a bomb would take.
limit_ms=${T63_LIMIT_MS:-5000}

# --- YAML in the config
quick search -c "$H/alias-bomb.yaml" -d none anything
check "config alias bomb: exit 2" eq "$rc" 2
check "config alias bomb: one clear line" eq "$err" \
    "dossier-search: $H/alias-bomb.yaml:2:4: YAML anchors and aliases are not allowed"
check "config alias bomb: quick" [ "$ms" -lt "$limit_ms" ]

awk 'BEGIN { s = "stopwords: "; for (i = 0; i < 10000; i++) s = s "[";
             print s }' > deep.yaml
quick index -c deep.yaml -d db.x --no-progress .
check "config nested 10000 deep: exit 2" eq "$rc" 2
check "config nested 10000 deep: says so" has "$err" \
    "dossier-index: deep.yaml:1:"
check "config nested 10000 deep: one line" \
    eq "$(printf '%s\n' "$err" | grep -c .)" 1
check "config nested 10000 deep: quick" [ "$ms" -lt "$limit_ms" ]

# --- YAML in front matter: fields ignored, body indexed
mkdir fm
cp "$H/alias-bomb.md" fm/bomb.md
{ echo '---'; awk 'BEGIN { s = "title: "; for (i = 0; i < 10000; i++)
    s = s "["; print s }'; echo '---'; echo; echo 'Deep quokkadeep body.'; } \
    > fm/deep.md
quick index -d fm.db --no-progress fm
check "front matter bombs: indexed (exit 0)" eq "$rc" 0
check "front matter bombs: both added" has "$out" "added 2 documents from 2 files,"
check "front matter alias bomb: warned with position" has "$err" \
    "dossier-index: warning: $T/fm/bomb.md:2:4: YAML anchors and aliases are not allowed in front matter; fields ignored"
check "front matter deep nesting: warned" has "$err" \
    "dossier-index: warning: $T/fm/deep.md:2:"
check "front matter bombs: quick" [ "$ms" -lt "$limit_ms" ]
run search -d fm.db --format paths quokkabomb
check "alias bomb body searchable" eq "$out" "$T/fm/bomb.md"
run search -d fm.db --format paths quokkadeep
check "deep front matter body searchable" eq "$out" "$T/fm/deep.md"

# --- a 100 MB file: skipped by its size, never opened
mkdir big
printf -- '---\ntitle: small\n---\nsmall quokkasmall file\n' > big/small.md
truncate -s 100M big/huge.md
quick index -d big.db --no-progress big
check "100 MB file: exit 1 (skipped), stderr only its own" skipped_files
check "100 MB file: named with the reason" eq "$err" \
    "dossier-index: $T/big/huge.md: file too large (104857600 bytes, limit 10485760)"
check "100 MB file: the rest indexed" has "$out" "added 1 document from 1 file, updated 0, removed 0, unchanged 0, skipped 1"
check "100 MB file: quick" [ "$ms" -lt "$limit_ms" ]
if command -v strace > /dev/null 2>&1 &&
   strace -f -qq -e trace=open,openat -o big.trace "$BIN/dossier-index" \
       -d big2.db --no-progress big > /dev/null 2>&1 ||
   [ -s big.trace ]; then
    check "100 MB file: never opened" eq "$(grep -c 'huge\.md' big.trace)" 0
else
    skip "100 MB file: never opened" "no working strace"
fi

# --- symbolic links that leave the root
mkdir -p outside root/sub
printf 'Outside quokkaout text.\n' > outside/secret.txt
printf 'Inside quokkain text.\n' > root/inside.txt
ln -s ../outside/secret.txt root/leak.txt
ln -s ../outside root/outdir
ln -s ../sub root/sub/loop
ln -s inside.txt root/samelink.txt
run index -d links.db --no-progress root
check "links: exit 1 (skipped), stderr only its own" skipped_files
check "links: file link leaving the root named" has "$err" \
    "dossier-index: $T/root/leak.txt: symbolic link leaves the root (not followed; set index.follow_symlinks to follow)"
check "links: directory link leaving the root named" has "$err" \
    "dossier-index: $T/root/outdir: symbolic link leaves the root"
check "links: loop named" has "$err" "$T/root/sub/loop"
run search -d links.db --format paths quokkaout
check "links: outside text not indexed" no_hits
run search -d links.db --format paths quokkain
check "links: inside link followed" has "$out" "$T/root/inside.txt"
printf 'index:\n  follow_symlinks: true\n' > follow.yaml
run index -c follow.yaml -d follow.db --no-progress root
check "links followed with index.follow_symlinks" has "$out" "added 4 documents from 4 files,"
run search -d follow.db --no-collapse --format paths quokkaout
check "links: outside text indexed when allowed" eq "$(printf '%s\n' "$out" | wc -l)" 2

# --- a tree 200 levels deep
p=deep
i=0
while [ $i -lt 200 ]; do p="$p/level$i"; i=$((i + 1)); done
mkdir -p "$p"
printf 'At the bottom quokkabottom.\n' > "$p/bottom.txt"
quick index -d deep.db --no-progress deep
check "200 levels: exit 0" eq "$rc" 0
check "200 levels: indexed" has "$out" "added 1 document from 1 file,"
run search -d deep.db --format paths quokkabottom
check "200 levels: found" eq "$out" "$T/$p/bottom.txt"
finish
