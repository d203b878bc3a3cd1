#!/bin/sh
# pdf.sh - PDF pages per second: dossier's extractor beside pdftotext
#
# Usage: pdf.sh BUILD_DIR [PAGES].  Makes a PAGES-page report (default 200)
# with tests/tools/mkformats under BUILD_DIR/bench/, then times, best of 3
# on the same warm file: pdftotext (poppler-utils, the text to a file),
# extract_pdf_file() in process, and the same through the sandbox (a child
# per file, the way the indexer runs it).  Prints one Markdown table.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=${1:-build}
pages=${2:-200}
dir=$build/bench/pdf
mkdir -p "$dir"
pdf=$dir/report-$pages.pdf
[ -f "$pdf" ] || "$build/mkformats" bench-pdf "$pages" "$pdf"

now() { date +%s.%N; }
best=""
for _ in 1 2 3; do
    t0=$(now)
    pdftotext "$pdf" "$dir/out.txt"
    t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
    best=$(awk -v a="$t" -v b="${best:-$t}" 'BEGIN { print (a < b ? a : b) }')
done
pt=$(awk -v s="$best" -v p="$pages" 'BEGIN { printf "%.0f", p / s }')
direct=$("$build/bench/pdfspeed" "$pdf")
boxed=$("$build/bench/pdfspeed" --sandbox "$pdf")
ps_direct=$(echo "$direct" | sed -E 's/.* ([0-9]+) pages\/s/\1/')
ps_boxed=$(echo "$boxed" | sed -E 's/.* ([0-9]+) pages\/s/\1/')

secs() { echo "$1" | sed -E 's/.*, ([0-9.]+) s,.*/\1/'; }
ratio() { awk -v a="$1" -v b="$pt" 'BEGIN { printf "%.2fx", a / b }'; }
echo "| PDF, $pages pages, $(wc -c < "$pdf") bytes | s (best of 3)" \
    "| pages/s | vs pdftotext |"
echo "|---|---|---|---|"
echo "| pdftotext | $best | $pt | 1.00x |"
echo "| extract_pdf_file | $(secs "$direct") | $ps_direct |" \
    "$(ratio "$ps_direct") |"
echo "| sandboxed | $(secs "$boxed") | $ps_boxed | $(ratio "$ps_boxed") |"
