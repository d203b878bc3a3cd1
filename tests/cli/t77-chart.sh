#!/bin/sh
# t77-chart.sh - timelines as pictures (issue 15 point 6): --histogram-by
# splits the histogram into the top authors, sources or languages, and
# --chart writes it as an SVG chart, checked here by parsing it
. "$(dirname "$0")/lib.sh"

if ! command -v xmllint > /dev/null 2>&1; then
    skip "SVG charts" "xmllint (libxml2-utils) not installed"
    finish
fi

run index -d db --no-progress "$FIX/chart"
check "chart fixtures index" eq "$rc" 0
s() { search -d db "$@"; }
# x FILE XPATH: the XPath string value (SVG elements by local name).
x() { xmllint --xpath "$2" "$1" 2>/dev/null; }
bars="//*[local-name()='rect'][@class='bar']"
HOSTILE="<script>alert(\"x\")</script> O'Brien"

# --- The split histogram, in JSON ------------------------------------
run s convoy -n 0 --histogram month --histogram-by author --format json
check "--histogram-by author: exit 0" eq "$rc:$err" "0:"
j=$out
check "histogram_by: key, unit, top and groups" \
    eq "$(printf '%s' "$j" | jq -c '.histogram_by | [.key, .unit, .top,
        .groups]')" '["author","month",5,4]'
check "histogram_by: its periods are the histogram's" \
    eq "$(printf '%s' "$j" | jq -c '.histogram_by.periods')" \
    "$(printf '%s' "$j" | jq -c '[.histogram.counts[].value]')"
check "histogram_by: the series of each period add up to its count" \
    eq "$(printf '%s' "$j" | jq -c '[.histogram_by.series[].counts] |
        transpose | map(add)')" "$(printf '%s' "$j" | jq -c '[.histogram.counts[].count]')"
check "histogram_by: a series per top author, then the matches without" \
    eq "$(printf '%s' "$j" | jq -c '[.histogram_by.series[] |
        [.name, .other, .total, .matches]]')" \
    "$(jq -cn --arg h "$HOSTILE" '[["Ada Quill",false,3,3],
        ["Bo Ek",false,2,3],[$h,false,2,2],["Cy Vale",false,1,1],
        ["no author",true,1,1]]')"
# The article by Ada Quill and Bo Ek (2025-01) counts once, for Ada
# Quill, who has more matches; Bo Ek's series has only his own.
check "two authors: counted once, for the one with more matches" \
    eq "$(printf '%s' "$j" | jq -c '[.histogram_by.series[0:2][].counts]')" \
    "[[3,0,0,0],[0,0,2,0]]"
check "undated matches stay out of the series, as of the histogram" \
    eq "$(printf '%s' "$j" | jq -c '[.histogram.undated,
        ([.histogram_by.series[].total] | add), .total]')" "[1,9,10]"

run s convoy -n 0 --histogram month --histogram-by author:2 --format json
check "author:2: two series and other, still adding up" \
    eq "$(printf '%s' "$out" | jq -c '[(.histogram_by.series[] |
        [.name, .total]), ([.histogram_by.series[].counts] | transpose | map(add)) ==
        [.histogram.counts[].count]]')" \
    '[["Ada Quill",3],["Bo Ek",2],["other",4],true]'
run s convoy -n 0 --histogram month --histogram-by source --format json
check "--histogram-by source: the sources as source: takes them" \
    eq "$(printf '%s' "$out" | jq -c '[.histogram_by.series[] |
        [.name, .counts]]')" \
    '[["test-gazette",[2,0,2,1]],["other-daily",[1,0,2,1]]]'
run s convoy -n 0 --histogram year --histogram-by lang --format json
check "--histogram-by lang: one series per language" \
    eq "$(printf '%s' "$out" | jq -c '[.histogram_by.series[] |
        [.name, .counts]]')" '[["en",[9]]]'

# --- The split histogram, as text ------------------------------------
run s convoy -n 0 --histogram month --histogram-by author:2
check "text: a legend, then a row per period" \
    eq "$(printf '%s\n' "$out" | sed -n '1,/^  (no date)/p')" \
"Matches per month by author (top 2 of 4):
    [1]      3  Ada Quill
    [2]      2  Bo Ek (and 1 shared with a series above)
  other      4  (2 more authors, or no author)
  month   all  [1]  [2]  other
  2025-01   3    3    0      0
  2025-02   0    0    0      0
  2025-03   4    0    2      2
  2025-04   2    0    0      2
  (no date) 1"

run s convoy -n 0 --histogram month --histogram-by author --author 'Nobody Here'
check "--histogram-by, no match: exit 1, says so" \
    eq "$rc:$(printf '%s\n' "$out" | head -n 2)" \
    "1:Matches per month by author (none known):
  (no dated matches)"

# --- The chart ---------------------------------------------------------
run s convoy -n 0 --histogram month --histogram-by author --chart c.svg \
    --format json
check "--chart: exit 0, the results still printed" \
    eq "$rc:$err:$(printf '%s' "$out" | jq .total)" "0::10"
