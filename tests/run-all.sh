#!/bin/sh
# run-all.sh - `make test`: the Check unit suites, then the CLI tests
#
# Usage: run-all.sh BUILD_DIR PROGRAM_DIR.  Prints one closing summary
# line, "N passed, N failed, N skipped", alone on its line (CI reads it),
# and exits non-zero on any failure.  A skipped check is not a pass:
# CLI tests print "ok N - NAME # SKIP REASON", unit tests "SKIP NAME: ...";
# under CI=true, where every tool is installed, the tests fail instead.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
build=${1:-build}
out=${2:-.}
log="$build/check.log"

echo "== unit tests (Check)"
# The runner's own status, not tee's: it goes through a file.
{ "$build/check_dossier" 2>&1; echo $? > "$build/check.rc"; } | tee "$log"
unit_rc=$(cat "$build/check.rc" 2>/dev/null || echo 1)
# Check prints "NN%: Checks: N, Failures: F, Errors: E".
line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
u_total=$(printf '%s\n' "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
u_fail=$(printf '%s\n' "$line" |
    sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2/' |
    awk '{print $1 + $2}')
[ -n "$u_total" ] || { u_total=0; u_fail=1; }
u_skip=$(grep -c '^SKIP ' "$log")

echo "== CLI tests"
DBTOOL=$(cd "$build" && pwd)/dbtool
export DBTOOL
sh tests/cli/run.sh "$out" "$build" > "$build/cli.log" 2>&1
cli_rc=$?
cat "$build/cli.log"
c_skip=$(grep -c '^ok [0-9]* - .* # SKIP' "$build/cli.log")
c_pass=$(($(grep -c '^ok ' "$build/cli.log") - c_skip))
c_fail=$(grep -c '^not ok ' "$build/cli.log")

passed=$((u_total - u_fail - u_skip + c_pass))
failed=$((u_fail + c_fail))
skipped=$((u_skip + c_skip))
if [ "$unit_rc" -ne 0 ] && [ "$u_fail" -eq 0 ]; then failed=$((failed + 1)); fi
if [ "$cli_rc" -ne 0 ] && [ "$c_fail" -eq 0 ]; then failed=$((failed + 1)); fi
echo
echo "unit: $((u_total - u_fail - u_skip)) of $u_total passed, $u_skip skipped;" \
    "cli: $c_pass passed, $c_fail failed, $c_skip skipped"
grep -h -E '^SKIP |^ok [0-9]* - .* # SKIP' "$log" "$build/cli.log" |
    sed 's/^/skipped: /'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
