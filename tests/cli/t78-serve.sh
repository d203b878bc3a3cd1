#!/bin/sh
# t78-serve.sh - dossier-serve: the address it binds and says, status
# codes, the JSON API against dossier-search's JSON, hostile documents
# rendered as text, the caps, reopening after an index run, and a clean
# stop on SIGTERM and SIGINT.
. "$(dirname "$0")/lib.sh"

if ! command -v curl > /dev/null 2>&1; then
    skip "dossier-serve" "curl is not installed"
    finish
fi
CFG="$FIX/search/search.yaml"
mkdir docs
cp -r "$FIX/search/docs/." docs/
cp -r "$FIX/hostile-web/." docs/
run index -d db -c "$CFG" --no-progress docs
check "fixtures index" eq "$rc" 0

# serve NAME ARGS...: starts dossier-serve on a free loopback port (port
# 0: the kernel picks it, so parallel tests never collide), waits for its
# startup line, and sets $pid and $port ($base: its url).
serve() {
    _name=$1; shift
    "$BIN/dossier-serve" "$@" > "$T/$_name.out" 2> "$T/$_name.err" &
    pid=$!
    if poll 200 grep -qs '^dossier-serve: serving ' "$T/$_name.out"; then
        port=$(sed -n 's|.*http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
               "$T/$_name.out")
        base="http://127.0.0.1:$port"
    else
        port=; base=
    fi
}
# get URL [CURL ARGS]: the body in $T/body, headers in $T/head, the
# status in $code.
get() {
    _u=$1; shift
    code=$(curl -s --path-as-is -o "$T/body" -D "$T/head" \
           -w '%{http_code}' "$@" "$base$_u")
}
body() { cat "$T/body"; }

serve s -d db -c "$CFG" --listen 127.0.0.1:0
check "starts and says where" test -n "$port"
check "says it serves loopback only" \
    grep -q 'at http://127.0.0.1:[0-9]*/ (loopback only)' "$T/s.out"
check "says nothing on stderr" test ! -s "$T/s.err"

get /
check "/ answers 200" eq "$code" 200
check "a Content-Security-Policy without scripts" \
    grep -qi "^content-security-policy: default-src 'none'; style-src 'self'" \
    "$T/head"
check "nosniff" grep -qi '^x-content-type-options: nosniff' "$T/head"
check "no referrer" grep -qi '^referrer-policy: no-referrer' "$T/head"
check "HTML" grep -qi '^content-type: text/html; charset=utf-8' "$T/head"
check "no script on the page" test "$(grep -ci '<script' "$T/body")" = 0

get '/?q=ceasefire'
check "a search answers 200" eq "$code" 200
check "a search highlights its terms" grep -q '<mark>ceasefire</mark>' \
    "$T/body"
check "hits link to their document by its key" \
    grep -q 'href="/doc?key=[^"&]*docs%2Fguarantees-after-ceasefire.md[^"&]*&amp;q=ceasefire"' \
    "$T/body"
check "facets are links narrowing the search" \
    grep -q 'href="/?q=ceasefire&amp;author=' "$T/body"
check "the histogram is the SVG chart of --chart" \
    grep -q '<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg"' \
    "$T/body"
check "its bars link to their period" \
    grep -q '<a href="/?q=ceasefire&amp;since=[0-9-]*&amp;until=[0-9-]*"><g class="period">' \
    "$T/body"
check "the chart draws no empty title band (the query is in the box)" \
    eq "$(grep -c 'class="title"' "$T/body"):$(grep -c '<text class="subtitle" x="16" y="26"' "$T/body"):$(grep -o '<line [^>]*y1="44.00"' "$T/body" | wc -l)" \
    0:1:1
get '/?q=ceasefire&author=Michael+McFaul'
check "a facet narrows" eq "$(grep -o '<li class="hit"' "$T/body" | wc -l)" 1
get '/?q=guarantees&n=1'
check "paging: a next link" grep -q 'rel="next" href="/?q=guarantees&amp;n=1&amp;offset=1"' \
    "$T/body"
get '/?q=guarantees&n=1&offset=1'
check "paging: a previous link" grep -q 'rel="prev" href="/?q=guarantees&amp;n=1"' \
    "$T/body"
