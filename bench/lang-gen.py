#!/usr/bin/env python3
# lang-gen.py - Ukrainian text for make lang-bench, from hunspell-uk
#
# Takes 5000 random lowercase headwords of uk_UA.dic, inflects them with
# the .aff file's suffix rules (prefix rules are left out), and writes
# OUT/uk.txt: 200,000 words drawn with Zipf weights (1/rank) over the forms,
# 200 to a line (a document), so that a cache meets words again as it does
# in real text; and OUT/uk-distinct.txt: every form once (no cache helps).
#
# SPDX-License-Identifier: GPL-2.0-or-later
import re, random, sys, collections
OUT = sys.argv[1]
random.seed(13)
sfx = collections.defaultdict(list)
lines = open('/usr/share/hunspell/uk_UA.aff', encoding='utf-8').read().split('\n')
i = 0
while i < len(lines):
    p = lines[i].split()
    if len(p) >= 4 and p[0] == 'SFX' and p[3].isdigit() is False and len(p) >= 5:
        flag, strip, add, cond = p[1], p[2], p[3], p[4]
        strip = '' if strip == '0' else strip
        add = add.split('/')[0]; add = '' if add == '0' else add
        sfx[flag].append((strip, add, re.compile('(' + cond + ')$')))
    i += 1
words = []
for l in open('/usr/share/hunspell/uk_UA.dic', encoding='utf-8').read().split('\n')[1:]:
    if not l: continue
    w, _, f = l.partition('/')
    words.append((w, f))
lemmas = random.sample([w for w in words if w[0][:1].islower()], 5000)
forms = []
for w, f in lemmas:
    fs = {w}
    for c in f:
        for strip, add, cond in sfx.get(c, []):
            if cond.search(w) and w.endswith(strip):
                fs.add(w[:len(w)-len(strip)] + add)
    forms.extend(sorted(fs))
random.shuffle(forms)
print(len(lemmas), 'lemmas', len(forms), 'forms', file=sys.stderr)
# Zipf over forms, documents of 200 words
wts = [1.0/(r+1) for r in range(len(forms))]
toks = random.choices(forms, weights=wts, k=200000)
with open(OUT + '/uk.txt', 'w') as o:
    for d in range(0, len(toks), 200):
        o.write(' '.join(toks[d:d+200]) + '\n')
with open(OUT + '/uk-distinct.txt', 'w') as o:
    for d in range(0, len(forms), 200):
        o.write(' '.join(forms[d:d+200]) + '\n')
