#!/bin/sh
# run.sh - runs every tests/cli/t*.sh against the programs in $1 (default .)
#
# $2 (default build) is the build directory, which holds the evaluator
# dossier-eval that the ranking test uses ($EVAL_BIN).
#
# SPDX-License-Identifier: GPL-2.0-or-later
dir=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${1:-.}" && pwd)
export BIN
EVAL_BIN=$(cd "${2:-build}" 2>/dev/null && pwd)/dossier-eval
export EVAL_BIN
status=0
for t in "$dir"/t*.sh; do
    echo "# $(basename "$t")"
    sh "$t" || status=1
done
exit $status
