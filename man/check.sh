#!/bin/sh
# man/check.sh - render every man page with warnings as errors
#
# Runs groff (all warnings) and man (its own checks) over each page in
# man/ and fails if either prints anything.  Usage: sh man/check.sh
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
cd "$(dirname "$0")" || exit 2
fail=0
for page in *.[1-9]; do
    out=$(groff -man -ww -z -Tutf8 "$page" 2>&1)
    if command -v man >/dev/null 2>&1; then
        more=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
        [ -n "$more" ] && out="${out:+$out
}$more"
    fi
    if [ -n "$out" ]; then
        printf 'not ok %s\n%s\n' "$page" "$out"
        fail=1
    else
        printf 'ok %s\n' "$page"
    fi
done
exit $fail
