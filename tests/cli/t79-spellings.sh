#!/bin/sh
# t79-spellings.sh - British and American spellings and hyphenated
# compounds find each other, in words and phrases, and nothing else
# (issue 12 point 6; tests/fixtures/spellings)
. "$(dirname "$0")/lib.sh"

# hits [OPTION...] QUERY: the fixture files found, by name, sorted; a
# search that failed (exit 2, or anything on stderr) prints its status and
# message instead, which no expected list equals.
hits() {
    search -d db --no-collapse --format paths -n 50 "$@" > "$T/.hits" \
        2> "$T/.herr"
    hrc=$?
    if [ "$hrc" -gt 1 ] || [ -s "$T/.herr" ]; then
        echo "failed ($hrc): $(cat "$T/.herr")"
        return
    fi
    sed 's|.*/||' "$T/.hits" | sort | tr '\n' ' '
}

run index -d db --no-progress "$FIX/spellings"
check "the fixture indexes" eq "$err:$rc" ":0"

# --- 1. Each pair, both ways: the British and the American note
pair() {    # pair BRITISH AMERICAN EXPECTED
    check "'$1' finds both spellings" eq "$(hits "$1")" "$3"
    check "'$2' finds both spellings" eq "$(hits "$2")" "$3"
}
pair defence defense "am-defense.md br-defence.md "
# (offensive shares the English stem of offense, spelling or not)
pair offence offense "am-defense.md br-defence.md hy-counter.md two-counter.md "
pair programme program "am-program.md br-programme.md "
pair organise organize "am-program.md br-programme.md "
pair armour armor "am-program.md br-programme.md "
pair centre center "am-program.md br-programme.md "
pair manoeuvre maneuver "am-program.md br-programme.md "
pair analyse analyze "am-program.md br-programme.md "
pair licence license "am-program.md br-programme.md "
pair travelled traveled "am-travel.md br-travel.md "
pair catalogue catalog "am-travel.md br-travel.md "
pair grey gray "am-travel.md br-travel.md "
pair defences defenses "am-defense.md br-defence.md "
check "a capitalised word too" eq "$(hits Defense)" "am-defense.md br-defence.md "
check "a field's words too" eq "$(hits title:center)" "br-programme.md "

# --- 2. Phrases, both ways
check "'\"air defense\"' finds 'air defence'" \
    eq "$(hits '"air defense"')" "am-defense.md br-defence.md "
check "'\"air defence\"' finds 'air defense'" \
    eq "$(hits '"air defence"')" "am-defense.md br-defence.md "
run search -d db '"defense air"'
check "a phrase still needs its words in order" no_hits
run search -d db --color=always '"air defense"'
check "the other spelling is highlighted in the snippet" \
    has "$out" "$(printf '\033[1;33mdefence\033[0m')"

# --- 3. Compounds, three ways each
three="hy-counter.md one-counter.md two-counter.md "
check "'counteroffensive' finds it hyphenated, joined and apart" \
    eq "$(hits counteroffensive)" "$three"
check "'counter-offensive' too" eq "$(hits counter-offensive)" "$three"
check "'counter offensive' too" eq "$(hits counter offensive)" "$three"
check "'\"counter offensive\"' too" eq "$(hits '"counter offensive"')" "$three"
check "'ceasefire' finds it hyphenated, joined and apart" \
    eq "$(hits ceasefire)" "$three"
check "'cease-fire' too" eq "$(hits cease-fire)" "$three"
check "'cease fire' too" eq "$(hits cease fire)" "$three"
check "with another word, as the issue asked" \
    eq "$(hits kherson counteroffensive)" "$three"
check "... and without it" eq "$(hits izium counteroffensive)" "one-counter.md "
check "--any too" eq "$(hits --any izium counter-offensive)" "$three"

# --- 4. What must stay apart
check "'prize' does not find 'prise'" eq "$(hits prize)" "prize.md "
check "'prise' does not find 'prize'" eq "$(hits prise)" "prise.md "
check "'Russia-Ukraine' is still found by 'russia'" eq "$(hits russia)" "hy-counter.md "
check "... and by 'ukraine'" eq "$(hits ukraine)" "hy-counter.md "
check "words apart never joined without a hyphenated mark: 'peace prize'" \
    eq "$(hits '"peace prize"')" "prize.md "
check "the index marks hyphenated words of two parts (not dates, not three parts)" \
    eq "$(xapian-delve -a db | tr ' ' '\n' | grep -x '[a-z0-9]*-[a-z0-9]*' | tr '\n' ' ')" \
    "cease-fire counter-offensive russia-ukraine "
run search -d db 202204
check "... so a date is not found written as one word" no_hits
check "a hyphenated word is not offered as a suggestion" \
    hasnt "$(search -d db russiaukrain 2>&1)" "russia-ukraine"

# --- 5. search.spellings: false turns it off
printf 'search:\n  spellings: false\n' > off.yaml
check "off: 'defense' finds the American note only" \
    eq "$(hits -c off.yaml defense)" "am-defense.md "
check "off: '\"air defence\"' the British one only" \
    eq "$(hits -c off.yaml '"air defence"')" "br-defence.md "
check "off: 'counteroffensive' only as written" \
    eq "$(hits -c off.yaml counteroffensive)" "one-counter.md "
printf 'search:\n  spellings: sometimes\n' > bad.yaml
run search -d db -c bad.yaml defense
check "a bad value: one line naming the key, exit 2" eq "$err:$rc" \
    "dossier-search: bad.yaml:2:14: 'spellings' must be true or false, not 'sometimes':2"

finish
