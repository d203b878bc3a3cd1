#!/bin/sh
# run.sh - runs every tests/cli/t*.sh against the programs in $1 (default .)
#
# SPDX-License-Identifier: GPL-2.0-or-later
dir=$(cd "$(dirname "$0")" && pwd)
BIN=$(cd "${1:-.}" && pwd)
export BIN
status=0
for t in "$dir"/t*.sh; do
    echo "# $(basename "$t")"
    sh "$t" || status=1
done
exit $status
