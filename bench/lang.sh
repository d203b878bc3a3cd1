#!/bin/sh
# lang.sh - make lang-bench: stemmer speeds and skeleton collisions
#
# Usage: lang.sh BUILD UK.txt EN.txt EN-WORDS.  Missing inputs under BUILD
# are made: the Ukrainian text by bench/lang-gen.py from hunspell-uk, the
# English text and word list from corpus/ (this machine has no
# /usr/share/dict/words; a real list can be given as EN-WORDS).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
build=$1 uk=$2 en=$3 words=$4
dic=/usr/share/hunspell/uk_UA.dic
mkdir -p "$build/lang"
if [ ! -s "$uk" ]; then
    python3 bench/lang-gen.py "$(dirname "$uk")"
fi
if [ ! -s "$en" ]; then
    # The corpus's English prose, 200 words a line, repeated to about
    # 200,000 words.
    txt=$(find corpus -name '*.md' -o -name '*.txt' | sort | xargs cat |
        tr -s '[:space:]' ' ')
    i=0
    while [ $i -lt 16 ]; do printf '%s ' "$txt"; i=$((i + 1)); done |
        tr ' ' '\n' | grep -v '^$' | paste -d' ' $(printf -- '- %.0s' \
        $(seq 200)) > "$en"
fi
if [ ! -s "$words" ]; then
    tr -cs 'A-Za-z' '\n' < "$en" | tr 'A-Z' 'a-z' | sort -u |
        grep -E '^.{3,}$' > "$words"
fi
"$build/langbench" stem "$uk" "$en"
"$build/langbench" threads "$uk"
"$build/langbench" collide "$dic" "$words"