# Several values of a filter: the form and the paging links keep them
# all, and the page lists what the command line finds with both.
two='author=Ada+Quill&author=Michael+McFaul'
get "/?q=&$two&n=1"
check "two authors: the form keeps both" \
    eq "$(grep -o '<input type="text" name="author" value="[^"]*"' "$T/body" |
          sed 's/.*value=//' | tr '\n' ' ')" '"Ada Quill" "Michael McFaul" '
check "two authors: so does the next page's link" \
    grep -q 'rel="next" href="/?author=Ada%20Quill&amp;author=Michael%20McFaul&amp;n=1&amp;offset=1"' \
    "$T/body"
get "/?q=&$two&n=1&offset=1"
check "two authors: and the form on the next page" \
    eq "$(grep -o 'name="author" value="[^"]*"' "$T/body" | wc -l)" 2
get "/?q=&$two&n=20"
page=$(grep -o '<h2><a href="[^"]*">[^<]*</a>' "$T/body" |
       sed 's/.*">\([^<]*\)<.*/\1/')
cli=$(jsearch -d db -c "$CFG" -n 20 -a 'Ada Quill' -a 'Michael McFaul' '' |
      jq -r '.hits[].title')
same "two authors: the page's hits are the CLI's with both --author" \
    "$page" "$cli"
check "two authors: more than either alone" test "$(echo "$cli" | wc -l)" -gt 2
get /static/style.css
check "the style sheet" eq "$code" 200
check "the style sheet is CSS" grep -qi '^content-type: text/css' "$T/head"

# Bad requests: 400 with the reason on the page.
get '/?q=ceasefire&since=notadate'
check "a bad date is 400" eq "$code" 400
check "a bad date says why" grep -q 'notadate' "$T/body"
get '/api/search?q=date:nonsense'
check "a bad query in the API is 400" eq "$code" 400
check "the API's error is JSON" eq "$(jq -r '.error | type' "$T/body")" string
get "/?q=$(printf '%01001d' 0)"
check "a query over 1000 bytes is 400" eq "$code" 400
get '/api/search?q=x&n=2000'
check "n beyond the result window is 400" eq "$code" 400
get '/api/search?q=x&offset=995&n=10'
check "offset + n beyond the window is 400" eq "$code" 400
get '/api/search?q=x&n=ten'
check "a bad number is 400" eq "$code" 400

# Unknown paths and traversal: 404, never a file.
for u in /nope /etc/passwd /../../etc/passwd /static/../../../etc/passwd \
         /%2e%2e/%2e%2e/etc/passwd /static/%2e%2e/%2e%2e/etc/passwd \
         /static/ /static/style.css/../../etc/passwd /api/ /doc/../etc/passwd \
         '/..%2f..%2fetc%2fpasswd' /static/style.css.map /STATIC/STYLE.CSS; do
    get "$u"
    if [ "$code" != 404 ] || grep -q 'root:' "$T/body"; then
        fail "404 for $u" "got $code"
    else
        pass "404 for $u"
    fi
done

for m in POST PUT DELETE PATCH; do
    get / -X "$m" -d 'q=x'
    check "$m is 405" eq "$code" 405
done
check "405 says what is allowed" grep -qi '^allow: GET, HEAD' "$T/head"
get / -I
check "HEAD is answered" eq "$code" 200
get / -H 'Host: attacker.example'
check "a loopback server refuses another Host (DNS rebinding)" eq "$code" 403

# The API: the CLI's JSON, field for field (the time aside).
api_vs_cli() {
    _name=$1; _qs=$2; shift 2
    get "/api/search?$_qs"
    if [ "$code" != 200 ] || ! jq -e '.total | type == "number"' "$T/body" \
            > /dev/null 2>&1; then
        fail "API = CLI: $_name" "api: $code $(head -c 300 "$T/body")"
        return
    fi
    _api=$(jq -S 'del(.elapsed_ms)' "$T/body")
    _cli=$(jsearch -d db -c "$CFG" "$@" | jq -S 'del(.elapsed_ms)')
    same "API = CLI: $_name" "$_api" "$_cli"
}
api_vs_cli "a word" 'q=ceasefire' ceasefire
api_vs_cli "filters, facets, histogram" \
    'q=&since=2024-06&until=2025-12&facets=1&histogram=month' \
    --since 2024-06 --until 2025-12 --facets --histogram month ''
api_vs_cli "author, sort, paging" \
    'q=&author=Dmitry+Kovalenko&sort=oldest&n=1&offset=0' \
    -a 'Dmitry Kovalenko' --sort oldest -n 1 --offset 0 ''
api_vs_cli "two authors" "q=&$two" -a 'Ada Quill' -a 'Michael McFaul' ''
api_vs_cli "phrase, source, tag, any" \
    'q=%22security+guarantees%22+ammunition&any=1&source=Harbour+Review&tag=ammunition' \
    --any --source 'Harbour Review' --tag ammunition \
    '"security guarantees" ammunition'
api_vs_cli "hostile documents" 'q=hostileweb&n=20' -n 20 hostileweb
get '/api/search?q=nosuchwordanywhere'
check "no hits is 200 with total 0" eq "$code:$(jq .total "$T/body")" "200:0"

# Documents.
id=$(jsearch -d db -c "$CFG" ceasefire | jq '.hits[0].docid')
: > "$T/.jfail"
get "/doc?id=$id&q=ceasefire"
check "a document answers 200" eq "$code" 200
check "a document highlights the query" grep -q '<mark>ceasefire</mark>' \
    "$T/body"
check "a document shows its path" grep -q "$T/docs/" "$T/body"
get /doc?id=999999
check "no such document is 404" eq "$code" 404
get /doc?id=abc
check "a bad document number is 400" eq "$code" 400

# Hostile documents: every string rendered as text on every page.
#   safe FILE: no tag from the data (the page's own SVG chart aside), no
#   event handler in a tag (once the
#   page's double-quoted attribute values are taken out: escaped data in
#   them holds no quote), no script url in a link, no bidi override.
RLO=$(printf '\342\200\256'); LRI=$(printf '\342\201\246')
safe() {
    sed 's/"[^"]*"/""/g' "$1" > "$T/stripped"
    ! grep -qi '<script' "$1" &&
    ! grep -qiE '<[a-z][^>]*[[:space:]]on[a-z]+=' "$T/stripped" &&
    ! grep -qiE 'href="[[:space:]]*(javascript|data|vbscript):' "$1" &&
    ! grep -qiE '<(img|iframe|b)[ >]' "$1" &&
    ! grep -q "$RLO" "$1" && ! grep -q "$LRI" "$1"
}
get '/?q=hostileweb&n=20'
check "hostile: the search page answers" eq "$code" 200
check "hostile: 7 documents listed" \
    eq "$(grep -o '<li class="hit"' "$T/body" | wc -l)" 7
check "hostile: the search page renders them as text" safe "$T/body"
check "hostile: a script tag shown escaped" \
    grep -q '&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;' "$T/body"
get '/?q=hostileweb&n=20&author=%3Cimg+src%3Dx+onerror%3Dalert(%27author%27)%3E+Eve'
check "hostile: a hostile author facet works" \
    eq "$(grep -o '<li class="hit"' "$T/body" | wc -l)" 1
check "hostile: and the page is safe" safe "$T/body"
ids=$(jsearch -d db -c "$CFG" -n 20 hostileweb | jq -r '.hits[].docid')
: > "$T/.jfail"
bad=
for i in $ids; do
    get "/doc?id=$i&q=hostileweb"
    [ "$code" = 200 ] && safe "$T/body" || bad="$bad $i:$code"
done
check "hostile: 7 document pages rendered as text" \
    eq "$(echo $ids | wc -w):$bad" "7:"
pick() {
    jsearch -d db -c "$CFG" -n 20 hostileweb |
        jq "[.hits[] | select($1) | .docid][0]"
}
id=$(pick '.url == "javascript:alert(document.cookie)"')
: > "$T/.jfail"
get "/doc?id=$id"
check "hostile: a javascript: url is shown as text, not linked" \
    grep -q '<dt>Url</dt><dd>javascript:alert(document.cookie)</dd>' \
    "$T/body"
get "/doc?id=$(pick '.authors[0] == "Mallory Quote"')"
: > "$T/.jfail"
check "hostile: a quote in an http url stays in its attribute" \
    grep -q 'example.org/x&quot; onclick=&quot;alert(1)' "$T/body"
get '/?q=%3Cscript%3Ealert(1)%3C/script%3E%22%3E%3Cimg+src=x+onerror=alert(1)%3E'
check "hostile: a hostile query is echoed as text" safe "$T/body"

# Reopening: an index run that extends the database, then one that
# replaces it (a full build compacted and swapped in), both seen by the
# running server.
printf -- '---\ntitle: Added later\nauthor: Late Writer\ndate: 2025-05-05\n---\nlatecomer zeppelin\n' > docs/late.md
run index -d db -c "$CFG" --no-progress docs
get '/api/search?q=zeppelin'
check "sees a document an index run added" eq "$(jq .total "$T/body")" 1
rm docs/late.md
printf -- '---\ntitle: Rebuilt\nauthor: Late Writer\ndate: 2025-05-06\n---\nrebuilt dirigible\n' > docs/late2.md
run index -d db -c "$CFG" --no-progress --full docs
check "a full rebuild ran" eq "$rc" 0
get '/api/search?q=zeppelin+OR+dirigible'
check "sees a full rebuild swapped in" \
    eq "$code:$(jq -c '[.total, .hits[0].title]' "$T/body")" '200:[1,"Rebuilt"]'
api_vs_cli "after the swap" 'q=ceasefire' ceasefire

run "$BIN/dossier-serve" -d db -c "$CFG" --listen "127.0.0.1:$port"
check "a port in use: exit 2" eq "$rc" 2
check "a port in use: one line naming it" eq "$err" \
    "dossier-serve: --listen: 127.0.0.1:$port: cannot listen there (in use, or not an address of this machine)"

kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM stops it, exit 0" eq "$rc" 0

# Stable document links: a hit links to its document by the unique id
# term (path, and an export post's id or line), which a --full rebuild
# keeps; the docid it renumbers.  Files that sort first are added and one
# is removed, so that the rebuild gives the others new docids.
mkdir keyed
cp "$FIX"/search/docs/*.md keyed/
run index -d dbk -c "$CFG" --no-progress keyed
serve keyed -d dbk -c "$CFG" --listen 127.0.0.1:0
# link QUERY TITLE: the search page's link (unescaped) to the hit TITLE.
link() {
    get "/?q=$1&n=20"
    grep -o '<h2><a href="[^"]*">[^<]*</a>' "$T/body" | grep -F ">$2</a>" |
        sed 's/.*href="\([^"]*\)".*/\1/; s/&amp;/\&/g' | head -n 1
}
# docid TITLE: its docid now, from dossier-search.
docid() {
    search -d dbk -c "$CFG" --format json -n 20 guarantees |
        jq --arg t "$1" '[.hits[] | select(.title == $t) | .docid][0]'
}
kept='Security guarantees after a ceasefire'
gone='Undated thoughts on guarantees'
l_kept=$(link guarantees "$kept")
l_gone=$(link guarantees "$gone")
id_before=$(docid "$kept")
check "a hit's link names its key" has "$l_kept" '/doc?key='
for i in 0 1 2; do
    printf -- '---\ntitle: First %s\ndate: 2025-01-0%s\n---\nguarantees %s\n' \
        "$i" "$((i + 1))" "$i" > "keyed/0-first-$i.md"
