#!/usr/bin/env bash
# Manual check of a generated notice: renders the .docx (LibreOffice headless) and the .html
# (Chromium headless, when installed) to PDF, then each PDF page to PNG (pdftoppm), with the
# font substitutes of notice-fonts.conf, so a person can look at the pages.
#
#   bash tests/python/render_notice.sh /tmp/govwatch-demo-…/通报-2022Q1.docx [OUTDIR]
#
# Needs: libreoffice-writer-nogui, poppler-utils, fonts-noto-cjk (fonts-arphic-ukai for 楷体);
# optional: chromium. Not run in CI (slow to install); see the report of issue 7.
set -euo pipefail
docx="${1:?usage: render_notice.sh NOTICE.docx [OUTDIR]}"
out="${2:-$(mktemp -d)}"
here="$(cd "$(dirname "$0")" && pwd)"
export FONTCONFIG_FILE="$here/notice-fonts.conf"
mkdir -p "$out"
soffice --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null
pdf="$out/$(basename "${docx%.*}").pdf"
pdftoppm -r 80 -png "$pdf" "$out/docx-page"
html="${docx%.*}.html"
if [[ -f "$html" ]] && command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$out/html.pdf" "file://$(realpath "$html")" 2>/dev/null
  pdftoppm -r 80 -png "$out/html.pdf" "$out/html-page"
fi
echo "pages: $(pdfinfo "$pdf" | awk '/^Pages/ {print $2}') → $out"
