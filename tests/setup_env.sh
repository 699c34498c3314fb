#!/bin/sh
# The system packages the tests need, from Debian's archive, before pytest runs
# (README.md's test command and .ci/run call this script first):
#   fonts-noto-cjk    a CJK font, so plots with Chinese text render every glyph
#                     (tests/test_plot.py proves it);
#   libreoffice-calc  renders XLSX payslips to PDF (soffice --headless --convert-to pdf);
#   poppler-utils     turns those PDFs into PNG pages (pdftoppm), and text (pdftotext);
#   chromium          prints HTML payslips to PDF headlessly (tests/test_payslip_print.py);
#   nodejs, npm       (only when the node or npm command is missing: a Node.js installed
#                     another way is used as it is) run VS Code's TextMate engine (vscode-textmate, pinned in
#                     tests/textmate/package-lock.json and installed there by `npm ci`), which
#                     tokenises every rule file with editors/ksf.tmLanguage.json.
# Measured on a 2-core machine with a local mirror: about 4 s for the font, 15 s for the
# other two. Already installed: says nothing. Not root, or no apt-get: stops with status 1
# and says what to install.
set -eu

PACKAGES="fonts-noto-cjk libreoffice-calc poppler-utils chromium"

missing=""
for package in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    missing="$missing nodejs npm"
fi

# The TextMate engine's two npm packages: the registry's tarballs, checked against the lock.
textmate_modules() {
    here=$(dirname "$0")
    [ -d "$here/textmate/node_modules/vscode-textmate" ] && return 0
    echo "tests/setup_env.sh: installing the TextMate engine (npm ci in tests/textmate)"
    npm ci --prefix "$here/textmate" --no-audit --no-fund --loglevel=error >/dev/null \
        || { echo "tests/setup_env.sh: npm ci in tests/textmate failed" >&2; exit 1; }
}

if [ -z "$missing" ]; then
    textmate_modules
    exit 0
fi

fail() {
    echo "tests/setup_env.sh: cannot install$missing: $1" >&2
    echo "tests/setup_env.sh: install them by hand (Debian/Ubuntu: sudo apt-get install$missing), then run the tests again" >&2
    exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "this system has no apt-get"
[ "$(id -u)" = 0 ] || fail "installing needs root"

echo "tests/setup_env.sh: installing$missing (apt-get update, then apt-get install)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || fail "apt-get update failed"
# shellcheck disable=SC2086 # one word per package
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 $missing >/dev/null \
    || fail "apt-get install failed"
echo "tests/setup_env.sh: installed$missing"
textmate_modules