done
rm keyed/undated-guarantees.md
run index -d dbk -c "$CFG" --no-progress --full keyed
check "keys: a full rebuild ran" eq "$rc" 0
check "keys: the rebuild gave the document another docid" \
    test "$(docid "$kept")" != "$id_before" -a -n "$id_before"
get "$l_kept"
check "keys: the old link still shows the same document" \
    eq "$code:$(grep -o '<h1>[^<]*</h1>' "$T/body")" "200:<h1>$kept</h1>"
get "$l_gone"
check "keys: a removed document's link is 404" eq "$code" 404
check "keys: and says it may have been removed" \
    grep -q 'no such document (it may have been removed' "$T/body"
get '/doc?key=nosuchkey'
check "keys: an unknown key is 404" eq "$code" 404
get "/doc?id=$(docid "$kept")"
check "keys: a docid link still answers" \
    eq "$code:$(grep -o '<h1>[^<]*</h1>' "$T/body")" "200:<h1>$kept</h1>"
get '/doc?key='
check "keys: an empty key is 400" eq "$code" 400
kill -TERM "$pid"; wait "$pid"

# Several databases searched as one, as dossier-search does.
mkdir web
mv docs/script-tags.md docs/urls.md web/
run index -d db2 -c "$CFG" --no-progress web
run index -d db -c "$CFG" --no-progress docs
serve two -d db -d db2 -c "$CFG" --listen 127.0.0.1:0
get '/api/search?q=hostileweb+OR+ceasefire&n=20'
api=$(jq -S 'del(.elapsed_ms)' "$T/body")
cli=$(jsearch -d db -d db2 -c "$CFG" -n 20 'hostileweb OR ceasefire' |
      jq -S 'del(.elapsed_ms)')
