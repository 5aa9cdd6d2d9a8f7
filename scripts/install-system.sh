#!/usr/bin/env bash
# Install the Debian packages Luodi needs (CJK fonts, Chromium for browser tests, PostgreSQL,
# gettext for translations, pango for PDFs). Skips apt entirely when all are present.
set -euo pipefail
PACKAGES=(fonts-noto-cjk fonts-wqy-microhei poppler-utils chromium chromium-driver postgresql
          gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
