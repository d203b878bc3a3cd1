#!/bin/sh
# gen-corpus.sh - write a deterministic corpus of small articles
#
# Usage: gen-corpus.sh DIR N [SEED]
# Writes N files under DIR/dNN/ (100 per directory): Markdown with YAML
# front matter (title, author, date, source, tags) and plain text with
# header lines, alternately, with bodies drawn from a fixed vocabulary.
# The same N and SEED always give byte-identical files, so the reliability
# tests can compare a crashed-and-rerun index with a clean one.  Every
# fifth file repeats the body of the one before it (a syndicated copy), so
# fingerprints and collapsing are exercised too.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
dir=$1
n=$2
seed=${3:-1}
mkdir -p "$dir"
awk -v dir="$dir" -v n="$n" -v seed="$seed" '
function rnd(k) { return int(rand() * k) }
function word() { return w[rnd(nw) + 1] }
function sentence(   s, i, k) {
    k = 6 + rnd(10); s = word()
    s = toupper(substr(s, 1, 1)) substr(s, 2)
    for (i = 1; i < k; i++) s = s " " word()
    return s "."
}
BEGIN {
    srand(seed)
    nw = split("nato ukraine alliance security guarantees summit kyiv " \
        "kharkiv odesa baltic poland deterrence brigade air defence " \
        "ammunition sanctions treaty border reinforcement readiness " \
        "minsk crimea black sea enlargement sweden finland article " \
        "five budget spending drones artillery patriot missile " \
        "negotiation ceasefire frontline logistics corridor grain " \
        "parliament strategy doctrine exercise forward presence " \
        "membership accession bucharest vilnius washington madrid", w, " ")
    na = split("Ada Quill|Borys Ostapenko|Cecile Verany|Dmytro Koval|" \
        "Ewa Nowak|Finn Larsen|Greta Lind|Hanna Sorensen", au, "|")
    ns = split("Test Gazette|Baltic Security Review|Kyiv Notes", src, "|")
    prev = ""
    for (i = 1; i <= n; i++) {
        sub_ = sprintf("%s/d%02d", dir, int((i - 1) / 100))
        if (i % 100 == 1) system("mkdir -p \"" sub_ "\"")
        body = ""
        if (i % 5 == 0 && prev != "") body = prev
        else {
            np = 1 + rnd(3)
            for (p = 0; p < np; p++) {
                para = ""
                for (q = 0; q < 2 + rnd(4); q++) para = para sentence() " "
                body = body para "\n\n"
            }
        }
        prev = body
        title = sentence(); sub(/\.$/, "", title)
        y = 2014 + rnd(12); m = 1 + rnd(12); d = 1 + rnd(28)
        a = au[rnd(na) + 1]
        if (i % 2) {
            f = sprintf("%s/a%05d.md", sub_, i)
            printf "---\ntitle: \"%s %d\"\nauthor: %s\n", title, i, a > f
            printf "date: %04d-%02d-%02d\nsource: %s\n", y, m, d, src[rnd(ns) + 1] > f
            printf "tags: [%s, %s]\n---\n\n%s", word(), word(), body > f
        } else {
            f = sprintf("%s/b%05d.txt", sub_, i)
            printf "Title: %s %d\nAuthor: %s\nDate: %04d-%02d-%02d\n\n%s", \
                title, i, a, y, m, d, body > f
        }
        close(f)
    }
}'
