#!/usr/bin/env bash
# Regenerates Reports/samples/ from the demo, with the built-in templates, as the golden-file
# test (Tests/lubanTests/SampleReportsTests.swift) compares them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
swift build
luban="$root/.build/debug/luban"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$luban" demo --db "$work/demo.sqlite" >/dev/null 2>&1)
grep -v '^#' Reports/samples/MANIFEST | while IFS=: read -r file args; do
    [ -n "$file" ] || continue
    # shellcheck disable=SC2086
    (cd "$work" && "$luban" $args --db "$work/demo.sqlite") > "Reports/samples/$file"
    echo "wrote Reports/samples/$file"
done