same "two databases: API = CLI" "$api" "$cli"
check "two databases: both searched" \
    eq "$(printf '%s' "$api" | jq '[.hits[].path | test("/web/")] | any')" true
get '/?q=hostileweb+OR+ceasefire&n=20'
l2=$(grep -o 'href="/doc?key=[^"]*web%2Furls.md[^"]*"' "$T/body" |
     sed 's/href="\([^"]*\)"/\1/; s/&amp;/\&/g' | head -n 1)
check "two databases: a link names the database holding the document" \
    has "$l2" '&db=2'
get "$l2"
check "two databases: and leads to it" grep -q '<code>[^<]*/web/urls.md' \
    "$T/body"
kill -TERM "$pid"; wait "$pid"
# The same key in two databases (a folder indexed into both, then
# changed): db= says which one, and without it the first answers.
sed 's/^title: .*/title: Changed since/' web/urls.md > web/urls.new
mv web/urls.new web/urls.md
run index -d db3 -c "$CFG" --no-progress web
serve three -d db2 -d db3 -c "$CFG" --listen 127.0.0.1:0
k=${l2%%&*}
get "$k&db=2"
check "two databases: db= picks the database" \
    grep -q '<h1>Changed since</h1>' "$T/body"
get "$k&db=1"
check "two databases: db=1 the first" \
    grep -q '<h1>hostileweb urls that must not become links</h1>' "$T/body"
