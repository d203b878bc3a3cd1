#!/usr/bin/env python3
# social-gen.py - generated exports for `make bench`'s per-layout rows
#
# Usage: social-gen.py OUT N SEED
# Writes under OUT one export of each layout dossier-index reads, N posts
# each: telegram/result.json (one chat, every tenth message a service
# message, texts as strings and as entity arrays), x/data/tweets.js with
# account.js, mastodon/outbox.json with actor.json (every tenth item a
# boost), reddit/comments.jsonl.  Words are drawn from a small vocabulary
# of the project's subject with SEED, so runs compare.
#
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import random
import sys

WORDS = ("nato alliance ukraine kyiv kharkiv odesa baltic poland romania "
         "air defence patriot iris-t drone missile brigade corridor suwalki "
         "kaliningrad summit communique sanctions grain shipping black sea "
         "eastern flank deterrence rotation battalion exercise logistics "
         "ammunition artillery front line ceasefire negotiations minister "
         "parliament border guard jamming satellite radar convoy escort "
         "україна київ оборона ппо дрони бригада").split()


def text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def main():
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    t0 = 1700000000
    for d in ("telegram", "x/data", "mastodon", "reddit"):
        os.makedirs(os.path.join(out, d), exist_ok=True)

    msgs = []
    for i in range(n):
        ts = t0 + 60 * i
        if i % 10 == 9:
            msgs.append({"id": i + 1, "type": "service", "date": "x",
                         "date_unixtime": str(ts), "action": "pin_message",
                         "text": ""})
            continue
        m = {"id": i + 1, "type": "message",
             "date": "2023-11-14T22:13:20", "date_unixtime": str(ts),
             "from": "Bench Channel", "from_id": "channel1"}
        if i % 2:
            m["text"] = [text(rng, 20), {"type": "bold",
                                         "text": text(rng, 3)},
                         {"type": "link",
                          "text": "https://example.org/brief/%d" % (i % 100)}]
        else:
            m["text"] = text(rng, 30)
        msgs.append(m)
    with open(os.path.join(out, "telegram/result.json"), "w") as f:
        json.dump({"name": "Bench Channel", "type": "public_channel",
                   "id": 1, "messages": msgs}, f, ensure_ascii=False,
                  indent=1)

    with open(os.path.join(out, "x/data/account.js"), "w") as f:
        f.write("window.YTD.account.part0 = " + json.dumps(
            [{"account": {"username": "benchdesk",
                          "accountDisplayName": "Bench Desk"}}]))
    tweets = [{"tweet": {"id_str": str(10**18 + i), "full_text": text(rng, 25),
                         "created_at": "Tue Feb 20 12:33:11 +0000 2024",
                         "lang": "en", "entities": {"hashtags": []}}}
              for i in range(n)]
    with open(os.path.join(out, "x/data/tweets.js"), "w") as f:
        f.write("window.YTD.tweets.part0 = " + json.dumps(tweets, indent=1))

    with open(os.path.join(out, "mastodon/actor.json"), "w") as f:
        json.dump({"type": "Person", "preferredUsername": "bench",
                   "name": "Bench", "id": "https://m.example/users/bench"}, f)
    items = []
    for i in range(n):
        a = "https://m.example/users/bench"
        if i % 10 == 9:
            items.append({"type": "Announce", "actor": a,
                          "object": "https://o.example/%d" % i})
            continue
        items.append({"type": "Create", "actor": a, "object": {
            "type": "Note", "id": "%s/statuses/%d" % (a, i),
            "published": "2024-03-01T10:00:00Z",
            "content": "<p>%s</p><p>%s</p>" % (text(rng, 15), text(rng, 15))}})
    with open(os.path.join(out, "mastodon/outbox.json"), "w") as f:
        json.dump({"type": "OrderedCollection", "id": "outbox.json",
                   "orderedItems": items}, f, indent=1)

    with open(os.path.join(out, "reddit/comments.jsonl"), "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": "c%d" % i, "author": "u%d" % (i % 97),
                                "body": text(rng, 30), "subreddit": "worldnews",
                                "created_utc": t0 + i, "link_id": "t3_abc",
                                "parent_id": "t3_abc"}) + "\n")


main()
