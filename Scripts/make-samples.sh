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
# The documents for paper, as pictures for the README (looked at, not compared: a picture
# depends on the fonts and poppler of the machine that draws it).
(cd "$work" && "$luban" certificate print LB-2014-0061-8 --format pdf --out "$work/pdf" --db "$work/demo.sqlite" >/dev/null)
pdftoppm -r 80 -png -singlefile "$work/pdf/LB-2014-0061-8.pdf" Reports/samples/certificate-inheritor
(cd "$work" && "$luban" rollcall 2 --format pdf --out "$work/rollcall-2.pdf" --db "$work/demo.sqlite" >/dev/null)
pdftoppm -r 70 -png -f 1 -l 1 -singlefile "$work/rollcall-2.pdf" Reports/samples/rollcall-2-page1
echo "wrote Reports/samples/certificate-inheritor.png, rollcall-2-page1.png"
