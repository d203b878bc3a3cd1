#!/bin/sh
# t74-social.sh - the exporters' own layouts: Telegram, X, Mastodon, Reddit
#
# Each layout is recognised by its content (a Telegram chat is an object
# with "messages", an X archive file starts "window.YTD.tweets.", a
# Mastodon outbox is an OrderedCollection, a Reddit dump is lines with
# "subreddit" and "created_utc") and streamed post by post.  Every
# document's title, authors, date, source, url and id are checked, and
# the numbers of documents are what jq counts in the fixtures.
. "$(dirname "$0")/lib.sh"

S="$FIX/social"
cp -r "$S" soc
D="$T/soc"
# fields PATH-SUFFIX QUERY: id, title, authors, date, source, url of the
# hits from the file ending in PATH-SUFFIX, in order of line.
fields() {
    jsearch -d db -n 1000 "$2" | jq -r --arg p "$1" '[.hits[]
        | select(.path | endswith($p))] | sort_by(.path, .line)[]
        | [.id, .title, (.authors | join(";")), .date, .source, .url]
        | map(. // "-") | join(" | ")'
}
count() { jsearch -d db -n 1000 "$2" | jq --arg p "$1" \
    '[.hits[] | select(.path | endswith($p))] | length'; }

run index -d db -c "$FIX/social.yaml" --no-progress soc/telegram-chat \
    soc/telegram-full soc/x-archive soc/mastodon soc/reddit
check "the layouts index without a message" eq "$rc:$err" "0:"
check "summary: documents, files, the archive's other .js unsupported" \
    has "$out" "added 15 documents from 8 files, updated 0, removed 0, unchanged 0, skipped 0, 3 unsupported in "

run index -d db -c "$FIX/social.yaml" --no-progress
check "a second run reads nothing (actor.json, without posts, is stamped too)" \
    has "$out" "added 0 documents from 0 files, updated 0, removed 0, unchanged 15, skipped 0"

run index -d db.v -c "$FIX/social.yaml" --no-progress -v soc/telegram-chat
check "-v: the posts passed over are counted, once per file" eq "$err" \
"$D/telegram-chat/result.json: 2 posts passed over (service messages, boosts, posts without text)
added $D/telegram-chat/result.json"

# Telegram, one chat: service messages and a photo without a caption are
# passed over; text from strings and entities, a bare link kept.
TG='[.messages[] | select(.type == "message")
     | select((.text | if type == "string" then . else
               map(if type == "string" then . else .text end) | join("")
               end) != "")] | length'
same "telegram one chat: documents as jq counts messages with text" \
    "$(count telegram-chat/result.json '')" \
    "$(jq "$TG" "$S/telegram-chat/result.json")"
same "telegram one chat: id, title, author (signature else from), date, source, t.me url" \
    "$(fields telegram-chat/result.json '')" \
"1874420391/102 | Повітряна тривога у Києві: ППО працює. Air defence over Kyiv intercepted drones… | Oksana Hrytsenko | 2025-02-03 | Eastern Flank Monitor | https://t.me/eastflankmon/102
1874420391/104 | https://example.org/brief/suwalki-gap-exercise | Eastern Flank Monitor | 2025-02-04 | Eastern Flank Monitor | https://t.me/eastflankmon/104
1874420391/105 | Update: the interceptors were Gepard crews from the Kyiv ring. Мобільні вогневі… | Eastern Flank Monitor | 2025-02-05 | Eastern Flank Monitor | https://t.me/eastflankmon/105"
same "telegram: forwarded_from and reply_to in the JSON hit" \
    "$(jsearch -d db -n 10 'source:"eastern flank monitor"' | jq -c \
        '[.hits[] | [.id, .forwarded_from, .reply_to]] | sort')" \
    '[["1874420391/102",null,null],["1874420391/104","Baltic Watch Desk",null],["1874420391/105",null,"102"]]'
same "telegram: an entity's text is searchable (bold, Cyrillic)" \
    "$(jsearch -d db --format json 'ППО' | jq -r '.hits[].id')" \
    "1874420391/102"
