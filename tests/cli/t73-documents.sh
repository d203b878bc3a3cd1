#!/bin/sh
# t73-documents.sh - PDF, DOCX, ODT and compressed files, end to end
#
# A folder holding the format fixtures (tests/fixtures/formats/, made by
# tests/tools/mkformats.c) indexes with each document's title, authors and
# date right; PDF hits carry the page of their snippet (JSON "page", text
# "p. N"); every hostile fixture is named once with its reason and counted
# as skipped, the rest indexed; a rerun changes nothing.  PDF and Office
# parsing runs in a child per file: a parser that crashes or hangs
# (DOSSIER_TEST_PARSER, the test hook of indexer/job.c) names the file, the
# run goes on, and the file's documents already indexed are kept.
. "$(dirname "$0")/lib.sh"

F=$FIX/formats
mkdir d
for f in "$F"/*; do
    case $f in *.sh) ;; *) cp "$f" d/ ;; esac
done
D=$T/d

run index -d db --no-progress d
check "exit 1: files skipped" eq "$rc" 1
check "each hostile file named once, with its reason" \
    eq "$(printf '%s\n' "$err" | sort)" \
"dossier-index: $D/bomb.jsonl.gz: compression bomb: gzip stream expands more than 100:1 (6291268 bytes from 61056)
dossier-index: $D/bomb.jsonl.zst: compression bomb: zstd stream expands more than 100:1 (1179616 bytes from 5672)
dossier-index: $D/encrypted.pdf: encrypted (needs a password)
dossier-index: $D/scanned.pdf: no text layer (scanned?)
dossier-index: $D/truncated.jsonl.zst: truncated zstd stream after 0 bytes
dossier-index: $D/truncated.md.gz: truncated gzip stream after 245 bytes
dossier-index: $D/truncated.pdf: broken PDF: PDF document is damaged
dossier-index: $D/zip-bomb.docx: zip bomb: expands past the 64 MiB limit
dossier-index: warning: $D/truncated.jsonl.gz: truncated gzip stream after 813 bytes; kept 4 whole posts before it"
# 40 posts three times (plain, gzip, zstd), the 4 whole posts of the cut
# gzip, 4 PDFs, 2 DOCX (xxe.docx too), an ODT and 2 compressed text files.
check "the rest indexed: documents and files counted" \
    has "$out" "added 133 documents from 13 files, updated 0, removed 0, unchanged 0, skipped 8 in "

fields() {  # PATH: title|authors|date|page of the first hit in PATH
    jsearch -d db --no-collapse -n 500 '' |
        jq -r --arg p "$D/$1" '[.hits[] | select(.path == $p)][0] |
            "\(.title)|\(.authors | join(","))|\(.date)|\(.page)"'
}
same "PDF: title, authors, date from the information dictionary" \
    "$(fields air-policing.pdf)" \
    "Rotations Over the Baltic|Marta Kovalenko,Lucía Ferreira|2025-03-14|1"
same "PDF: a tool's title ('Microsoft Word - ...') replaced by the first line" \
    "$(fields flank-logistics.pdf)" \
    "Logistics Hubs on the Eastern Flank|Pieter Jansen|2024-11-05|1"
same "PDF without an information dictionary: title from the first page" \
    "$(fields grain-corridor.pdf)" \
    "Insuring the Black Sea Grain Corridor||null|1"
same "DOCX: core properties title, creator, created; no page" \
    "$(fields shadow-fleet.docx)" \
    "Sanctions Enforcement at Sea|Ingrid Solberg|2025-02-20|null"
same "ODT: meta title, initial creator, creation date" \
    "$(fields demining.odt)" \
    "Demining the Kharkiv Farmland|Oleksandr Hrytsenko|2025-04-02|null"
same "Markdown in gzip: front matter read" \
    "$(fields grid-repairs.md.gz)" \
    "Winter Repairs to the Grid|Olena Hrytsenko|2025-01-20|null"
same "text in zstd: header lines read" \
    "$(fields rail-gauge.txt.zst)" \
    "Rail Gauge and the Baltic Timeline|Pieter Jansen|2024-12-02|null"
same "DOCX with external entities: indexed, the entities not loaded" \
    "$(jsearch -d db 'entity check' | jq -r '.hits[0].snippet')" \
    "Entity check: [] [] done."

posts_in() {
    search -d db --no-collapse --format paths -n 500 '' | grep -c "^$D/$1:"
}
check "posts.jsonl.gz: 40 posts, over two gzip members" eq "$(posts_in posts.jsonl.gz)" 40
check "posts.jsonl.zst: 40 posts" eq "$(posts_in posts.jsonl.zst)" 40
check "truncated.jsonl.gz: the 4 whole posts before the cut kept" \
    eq "$(posts_in truncated.jsonl.gz)" 4
check "... the first 4, the incomplete fifth dropped" \
    eq "$(search -d db --no-collapse --format json -n 500 '' |
          jq -r --arg p "$D/truncated.jsonl.gz" \
          '[.hits[] | select(.path == $p) | .id] | sort | join(",")')" \
    "p001,p002,p003,p004"

# Pages: the hit gives the page its snippet comes from.
hit() { jsearch -d db "$@" | jq -r '.hits[0] | "\(.path)|\(.page)|\(.snippet)"'; }
h=$(hit parliaments interception)
same "JSON: page 3 of a 3-page PDF" "${h%%|*}|$(echo "$h" | cut -d'|' -f2)" \
    "$D/air-policing.pdf|3"
check "... and the snippet comes from page 3" \
    has "$h" "publish an annual interception report"
h=$(hit underwriters)
same "JSON: page 2 of a PDF without metadata" \
    "$(echo "$h" | cut -d'|' -f1,2)" "$D/grain-corridor.pdf|2"
h=$(hit 'burden sharing')
same "JSON: page 2 when the words are on page 2" \
    "$(echo "$h" | cut -d'|' -f1,2)" "$D/air-policing.pdf|2"
check "... the snippet from page 2" has "$h" "Costs and Burden Sharing"
h=$(hit barrels howitzers)
same "JSON: page 3 after a repeated page indexed once" \
    "$(echo "$h" | cut -d'|' -f1,2)" "$D/repeated-cover.pdf|3"
run search -d db parliaments interception
check "text: the path followed by the page" \
    has "$out" "     $D/air-policing.pdf, p. 3"
run search -d db --format json shadow fleet
check "JSON: no page for a DOCX" \
    eq "$(printf '%s' "$out" | jq -c '.hits[0] | [.path, has("page")]')" \
    "[\"$D/shadow-fleet.docx\",false]"

# A rerun reads nothing again and changes nothing.
dumps db before
run index -d db --no-progress d
check "rerun: every document unchanged" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 133, skipped 8 in "
check "rerun: the 8 files that still cannot be read named again" \
    eq "$(printf '%s\n' "$err" | grep -c '^dossier-index: /')" 8
check "... the cut export, stamped with what it gave, not warned again" \
    hasnt "$err" "truncated.jsonl.gz"
dumps db after
check "rerun: the database is the same" same_file before.dump after.dump

# A bomb found after posts were written (as one past the 8 MiB held back
# would be): they are taken back, the file named and skipped.
mkdir b && cp "$F/bomb.jsonl.zst" "$F/posts.jsonl.gz" b/
DOSSIER_TEST_NO_HOLD=1 run index -d b.db --no-progress b
check "bomb after posts written: named, exit 1" eq "$rc:$err" \
"1:dossier-index: $T/b/bomb.jsonl.zst: compression bomb: zstd stream expands more than 100:1 (1179616 bytes from 5672)"
check "... its posts not counted" \
    has "$out" "added 40 documents from 1 file, updated 0, removed 0, unchanged 0, skipped 1 in "
check "... nor found" eq "$(search -d b.db --no-collapse --format paths -n 100000 '' |
    grep -c bomb)" 0
check "... the other file's posts are" \
    eq "$(search -d b.db --no-collapse --format paths -n 100000 '' | wc -l)" 40

# A FILE named on the command line is read by its format too.
run index -d one.db --no-progress "$D/demining.odt" "$D/air-policing.pdf"
check "named ODT and PDF: indexed" \
    eq "$rc:$err" "0:"
check "... two documents" \
    has "$out" "added 2 documents from 2 files"

# Isolation: a parser that crashes or hangs names its file; the run goes
# on, and what the file gave before stays.
touch d/air-policing.pdf d/grain-corridor.pdf
DOSSIER_TEST_PARSER=crash:air-policing run index -d db --no-progress d
check "crash: the file named with the signal" \
    has "$err" "dossier-index: $D/air-policing.pdf: the PDF parser crashed (signal 11)"
check "... once" eq "$(printf '%s\n' "$err" | grep -c air-policing)" 1
check "... the other changed PDF read again, the crashed one skipped" \
    has "$out" "added 0 documents from 1 file, updated 0, removed 0, unchanged 132, skipped 9 in "
same "... and the crashed file's document is still found" \
    "$(hit parliaments interception | cut -d'|' -f1,2)" "$D/air-policing.pdf|3"
touch d/demining.odt
DOSSIER_TEST_PARSER=hang:demining run index -d db --no-progress d
check "hang: the ODT's parser killed at the wall-clock limit, named" \
    has "$err" "dossier-index: $D/demining.odt: the document parser timed out after 1 s"
check "... exit 1, the run finished" eq "$rc" 1
check "... no parser left behind" \
    eq "$(ps -eo args | grep -cxF "$BIN/dossier-index -d db --no-progress d")" 0

finish
