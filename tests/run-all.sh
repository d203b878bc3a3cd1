#!/bin/sh
# run-all.sh - `make test`: the Check unit suites, then the CLI tests
#
# Usage: run-all.sh BUILD_DIR PROGRAM_DIR.  Prints one closing summary line,
# "N passed, N failed", and exits non-zero on any failure.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
build=${1:-build}
out=${2:-.}
log="$build/check.log"

echo "== unit tests (Check)"
"$build/check_dossier" 2>&1 | tee "$log"
unit_rc=$?
# Check prints "NN%: Checks: N, Failures: F, Errors: E".
line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
u_total=$(echo "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
u_fail=$(echo "$line" | sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1 \2/' |
    awk '{print $1 + $2}')
[ -n "$u_total" ] || { u_total=0; u_fail=1; }

echo "== CLI tests"
DBTOOL=$(cd "$build" && pwd)/dbtool
export DBTOOL
sh tests/cli/run.sh "$out" "$build" > "$build/cli.log" 2>&1
cli_rc=$?
cat "$build/cli.log"
c_pass=$(grep -c '^ok ' "$build/cli.log")
c_fail=$(grep -c '^not ok ' "$build/cli.log")

passed=$((u_total - u_fail + c_pass))
failed=$((u_fail + c_fail))
if [ "$unit_rc" -ne 0 ] && [ "$u_fail" -eq 0 ]; then failed=$((failed + 1)); fi
if [ "$cli_rc" -ne 0 ] && [ "$c_fail" -eq 0 ]; then failed=$((failed + 1)); fi
echo
echo "unit: $((u_total - u_fail)) of $u_total passed; cli: $c_pass passed, $c_fail failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
