#!/bin/sh
# pdf.sh - PDF pages per second: dossier beside pdftotext, same files
#
# Usage: pdf.sh BUILD_DIR [PAGES [FILES [BIN]]].  Makes a PAGES-page report
# (default 200) with tests/tools/mkformats under BUILD_DIR/bench/pdf/ and
# FILES copies of it (default 5) in a folder, then times, best of 3 on the
# same warm files:
#   pdftotext          poppler-utils, each file's text to a file
#   extract_pdf_file   dossier's extractor in process (bench/pdfspeed)
#   sandboxed          the same through sandbox_run(), a child per file
#   dossier-index -jN  end to end: the folder into a fresh database (the
#                      child per file, the body cleaner, terms, Xapian),
#                      with one worker and with the default
# Prints one Markdown table; pages/s are over all FILES copies.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=${1:-build}
pages=${2:-200}
files=${3:-5}
bin=${4:-.}
dir=$build/bench/pdf
mkdir -p "$dir"
pdf=$dir/report-$pages.pdf
[ -f "$pdf" ] || "$build/mkformats" bench-pdf "$pages" "$pdf"
rm -rf "$dir/files" "$dir/db"
mkdir -p "$dir/files"
i=1
while [ "$i" -le "$files" ]; do
    cp "$pdf" "$dir/files/report-$i.pdf"
    i=$((i + 1))
done
total=$((pages * files))

now() { date +%s.%N; }
# best CMD...: the best wall-clock seconds of 3 runs of CMD.
best() {
    b=""
    for _ in 1 2 3; do
        t0=$(now)
        "$@" > /dev/null
        t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
        b=$(awk -v a="$t" -v b="${b:-$t}" 'BEGIN { print (a < b ? a : b) }')
    done
    echo "$b"
}
pdftotext_all() {
    for f in "$dir"/files/*.pdf; do pdftotext "$f" "$dir/out.txt"; done
}
index_all() {   # [JOBS]: none, the default (config, else cores)
    rm -rf "$dir/db"
    "$bin/dossier-index" -d "$dir/db" ${1:+-j "$1"} --no-progress -q \
        "$dir/files"
}
rate() { awk -v s="$1" -v p="$total" 'BEGIN { printf "%.0f", p / s }'; }

pt=$(best pdftotext_all)
pt_rate=$(rate "$pt")
ratio() { awk -v a="$1" -v b="$pt_rate" 'BEGIN { printf "%.2fx", a / b }'; }
row() {     # NAME SECONDS
    r=$(rate "$2")
    echo "| $1 | $2 | $r | $(ratio "$r") |"
}
secs() { echo "$1" | sed -E 's/.*, ([0-9.]+) s,.*/\1/'; }

direct=$("$build/bench/pdfspeed" "$dir"/files/*.pdf)
boxed=$("$build/bench/pdfspeed" --sandbox "$dir"/files/*.pdf)
j1=$(best index_all 1)
jn=$(best index_all)
jobs=$(nproc 2>/dev/null || echo 1)

echo "| $files PDFs of $pages pages, $(wc -c < "$pdf") bytes each" \
    "| s (best of 3) | pages/s | vs pdftotext |"
echo "|---|---|---|---|"
row pdftotext "$pt"
row extract_pdf_file "$(secs "$direct")"
row "sandboxed (a child per file)" "$(secs "$boxed")"
row "dossier-index -j1, end to end" "$j1"
row "dossier-index (default -j, $jobs cores), end to end" "$jn"