check "--chart: well-formed XML" xmllint --noout c.svg
check "--chart: an SVG 1.1 document" \
    eq "$(x c.svg 'concat(local-name(/*), " ", namespace-uri(/*), " ",
        /*/@version)')" "svg http://www.w3.org/2000/svg 1.1"
check "--chart: one bar group per period with matches (3 of 4)" \
    eq "$(x c.svg "count(//*[local-name()='g'][@class='period'])")" \
    "$(printf '%s' "$j" | jq '[.histogram.counts[] | select(.count > 0)] |
        length')"
check "--chart: one segment per period and author with matches" \
    eq "$(x c.svg "count($bars)")" \
    "$(printf '%s' "$j" | jq '[.histogram_by.series[].counts[] |
        select(. > 0)] | length')"
# Heights in proportion to counts: height / count is the same for every
# segment; the count is the end of the segment's tooltip.
nb=$(x c.svg "count($bars)")
i=1; ratios=""
while [ "$i" -le "$nb" ]; do
    h=$(x c.svg "string(($bars)[$i]/@height)")
    c=$(x c.svg "string(($bars)[$i]/*[local-name()='title'])")
    ratios="$ratios $h/${c##*: }"
    i=$((i + 1))
done
check "--chart: segment heights in proportion to the counts ($ratios)" \
    sh -c "echo '$ratios' | tr ' ' '\n' | grep . | awk -F/ '
        { r = \$1 / \$2; if (NR == 1) f = r;
          if (r - f > 0.01 || f - r > 0.01) bad = 1 }
        END { exit bad || NR != $nb }'"
ltext="//*[local-name()='g'][@class='legend']//*[local-name()='text']"
legend=""
for i in 1 2 3 4 5; do
    legend="$legend$(x c.svg "string(($ltext)[$i])")|"
done
check "--chart: the legend names the top authors, then the rest, in order" \
    eq "$(x c.svg "count($ltext)"):$legend" \
    "5:Ada Quill (3)|Bo Ek (2)|<script>alert(\"x\")</script> O'Br… (2)|Cy Vale (1)|no author (1)|"
item3="(//*[local-name()='g'][@class='legend']/*)[3]"
check "--chart: the hostile author's name is text, not markup" \
    eq "$(x c.svg "string($item3/*[local-name()='title'])")" "$HOSTILE"
check "--chart: ... cut in the legend, whole in its tooltip" \
    eq "$(x c.svg "string($item3/*[local-name()='text'])")" \
    "<script>alert(\"x\")</script> O'Br… (2)"
check "--chart: no element or attribute from the name" \
    eq "$(x c.svg "count(//*[local-name()='script'])")" 0
check "--chart: the name escaped in the file" \
    has "$(cat c.svg)" "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien"
check "--chart: the title is the query" \
    eq "$(x c.svg "string(//*[@class='title'])")" "convoy"

run s 'convoy OR "R&D <b>"' -n 0 --chart q.svg
check "--chart: a query with & and < makes a well-formed title" \
    eq "$rc:$(x q.svg "string(//*[@class='title'])")" \
    '0:convoy OR "R&D <b>"'
check "--chart without --histogram: the auto unit, one unnamed series" \
    eq "$(x q.svg "count(//*[@class='legend'])"):$(x q.svg \
        "count(//*[local-name()='g'][@class='period'])")" "0:5"

run s convoy --histogram-by author --chart -
check "--chart -: the SVG alone on stdout" \
    eq "$rc:$(printf '%s\n' "$out" | xmllint --xpath \
        "count(//*[local-name()='g'][@class='period'])" -)" "0:5"
check "--chart -: no results with it" hasnt "$out" "Results"

run s nomatchwordhere --chart none.svg
check "--chart, no matches: exit 1, an empty chart" \
    eq "$rc:$(x none.svg "count($bars)")" "1:0"
check "--chart, no matches: says so" \
    has "$(cat none.svg)" "no dated matches"

# --- Errors --------------------------------------------------------------
run s convoy --histogram-by title
check "--histogram-by title: exit 2, one line" eq "$rc:$err" \
    "2:dossier-search: --histogram-by: invalid value 'title' (expected author, source or lang, optionally with :N series, N from 1 to 10)"
run s convoy --histogram-by author:11
check "--histogram-by author:11: refused" eq "$rc" 2
run s convoy --chart ''
check "--chart '': exit 2, one line" eq "$rc:$err" \
    "2:dossier-search: --chart: empty file name (use - for standard output)"
run s convoy -n 0 --chart nodir/c.svg
check "--chart into a missing folder: exit 2, one line" eq "$rc:$err" \
    "2:dossier-search: --chart: cannot write 'nodir/c.svg': No such file or directory"
mkdir taken
echo keep > taken/file
run s convoy -n 0 --chart taken
check "--chart onto a folder: exit 2, one line" eq "$rc:$err" \
    "2:dossier-search: --chart: cannot write 'taken': Is a directory"
check "... the folder untouched, no temporary file left" \
    eq "$(cat taken/file):$(ls | grep -c '\.tmp\.')" "keep:0"
run s convoy -n 0 --histogram-by lang --chart c.svg
check "--chart over an existing chart replaces it whole" \
    eq "$rc:$(x c.svg "count(//*[@class='legend']//*[local-name()='text'])")" \
    "0:1"

# Remote shards run only Xapian's own counts: refused with one line.
if command -v xapian-tcpsrv > /dev/null 2>&1; then
    port=$(( 20000 + ($$ * 7 + 1$(date +%N | cut -c1-4)) % 40000 ))
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" --quiet db \
        > /dev/null 2>&1 &
    pid=$!
    trap 'kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
    i=0
    while [ $i -lt 50 ] &&
        ! search -d "tcp://127.0.0.1:$port" --stats > /dev/null 2>&1; do
        sleep 0.1; i=$((i + 1))
    done
    run search -d "tcp://127.0.0.1:$port" convoy --histogram-by author
    check "--histogram-by over a remote shard: exit 2, one line" \
        eq "$rc:$err" "2:dossier-search: --histogram-by: not available over remote shards (xapian-tcpsrv runs only Xapian's own counts)"
    run search -d "tcp://127.0.0.1:$port" convoy -n 0 --chart r.svg
    check "--chart over a remote shard works" \
        eq "$rc:$(x r.svg "count(//*[local-name()='g'][@class='period'])")" \
        "0:5"
else
    skip "--histogram-by over a remote shard" "xapian-tcpsrv not installed"
fi
finish