same "telegram: a hashtag entity is a tag" \
    "$(jsearch -d db 'tag:kyiv' | jq -r '.hits[].id')" "1874420391/102"
same "telegram: date_unixtime is the UTC day, else date as written" \
    "$(jsearch -d db --since 2025-02-05 --until 2025-02-05 '' | jq -r '.hits[].id')" \
    "1874420391/105"

# Telegram, the full export: chats.list and left_chats.list; message ids
# repeat across chats, so the id carries the chat; the config's "-100"
# form of a channel id gives no link to a chat it does not name.
same "telegram full export: documents as jq counts" \
    "$(count telegram-full/result.json '')" \
    "$(jq "[(.chats.list + .left_chats.list)[] | $(printf '%s' "$TG" |
          sed 's/^\[\.messages/[.messages/')] | add" \
          "$S/telegram-full/result.json")"
same "telegram full export: each chat is the source" \
    "$(fields telegram-full/result.json '')" \
"1900000001/7 | Estonia's border guard logged a second GPS jamming incident over the Gulf of… | Narva Border Notes | 2025-01-10 | Narva Border Notes | https://t.me/narvanotes/7
5550002/7 | Did you see the Narva note on jamming? NATO air policing flew twice that day. | Tomas Rebane | 2025-01-11 | Tomas Rebane | -
1700000009/3 | Lithuanian brigade exercise near the Suwalki corridor, see @narvanotes | Ieva Kalnina | 2024-12-20 | Suwalki Corridor Watch | -"
run search -d db Vilks
check "telegram full export: personal information is not a post" no_hits

# X: two parts of tweets, the account's name, a long tweet's note text.
same "x: documents as jq counts tweets in every part" \
    "$(count .js '')" \
    "$(cat "$S/x-archive/data/tweets.js" "$S/x-archive/data/tweets-part1.js" |
       grep -c '"full_text"')"
same "x: id, title, author (display name), date, source (@name), x.com url" \
    "$(fields .js '')" \
"1770000000000000003 | Long thread on Baltic air defence gaps: the rotational model leaves the Suwalki… | Liis Tamm | 2024-03-18 | @balticdesk | https://x.com/balticdesk/status/1770000000000000003
1760000000000000001 | #NATO air policing over the Baltic states scrambled Eurofighters twice this week… | Liis Tamm | 2024-02-20 | @balticdesk | https://x.com/balticdesk/status/1760000000000000001
1760000000000000002 | @narvanotes Both scrambles were reported by the Lithuanian ministry within the… | Liis Tamm | 2024-02-20 | @balticdesk | https://x.com/balticdesk/status/1760000000000000002"
same "x: a long tweet is indexed with its note's full text" \
    "$(jsearch -d db 'permanent ground-based air defence' | jq -r '.hits[].id')" \
    "1770000000000000003"
same "x: a reply keeps the id it answers" \
    "$(jsearch -d db scrambles | jq -r '.hits[] | select(.reply_to) | .reply_to')" \
    "1760000000000000001"
same "x: likes are not indexed" \
    "$(jsearch -d db rzeszow | jq -r '[.hits[].path | select(endswith(".js"))] | length')" "0"

# Mastodon: notes as text through the HTML parser; the boost passed over.
same "mastodon: documents as jq counts Create activities of notes" \
    "$(count outbox.json '')" \
    "$(jq '[.orderedItems[] | select(.type == "Create")] | length' "$S/mastodon/outbox.json")"
same "mastodon: id, title (content warning else text), author (actor.json), date, source, url" \
    "$(fields outbox.json '')" \
