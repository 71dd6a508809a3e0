#!/usr/bin/env bash
# Installs the Debian packages luban needs, where they are missing:
#   libsqlite3-dev  the system SQLite that GRDB.swift links against
#   sqlite3         the command-line tool the benchmark compares against
#   libxlsxwriter-dev  writes Excel/WPS workbooks (--format xlsx): its header for the build;
#                   the library itself is loaded when a workbook is written (Sources/CGraphics)
#   pkg-config      (kept for those who build other targets against these libraries)
#   libxml2-dev     the Swift toolchain's FoundationXML, which a debug build (and the tests) still
#                   link through the toolchain's shared Foundation; luban reads workbooks with
#                   its own XML reader, and the release binary needs no libxml2
#   libpangocairo-1.0-0 libcairo2 libqrencode4
#                   PDF certificates and roll-call sheets: Cairo draws the page, Pango shapes and
#                   lays out the text, libqrencode makes the QR code (loaded by luban when a PDF
#                   is made, so nothing else pays for them)
#   fonts-noto-cjk fonts-liberation2 fonts-hanazono
#                   the typefaces embedded in the PDFs: Noto CJK for Chinese, Liberation for Latin,
#                   and Hanazono Mincho for the rare characters of names (CJK Extensions B to F,
#                   生僻字) that Noto CJK does not have
#   libpoppler-glib8
#                   Poppler, with which `certificate verify` reads a PDF's document information as
#                   a PDF reader does (loaded when a PDF is verified)
#   ghostscript qpdf
#                   what the tests re-save certificates with, as a printer driver or another
#                   program would, before verifying the copies
#   poppler-utils zbar-tools
#                   what the tests read the PDFs with, as a reader would: pdftotext, pdffonts,
#                   pdftoppm (and the README's pictures), and zbarimg to scan the QR code
#   libssl-dev      OpenSSL's libcrypto: luban's signatures, digests and sealing (Sources/LubanCrypto)
#   libpq-dev postgresql
#                   the union's headquarters (luban hq): PostgreSQL's own client library, libpq,
#                   which luban-hq links (only it), and PostgreSQL 15, whose throw-away server
#                   the tests start (Scripts/start-postgres.sh)
# and, from PyPI, Python's `cryptography`, which the independent certificate verifier
# (Scripts/verify-certificate.py, checked by the tests) uses for Ed25519, `pypdf`, with which it
# reads a PDF's document information, and `openpyxl`, with
# which the tests read the workbooks luban writes as a spreadsheet would.
set -euo pipefail
missing=()
for pkg in libsqlite3-dev sqlite3 libxlsxwriter-dev pkg-config libxml2-dev \
    libpangocairo-1.0-0 libcairo2 libqrencode4 fonts-noto-cjk fonts-liberation2 fonts-hanazono poppler-utils zbar-tools \
    libpoppler-glib8 ghostscript qpdf libssl-dev libpq-dev postgresql; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update
    $sudo_cmd apt-get install -y "${missing[@]}"
fi
# A Debian system Python refuses pip (PEP 668): fall back to --break-system-packages (the packages
# are leaf libraries, installed for this user only).
pip_install() {
    python3 -m pip install --quiet "$1" 2>/dev/null ||
        python3 -m pip install --quiet --user --break-system-packages "$1"
}
python3 -c 'import cryptography' 2>/dev/null || pip_install cryptography
python3 -c 'import openpyxl' 2>/dev/null || pip_install openpyxl
python3 -c 'import pypdf' 2>/dev/null || pip_install pypdf
