#!/bin/sh
# t64-terminal-safety.sh - no control character from a document reaches the
# terminal; JSON output is valid UTF-8 whatever bytes went in
#
# Documents in every format carry ESC sequences (CSI colours, OSC title
# changes), BEL, backspaces, carriage returns, C1 controls (as UTF-8 and
# as raw bytes), bidi overrides (U+202E and friends), a BOM and invalid
# UTF-8 in their titles, authors, bodies and file names.  Text output
# (hits, facets, histogram, --stats) is checked byte by byte; JSON output
# must parse with jq and pass iconv's UTF-8 check.
. "$(dirname "$0")/lib.sh"
jq_ok() { jq -e . "$1" > /dev/null 2>&1; }

# Every nasty thing at once, as printf escapes.
NASTY='\033[31mred\033[0m \033]0;pwned\007 bell\007 back\010\010sp cr\rret C1\302\233x raw\233y bidi\342\200\256evil\342\201\246iso bom\357\273\277 bad\377\376utf over\300\257long sur\355\240\200rogate'

d="docs$(printf '\033[7m')dir"
mkdir "$d"
printf -- "---\ntitle: \"T $NASTY\"\nauthor: \"Eve $NASTY\"\ndate: 2025-01-02\nsource: \"S $NASTY\"\ntags: [\"t $NASTY\"]\n---\n\nquokka body $NASTY\n\n# Heading $NASTY\n" \
    > "$d/front.md"
printf "Title: Text $NASTY\nAuthor: Mallory $NASTY\nDate: 2025-02-03\n\nquokka text body $NASTY\n" \
    > "$d/head.txt"
printf "<html><head><title>H &#27;[31m &#7; &#x202E; &#155; &#x85; $NASTY</title><meta name=\"author\" content=\"Trudy &#27;]0;x&#7; $NASTY\"></head><body><p>quokka html &#27;[2J &#8; $NASTY</p></body></html>\n" \
    > "$d/page.html"
printf '{"title": "J \\u001b[31m \\u0007 \\u202e \\u009b x", "author": "Jay \\u001b]0;t\\u0007", "date": "2025-03-04", "text": "quokka json \\u001b[2J \\u0008 \\u009b \\u202e"}\n' \
    > "$d/post.jsonl"
printf "Title: In the name\n\nquokka named body\n" > "$d/name$(printf '\033[2J\007\302\233\342\200\256')x.txt"


# bad_bytes FILE: lines of FILE's bytes that a terminal would act on:
# C0 controls but newline, DEL, C1 as UTF-8 (c2 80-9f), bidi controls
# (U+061C, U+200E-F, U+202A-E, U+2066-9), and anything not UTF-8.
bad_bytes() {
    iconv -f UTF-8 -t UTF-8 "$1" > /dev/null 2>&1 || { echo "not UTF-8"; return; }
    od -An -v -tx1 "$1" | tr -s ' \n' '\n\n' | grep -v '^$' | tr '\n' ' ' |
        grep -oE '(^| )(0[0-9b-f]|1[0-9a-f]|7f|c2 [89][0-9a-f]|d8 9c|e2 80 (8[ef]|a[a-e])|e2 81 a[6-9])( |$)' |
        head -n 3
}

run index -d db.x -v --no-progress "$d"
check "hostile documents indexed" has "$out" "added 5 documents from 5 files,"
printf '%s\n' "$err" > index.err
check "indexer stderr (-v) has no control bytes" eq "$(bad_bytes index.err)" ""
check "indexer names the files it added" \
    eq "$(grep -c "^added $T/docs?\[7mdir/" index.err)" 5

for q in quokka ''; do
    for extra in "" "--facets" "--histogram month" "--no-collapse -n 50"; do
        # shellcheck disable=SC2086
        search -d db.x $extra "$q" > text.out 2> text.err
        rc=$?
        name="text output ('$q' $extra)"
        check "$name succeeds" eq "$rc" 0
        check "$name has no control bytes" eq "$(bad_bytes text.out)" ""
        check "$name has a clean stderr" eq "$(bad_bytes text.err)" ""
    done
    search -d db.x --format paths "$q" > paths.out
    check "paths output ('$q') has no control bytes" eq "$(bad_bytes paths.out)" ""
    search -d db.x --format json --facets --histogram year -n 50 "$q" \
        > json.out
    check "json output ('$q') parses" jq_ok json.out
    check "json output ('$q') is UTF-8" iconv -f UTF-8 -t UTF-8 json.out -o /dev/null
    check "json ('$q') has every hit" eq "$(jq '.hits | length' json.out)" 5
    # Decoded, every string is as clean as text output: `jq -r .snippet`
    # prints to a terminal too.  Valid JSON alone would allow "\u001b" or
    # the snippet's highlight sentinels "\u0001" and "\u0002".
    jq -r '.. | strings' json.out > json.str
    check "json strings ('$q') decode without control bytes" \
        eq "$(bad_bytes json.str)" ""
done
search -d db.x --stats > stats.out
check "--stats has no control bytes" eq "$(bad_bytes stats.out)" ""
search -d db.x --stats --format json > stats.json
check "--stats json parses" jq_ok stats.json

# Content is kept, only the controls go: the words around them remain.
search -d db.x quokka > text.out
check "text kept, controls dropped" has "$(cat text.out)" "]0;pwned bell backsp cr ret C1x raw"
search -d db.x --format json -n 50 quokka > json.out
check "invalid UTF-8 repaired to U+FFFD" has "$(jq -r '.hits[].title' json.out)" "bad$(printf '\357\277\275')"
finish
