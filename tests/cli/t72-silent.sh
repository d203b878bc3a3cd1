#!/bin/sh
# t72-silent.sh - nothing silent: files dossier cannot read are named or
# counted, a fatal run creates nothing, a vanished root is reported and
# --forget drops one
. "$(dirname "$0")/lib.sh"

art() { mkdir -p "$(dirname "$1")"; printf -- '---\ntitle: %s\n---\nA note on %s.\n' "$2" "$2" > "$1"; }
paths() { search -d "$1" --no-collapse --format paths -n 100 '' | sort | tr '\n' ' '; }
EXTS=".md .markdown .txt .html .htm .json .jsonl .pdf .docx .odt .js, the text ones also as .gz .zst"

# --- 1. A FILE named on the command line that dossier cannot read
art docs/a.md alpha
# (PDF and DOCX are read since issue 14: a spreadsheet and an image are not.)
printf 'PK not really\n' > report.xlsx
printf '\211PNG not really\n' > chart.png
run index -d one.db --no-progress report.xlsx docs chart.png
check "named XLSX: exit 1" eq "$rc" 1
check "named XLSX and PNG: each named with the formats dossier reads" eq "$err" \
"dossier-index: report.xlsx: unsupported file type (dossier reads $EXTS)
dossier-index: chart.png: unsupported file type (dossier reads $EXTS)"
check "... counted as skipped, the other argument indexed" \
    has "$out" "added 1 document from 1 file, updated 0, removed 0, unchanged 0, skipped 2 in "
check "... whose document is found" eq "$(paths one.db)" "$T/docs/a.md "
run index -d one.db --no-progress
check "a refused FILE is not recorded as a root" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 1, skipped 0 in "
check "... so a run without arguments says nothing" eq "$err:$rc" ":0"

run index -d two.db --no-progress docs nothere.md
check "missing FILE: named" eq "$err" \
    "dossier-index: nothere.md: cannot index: No such file or directory"
check "... exit 1, the rest indexed" eq "$rc" 1
check "... whose document is found" eq "$(paths two.db)" "$T/docs/a.md "

mkfifo pipe.md
run index -d three.db --no-progress docs pipe.md
check "a FIFO named: not a file" eq "$err:$rc" \
    "dossier-index: pipe.md: cannot index: not a regular file or directory:1"

run index -d lone.db --no-progress report.xlsx
check "a lone XLSX: named, exit 1" eq "$err:$rc" \
    "dossier-index: report.xlsx: unsupported file type (dossier reads $EXTS):1"
check "... nothing indexed" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 0, skipped 1 in "
check "... and no database made for nothing" test ! -e lone.db

# --- 2. Unsupported files inside a directory: counted, named with -v
art notes/n.md november
art notes/sub/m.md mike
printf 'scan\n' > notes/scan.png
printf 'readme\n' > notes/sub/README
printf 'hidden\n' > notes/.hidden.pdf
mkdir -p notes/.git && printf 'x\n' > notes/.git/HEAD.pdf
run index -d notes.db --no-progress notes
check "unsupported files counted after skipped" \
    has "$out" "added 2 documents from 2 files, updated 0, removed 0, unchanged 0, skipped 0, 2 unsupported in "
check "... not an error: exit 0, nothing said" eq "$err:$rc" ":0"
run index -d notes.db --no-progress -v notes
check "-v names each unsupported file, not hidden ones" eq "$(printf '%s\n' "$err" | sort)" \
"dossier-index: $T/notes/scan.png: not indexed: unsupported file type
dossier-index: $T/notes/sub/README: not indexed: unsupported file type"
check "... counted on every run" \
    has "$out" "unchanged 2, skipped 0, 2 unsupported in "
run index -d notes.db --no-progress -q notes
check "-q: no summary, nothing named" eq "$out:$err:$rc" "::0"
run index -d docs.db --no-progress docs
check "none unsupported: no count" \
    has "$out" "unchanged 0, skipped 0 in "
# The database kept inside the root it indexes is no document.
(cd notes && "$BIN/dossier-index" --no-progress -v . > "$T/in.out" 2> "$T/in.err")
check "a database inside the root: its files neither counted nor named" \
    has "$(cat in.out)" "added 2 documents from 2 files, updated 0, removed 0, unchanged 0, skipped 0, 2 unsupported in "
check "... only the two unsupported files named" \
    eq "$(grep -c 'not indexed' in.err)" 2
test -d notes/dossier.db || fail "... the database is inside the root" "no notes/dossier.db"
(cd notes && "$BIN/dossier-index" --no-progress . > "$T/in.out" 2> "$T/in.err")
check "... and stays out on the next run" \
    has "$(cat in.out)" "unchanged 2, skipped 0, 2 unsupported in "

# --- 3. A run that exits 2 creates nothing
mkdir -p empty && cd empty
run index --no-progress
check "no roots: exit 2" eq "$rc" 2
check "... said" eq "$err" \
    "dossier-index: no roots recorded in 'dossier.db': give a directory to index; try 'dossier-index --help'"
check "... and no ./dossier.db left behind" eq "$(ls -A)" ""
printf 'index:\n  jobs: many\n' > bad.yaml
run index -c bad.yaml --no-progress "$T/docs"
check "bad config: exit 2, no database" eq "$rc:$(ls -A)" "2:bad.yaml"
rm bad.yaml
run index --no-progress --bogus "$T/docs"
check "bad option: exit 2, no database" eq "$rc:$(ls -A)" "2:"
run index --no-progress -j x "$T/docs"
check "bad --jobs: exit 2, no database" eq "$rc:$(ls -A)" "2:"
run index --no-progress nothere
check "missing root on a first run: exit 2, named" eq "$rc:$err" \
    "2:dossier-index: nothere: cannot index: No such file or directory"