"https://eurosec.example/users/janvos/statuses/111000000000000001 | The Dutch F-35 detachment returns from #Poland & hands over to Norway. Rotation… | Jan Vos | 2025-03-02 | @janvos@eurosec.example | https://eurosec.example/@janvos/111000000000000001
https://eurosec.example/users/janvos/statuses/111000000000000003 | Baltic deployment notes | Jan Vos | 2025-03-04 | @janvos@eurosec.example | https://eurosec.example/@janvos/111000000000000003"
run search -d db alert
check "mastodon: a script in the content is not text" no_hits
same "mastodon: entities decoded, tags kept" \
    "$(jsearch -d db 'tag:poland unconfirmed' | jq -r '.hits[].snippet')" \
    "The Dutch F-35 detachment returns from #Poland & hands over to Norway. Rotation details <unconfirmed>."

# Reddit: comments and submissions; the deleted comment passed over.
same "reddit: documents as jq counts posts not deleted" \
    "$(count .jsonl '')" \
    "$(cat "$S"/reddit/*.jsonl | jq -s '[.[] | select(.body != "[deleted]")] | length')"
same "reddit: id, title, author, date (created_utc, number or string), source r/SUB, permalink url" \
    "$(fields .jsonl '')" \
"t3_1k0xyz1 | Romania extends drone-detection radar along the Danube | danube_watch | 2025-03-04 | r/ukraine | https://www.reddit.com/r/ukraine/comments/1k0xyz1/romania_extends/
t3_1k0xyz2 | Grain corridor shipping statistics for February | odesa_port_log | 2025-03-05 | r/ukraine | https://www.reddit.com/r/ukraine/comments/1k0xyz2/
t1_mh1a001 | The Polish ministry confirmed the airspace closure near Rzeszów lasted two… | kestrel_analyst | 2025-03-03 | r/worldnews | https://www.reddit.com/r/worldnews/comments/1j2abcd/live_thread/mh1a001/
t1_mh1a003 | Source for the NATO statement? The Lithuanian one mentions only Suwalki drills. | baltic_lurker | 2025-03-03 | r/worldnews | https://www.reddit.com/r/worldnews/comments/1j2abcd/_/mh1a003/"
run search -d db --format paths --source r/worldnews ''
check "reddit: the subreddit is the source; --format paths gives PATH:LINE" eq "$out" \
"$D/reddit/worldnews-comments.jsonl:1
$D/reddit/worldnews-comments.jsonl:3"

# Hostile exports: each named once, what can be read is kept.
run index -d db.h --no-progress soc/hostile
check "hostile: exit 0 (posts read, problems warned)" eq "$rc" 0
check "hostile: the warnings, one line each" eq "$err" \
"dossier-index: warning: $D/hostile/deep.json:1: invalid JSON: maximum parsing depth reached near '['
dossier-index: warning: $D/hostile/truncated.json:71: unexpected end of file inside the array; kept 1 whole post before it"
check "hostile: a tweets.js without the window.YTD line is not an export" \
    has "$out" " 1 unsupported in "
same "hostile: after the deep element, a huge text array, wrong types" \
    "$(jsearch -d db.h -n 100 '' | jq -c '[.hits[] | .id] | sort')" \
    '["1","1874420391/102","2","3","42/1","42/2","5","c1","not-a-number/1","t1_c2"]'
same "hostile: wrong types are ignored field by field" \
    "$(jsearch -d db.h 'survives' | jq -c '.hits[] | [.id, .title, .authors, .date, .source]')" \
    '["not-a-number/1","wrong types everywhere but this text survives",[],null,null]'

# The config key is checked.
printf 'index:\n  telegram_usernames:\n    abc: chan\n' > bad1.yaml
run index -d db.b -c bad1.yaml soc/reddit
check "config: a chat id that is not a number" eq "$rc:$err" \
    "2:dossier-index: bad1.yaml:3:5: telegram chat id 'abc' must be a number"
printf 'index:\n  telegram_usernames:\n    12: "t.me/chan"\n' > bad2.yaml
run index -d db.b -c bad2.yaml soc/reddit
check "config: a username that is not one" eq "$rc:$err" \
    "2:dossier-index: bad2.yaml:3:9: telegram chat '12' must map to a username (letters, digits and '_', at most 32), not 't.me/chan'"

finish
