#!/usr/bin/env bash
# Installs what the tests need and a fresh Debian machine lacks; shared by scripts/test.sh
# and .ci/run. When everything is present it does nothing (no network). Run as root it
# installs the missing Debian packages (one `apt-get update`) and PyPI modules; otherwise it
# prints what is missing and carries on: the tests that need it are then reported skipped
# (and fail in CI, where `CI` is set).
#
# Debian packages: libxml2-dev (the HTML parser, needed to build), postgresql (initdb/psql:
# the store tests' throwaway server), sqlite3 (the database dump scanned for personal data),
# poppler-utils (pdftotext: PDF tests), catdoc (legacy
# .doc/.xls text), fonts-noto-cjk (CJK glyphs for rendered reports), python3 and python3-pip
# when there is no Python, chromium and chromium-driver (the browser test,
# tests/python/test_browser.py), systemd (systemd-analyze: the deploy/ units' check; it
# verifies unit files offline, so a container without systemd running is fine). PyPI: python-docx, openpyxl and pytest (the notice files'
# check, tests/python/test_report_files.py), selenium (the browser test) and schemathesis
# (the JSON API fuzzing, tests/python/test_api_schemathesis.py).
set -euo pipefail

# Whether a Debian package's part the tests use is present (its tool, or dpkg's record).
debian_present() {
  case "$1" in
    postgresql) ls /usr/lib/postgresql/*/bin/initdb && command -v psql ;;
    sqlite3) command -v sqlite3 ;;
    poppler-utils) command -v pdftotext ;;
    catdoc) command -v catdoc ;;
    python3) command -v python3 ;;
    python3-pip) command -v python3 && python3 -m pip --version ;;
    chromium) command -v chromium ;;
    chromium-driver) command -v chromedriver ;;
    systemd) command -v systemd-analyze ;;
    *) dpkg-query -W -f='${Status}' "$1" | grep -q "ok installed" ;;
  esac >/dev/null 2>&1
}

missing_debian=()
for package in libxml2-dev postgresql sqlite3 poppler-utils catdoc fonts-noto-cjk python3 python3-pip chromium chromium-driver systemd; do
  debian_present "$package" || missing_debian+=("$package")
done

# PyPI distribution name → the module the tests import.
missing_pypi=()
for pair in python-docx:docx openpyxl:openpyxl pytest:pytest selenium:selenium schemathesis:schemathesis; do
  command -v python3 >/dev/null 2>&1 && python3 -c "import ${pair#*:}" >/dev/null 2>&1 || missing_pypi+=("${pair%%:*}")
done

if [ ${#missing_debian[@]} -eq 0 ] && [ ${#missing_pypi[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  [ ${#missing_debian[@]} -gt 0 ] && echo "install-test-deps: missing Debian packages (not root, not installed): ${missing_debian[*]}" >&2
  [ ${#missing_pypi[@]} -gt 0 ] && echo "install-test-deps: missing Python modules (not root, not installed): ${missing_pypi[*]}" >&2
  echo "install-test-deps: the tests that need them will be skipped (they fail in CI)" >&2
  exit 0
fi

if [ ${#missing_debian[@]} -gt 0 ]; then
  echo "install-test-deps: apt-get install ${missing_debian[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing_debian[@]}" >/dev/null
fi

if [ ${#missing_pypi[@]} -gt 0 ]; then
  echo "install-test-deps: pip install ${missing_pypi[*]}"
  pip=(python3 -m pip install --quiet --disable-pip-version-check)
  # Debian 12's own Python refuses pip outside a virtual environment (PEP 668) unless told.
  if python3 -m pip install --help 2>/dev/null | grep -q -- --break-system-packages; then
    pip+=(--break-system-packages)
  fi
  "${pip[@]}" "${missing_pypi[@]}"
fi