check "... no database" eq "$(ls -A)" ""
run index --no-progress nothere gone.md
check "every argument missing: exit 2, no database" eq "$rc:$(ls -A)" "2:"
printf 'index:\n  roots: [%s/nothere]\n' "$T" > cfg.yaml
run index -c cfg.yaml -d db --no-progress
check "config root missing on a first run: exit 2, named" eq "$rc:$err" \
    "2:dossier-index: index.roots: $T/nothere: cannot index: No such file or directory"
check "... no database" eq "$(ls -A)" "cfg.yaml"
rm cfg.yaml
mkdir made
run index -d made --no-progress
check "an empty directory given as -d, no roots: it stays empty" \
    eq "$rc:$(ls -A made)" "2:"
rmdir made
cd "$T"

if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    mkdir -p priv/shut && art priv/open/o.md oscar
    printf 'secret\n' > priv/closed.md
    chmod 600 priv/closed.md && chmod 700 priv/shut && chmod 777 "$T" priv
    nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    run nobody "$BIN/dossier-index" -d "$T/priv/a.db" --no-progress \
        "$T/priv/closed.md" "$T/priv/open"
    check "unreadable FILE named: exit 1" eq "$rc:$err" \
        "1:dossier-index: $T/priv/closed.md: cannot read: Permission denied"
    check "... the other argument indexed" has "$out" "added 1 document from 1 file,"
    run nobody "$BIN/dossier-index" -d "$T/priv/b.db" --no-progress \
        "$T/priv/shut"
    check "unreadable root on a first run: exit 2, named" eq "$rc:$err" \
        "2:dossier-index: $T/priv/shut: cannot read directory: Permission denied"
    check "... no database" test ! -e priv/b.db
else
    skip "unreadable FILE and root" "needs root and setpriv"
fi

# --- 4. A root that vanished: reported once, its documents kept
art p/docs/d1.md delta
art p/docs/d2.md echo
art p/docs2/e.md foxtrot
run index -d p.db --no-progress p/docs p/docs2
check "two roots, one a prefix of the other" has "$out" "added 3 documents from 3 files,"
mv p/docs p/away
run index -d p.db --no-progress
check "vanished root: one warning with its documents and the way out" eq "$err" \
    "dossier-index: warning: $T/p/docs: root not found, its 2 documents kept (use --forget $T/p/docs to drop them)"
check "... exit 1" eq "$rc" 1
check "... nothing removed" has "$out" "removed 0, unchanged 1, skipped 1"
check "... its documents are still found" eq "$(paths p.db)" \
    "$T/p/docs/d1.md $T/p/docs/d2.md $T/p/docs2/e.md "
mv p/away p/docs
run index -d p.db --no-progress
check "the root back: nothing to say" eq "$err:$rc" ":0"
mv p/docs2 p/away
run index -d p.db --no-progress
check "a vanished root with one document" eq "$err" \
    "dossier-index: warning: $T/p/docs2: root not found, its 1 document kept (use --forget $T/p/docs2 to drop it)"
mv p/away p/docs2

# --- 5. --forget ROOT
run index -d p.db --forget p/docs
check "--forget docs: exit 0, said on stdout" eq "$rc:$out:$err" \
    "0:forgot $T/p/docs: removed 2 documents:"
check "... docs2's document stays (no prefix trap)" eq "$(paths p.db)" \
    "$T/p/docs2/e.md "
run index -d p.db --no-progress
check "... docs is no longer walked" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 1, skipped 0 in "
run index -d p.db --forget nope
check "unknown root: exit 2, the recorded ones listed" eq "$rc:$err" \
    "2:dossier-index: --forget: 'nope' is not a recorded root (recorded: '$T/p/docs2')"
rm -r p/docs2
run index -d p.db --forget p/docs2/ -q
check "a vanished root is forgotten by the name it had, -q says nothing" \
    eq "$rc:$out:$err" "0::"
run search -d p.db ''
check "... its document gone" no_hits
run index -d p.db --no-progress
check "no roots left: exit 2, the database kept" eq "$rc:$(test -d p.db && echo kept)" "2:kept"
run index -d p.db --forget "$T/p/docs"
check "unknown root with none recorded" eq "$rc:$err" \
    "2:dossier-index: --forget: '$T/p/docs' is not a recorded root (recorded: none)"

# Nested roots: forgetting the outer one keeps the inner one's documents.
art n/top.md tango
art n/in/inner.md india
run index -d n.db --no-progress n/in n
run index -d n.db --forget n
check "nested roots: only the outer root's own documents removed" \
    eq "$rc:$out" "0:forgot $T/n: removed 1 document"
check "... the inner root's document stays" eq "$(paths n.db)" "$T/n/in/inner.md "

# An export holds many documents: they are counted, not its one file.
mkdir -p ex
printf '{"title":"a","text":"one"}\n{"title":"b","text":"two"}\n{"title":"c","text":"three"}\n' > ex/posts.jsonl
run index -d ex.db --no-progress ex
run index -d ex.db --forget ex
check "--forget counts an export's documents" eq "$rc:$out" \
    "0:forgot $T/ex: removed 3 documents"

run index -d nodb --forget docs
check "--forget on no database: exit 2, nothing created" \
    eq "$rc:$err:$(test -e nodb && echo made)" \
    "2:dossier-index: nodb: no database here (nothing to forget):"
run index -d one.db --forget docs docs
check "--forget with a DIR: exit 2" eq "$rc" 2
check "... said" eq "$err" \
    "dossier-index: --forget: takes no DIR or FILE (forgetting and indexing are separate runs); try 'dossier-index --help'"
finish