get "$k"
check "two databases: no db= the first" \
    grep -q '<h1>hostileweb urls that must not become links</h1>' "$T/body"
kill -TERM "$pid"; wait "$pid"
check "it says it stopped" grep -q 'stopped (SIGTERM)' "$T/s.out"

# The connection cap: one idle connection held open, the next request is
# told 429.
serve cap -d db -c "$CFG" --listen 127.0.0.1:0 --max-connections 1
sleep 3 | curl -s "telnet://127.0.0.1:$port" > /dev/null 2>&1 &
holder=$!
sleep 0.5
get /
check "over the connection cap is 429" eq "$code" 429
check "429 says so" grep -q 'too many connections' "$T/body"
wait "$holder"
get /
check "the cap frees again" eq "$code" 200
kill -INT "$pid"
wait "$pid"
rc=$?
check "SIGINT stops it, exit 0" eq "$rc" 0

# Addresses: loopback by default, anything else only with --public.
run "$BIN/dossier-serve" -d db --listen 0.0.0.0:0
check "a public address without --public is refused (exit 2)" eq "$rc" 2
check "and says why" has "$err" \
    "dossier-serve: --listen: '0.0.0.0:0' is not a loopback address"
serve pub -d db -c "$CFG" --listen 0.0.0.0:0 --public
check "--public serves" grep -q 'PUBLIC, no authentication' "$T/pub.out"
check "--public warns" grep -q 'dossier-serve: warning: --listen: .*without authentication' \
    "$T/pub.err"
kill -TERM "$pid"; wait "$pid"
run "$BIN/dossier-serve" -d nosuchdb
check "a missing database: exit 2" eq "$rc" 2
check "a missing database: one line" has "$err" "dossier-serve: nosuchdb: no database here"
run "$BIN/dossier-serve" -d db --listen nonsense
check "a bad --listen: exit 2" eq "$rc" 2
run "$BIN/dossier-serve" -d db --threads 0
check "a bad --threads: exit 2" eq "$rc:$(printf '%s' "$err" | wc -l)" "2:0"

finish
