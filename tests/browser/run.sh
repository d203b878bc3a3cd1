#!/bin/sh
# tests/browser/run.sh - dossier-serve in a real browser (make browser-test)
#
# Indexes the sample corpus, starts dossier-serve on a free loopback port
# and drives headless Chromium (Debian's chromium) through what a user
# does: load the page, search (the url the form's GET submits, every
# filter field blank), click a facet (the href of the first author in the
# page Chromium rendered), open a hit; each page is the DOM after
# Chromium ran it, and the browser's console must not report a blocked
# resource (the Content-Security-Policy lets the style sheet in).
# Screenshots of the search page, wide and phone-sized, go to OUTDIR.
# Usage: sh tests/browser/run.sh BINDIR OUTDIR
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
BIN=$(cd "$1" && pwd)
OUT=$2
R=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-browser.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift;
        for l in "$@"; do printf '#   %s\n' "$l"; done; }
check() { _n=$1; shift; if "$@"; then ok "$_n"; else bad "$_n" "failed: $*"; fi; }

CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    echo "browser-test: chromium is not installed (apt-get install chromium)" >&2
    exit 2
fi
# Root (CI) cannot use Chromium's sandbox.  Each run is bounded by
# timeout(1) (which runs programs, not shell functions).
chrome() {
    timeout 60 "$CHROME" --headless --no-sandbox --disable-gpu \
        --no-first-run --disable-extensions --hide-scrollbars \
        --user-data-dir="$T/profile" --enable-logging=stderr --v=0 "$@"
}
# dom NAME URL: the DOM Chromium built from URL in $T/NAME.html, its log
# in $T/NAME.log.
dom() {
    chrome --dump-dom "$2" > "$T/$1.html" 2> "$T/$1.log"
}
blocked() { grep -E "Refused to|Content.Security.Policy" "$T/$1.log"; }

"$BIN/dossier-index" -q -d "$T/db" --no-progress "$R"/corpus/*/ ||
    { echo "browser-test: indexing the corpus failed" >&2; exit 2; }
"$BIN/dossier-serve" -d "$T/db" --listen 127.0.0.1:0 > "$T/serve.out" \
    2> "$T/serve.err" &
pid=$!
i=0
while ! grep -q '^dossier-serve: serving' "$T/serve.out" && [ $i -lt 100 ]
do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/serve.out")
[ -n "$port" ] || { echo "browser-test: dossier-serve did not start:" \
    "$(cat "$T/serve.err")" >&2; exit 2; }
base="http://127.0.0.1:$port"

dom home "$base/"
check "the page loads" grep -q '<form class="search"' "$T/home.html"
check "with its style sheet (nothing blocked)" test -z "$(blocked home)"

# What the form's GET submits, blank filters included.
search="$base/?q=%22security+guarantees%22&author=&since=&until=&source=&tag=&lang=&sort="
dom search "$search"
hits=$(grep -o '<li class="hit">' "$T/search.html" | wc -l)
check "a search lists hits" test "$hits" -gt 0
check "with its words highlighted" grep -q '<mark>' "$T/search.html"
check "nothing blocked on the results" test -z "$(blocked search)"

# Click the first author facet: its href, as the page has it.
href=$(sed -n 's|.*<section class="facet"><h3>Authors</h3><ul><li><a href="\([^"]*\)".*|\1|p' \
       "$T/search.html" | head -n 1 | sed 's/&amp;/\&/g')
check "the page has an author facet" test -n "$href"
dom facet "$base$href"
fhits=$(grep -o '<li class="hit">' "$T/facet.html" | wc -l)
check "clicking it narrows the search" test "$fhits" -gt 0 -a "$fhits" -le "$hits"
check "to that author" grep -q 'name="author"[^>]*value="[^"]' "$T/facet.html"

doc=$(sed -n 's|.*<h2><a href="\(/doc?key=[^"]*\)".*|\1|p' "$T/search.html" |
      head -n 1 | sed 's/&amp;/\&/g')
dom doc "$base$doc"
check "a hit opens its document" grep -q '<article class="text">' "$T/doc.html"
check "with the query highlighted" grep -q '<mark>' "$T/doc.html"

chrome --window-size=1280,1000 --screenshot="$OUT/serve-search.png" \
    "$search" > /dev/null 2>&1
check "a screenshot (laptop)" test -s "$OUT/serve-search.png"
chrome --window-size=390,844 --screenshot="$OUT/serve-phone.png" \
    "$search" > /dev/null 2>&1
check "a screenshot (phone)" test -s "$OUT/serve-phone.png"
chrome --window-size=1280,1000 --screenshot="$OUT/serve-doc.png" \
    "$base$doc" > /dev/null 2>&1
check "a screenshot (document)" test -s "$OUT/serve-doc.png"

kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
check "dossier-serve stops cleanly" test "$rc" -eq 0
echo "browser-test: $n checks, $failed failed; screenshots in $OUT"
exit $((failed > 0))
