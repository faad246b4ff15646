#!/usr/bin/env bash
# Install everything vidgen needs on a fresh Debian/Ubuntu machine: the system packages
# (Cairo and Pango for Manim, LaTeX for equations, espeak-ng, DejaVu fonts), a virtual
# environment in .venv, and vidgen itself. Safe to run again: it installs only what is missing.
#   ./setup.sh          the tool
#   ./setup.sh --dev    the tool and what its tests need
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  libcairo2-dev libpango1.0-dev pkg-config   # pycairo and manimpango build against these
  texlive-latex-base texlive-latex-extra dvisvgm  # equations and matrices (MathTex)
  lmodern                                    # the T1 fonts equations use (Polish letters)
  espeak-ng                                  # offline speech in every language
  fonts-dejavu-core                          # the one font every video uses
  fontconfig                                 # fc-match: which font file a cache entry was drawn with
)
if [ "${1:-}" = "--dev" ]; then
  packages+=(chromium chromium-driver)  # the preview page's and the studio's tests drive headless Chromium
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "setup: vidgen needs Python 3.11 or newer" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
else
  .venv/bin/python -m pip install -q -e .
fi
echo "setup: ready (.venv/bin/vidgen)"
