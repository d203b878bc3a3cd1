#!/bin/sh
# t83-cron.sh - README's crontab line, run as cron would run it (issue 15)
#
# The line is read from README.md and run by sh in $HOME with a stand-in
# for mail(1) on PATH: the first run mails what the saved search finds,
# a run with nothing new mails nothing, a new document is mailed alone;
# a folder holding a file the indexer skips (exit 1) still gets its mail.
# docs/alerts.md gives the same line.
. "$(dirname "$0")/lib.sh"

README=$TESTS/../README.md
line=$(grep '^0 7 \* \* \* ' "$README")
check "README gives a crontab line" test -n "$line"
check "docs/alerts.md gives the same line" \
    eq "$(grep '^0 7 \* \* \* ' "$TESTS/../docs/alerts.md")" "$line"
cmd=${line#0 7 \* \* \* }

art() {
    printf -- '---\ntitle: %s\ndate: %s\n---\n%s\n' "$2" "$3" "$4" > "$1"
}
mkdir -p "$HOME/.config/dossier" docs bin
printf 'database: ~/dossier.db\nindex:\n  max_file_size: 2KB\n' \
    > "$HOME/.config/dossier/config.yaml"
art docs/a.md "Alpha treaty" 2025-01-10 "The alpha treaty was signed."
art docs/c.md "Gamma drones" 2025-03-10 "Drones over the gamma range."
# A file over max_file_size: named and skipped, dossier-index exits 1.
awk 'BEGIN { for (i = 0; i < 300; i++) print "treaty text line", i }' \
    > docs/big.md

# mail -E -s SUBJECT ADDRESS, as bsd-mailx and s-nail take it: a
# message on standard input, not sent when empty (-E).
cat > bin/mail <<'MAIL'
#!/bin/sh
empty_ok=true subject= to=
while [ $# -gt 0 ]; do
    case $1 in
    -E) empty_ok=false ;;
    -s) subject=$2; shift ;;
    *) to=$1 ;;
    esac
    shift
done
body=$(cat)
[ -z "$body" ] && ! $empty_ok && exit 0
printf 'To: %s\nSubject: %s\n\n%s\n.\n' "$to" "$subject" "$body" >> "$MAILBOX"
MAIL
chmod +x bin/mail
MAILBOX=$T/mailbox
export MAILBOX
: > "$MAILBOX"
messages() { grep -c '^Subject: ' "$MAILBOX"; }
# The line as cron runs it: sh -c in $HOME, the programs on PATH.
cron() {
    (cd "$HOME" && PATH="$T/bin:$BIN:$PATH" sh -c "$cmd") \
        > "$T/.out" 2> "$T/.err"
    rc=$? out=$(cat "$T/.out") err=$(cat "$T/.err")
}

# Set up once, as a user would: the folder, then the saved search.
run index --no-progress "$T/docs"
check "the first index names the big file and exits 1" \
    eq "$rc:$(printf '%s' "$err" | grep -c 'big.md')" "1:1"
run search --save treaty treaty
check "--save" eq "$rc:$err" "0:"

cron
check "first cron run: one message (exit 1 from the index does not stop it)" \
    eq "$(messages)" 1
check "... to the address and subject of the line" \
    has "$(cat "$MAILBOX")" "Subject: dossier: new"
check "... holding the saved search's document" \
    has "$(cat "$MAILBOX")" "Alpha treaty"
check "... and not the others" hasnt "$(cat "$MAILBOX")" "Gamma drones"
check "... the skipped file is named on stderr (cron mails it)" \
    has "$err" "big.md"

cron
check "a run with nothing new mails nothing" eq "$(messages)" 1

art docs/b.md "Beta treaty" 2025-02-10 "The beta treaty was debated."
cron
check "a new document: a second message" eq "$(messages)" 2
last=$(awk '/^To: /{m=""} {m=m $0 "\n"} END {printf "%s", m}' "$MAILBOX")
check "... with the new document" has "$last" "Beta treaty"
check "... and not the old one" hasnt "$last" "Alpha treaty"
finish
