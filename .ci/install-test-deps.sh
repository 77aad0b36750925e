#!/usr/bin/env bash
# Tools the test suite needs beside the Python packages: Chromium (Debian's), axe-core and the Nu
# HTML checker vnu-jar (npm, pinned in .ci/node/package-lock.json) with Java (Debian's) to run it,
# gettext's msgfmt and the PostgreSQL 15 server binaries.
# Quick when everything is there. Outside CI a tool that cannot be installed is reported and the
# tests that need it skip; with CI=true it fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

IN_CI=false
[[ "${CI:-}" == "true" ]] && IN_CI=true
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
missing=()
apt_packages=()

say() { printf '[test-deps] %s\n' "$*"; }

[[ -x /usr/bin/chromium ]] || apt_packages+=(chromium fonts-dejavu-core fonts-liberation)
command -v msgfmt >/dev/null || apt_packages+=(gettext)
[[ -x "$PG_BIN/postgres" ]] || apt_packages+=(postgresql-15)
command -v npm >/dev/null || apt_packages+=(nodejs npm)
command -v java >/dev/null || apt_packages+=(default-jre-headless)

if ((${#apt_packages[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing from Debian: ${apt_packages[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
    else
        say "not root (or no apt-get): cannot install ${apt_packages[*]}"
    fi
fi

[[ -x /usr/bin/chromium ]] || missing+=("Chromium (/usr/bin/chromium): browser tests")
command -v msgfmt >/dev/null || missing+=("msgfmt (gettext): translation checks")
[[ -x "$PG_BIN/postgres" ]] || missing+=("PostgreSQL 15 ($PG_BIN): the PostgreSQL run")
command -v java >/dev/null || missing+=("Java (default-jre-headless): the HTML checker")

# axe-core and vnu-jar, exactly the versions in the lock file, into .ci/node/node_modules
# (gitignored). --ignore-scripts: vnu-jar's install script would fetch a Java of its own; the jar
# itself ships in the package and runs on Debian's Java.
npm_version() { sed -n 's/^  "version": "\([^"]*\)".*/\1/p' ".ci/node/node_modules/$1/package.json" 2>/dev/null || true; }
npm_wanted() { sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p" .ci/node/package.json; }
wanted=$(npm_wanted axe-core)
vnu_wanted=$(npm_wanted vnu-jar)
vnu_installed=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' .ci/node/node_modules/vnu-jar/package.json 2>/dev/null || true)
if [[ "$(npm_version axe-core)" != "$wanted" || "$vnu_installed" != "$vnu_wanted" ]]; then
    if command -v npm >/dev/null; then
        say "installing axe-core $wanted and vnu-jar $vnu_wanted from npm"
        npm ci --prefix .ci/node --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null 2>&1 \
            || npm ci --prefix .ci/node --ignore-scripts --no-audit --no-fund --loglevel=error
    fi
fi
[[ -f .ci/node/node_modules/axe-core/axe.min.js ]] || missing+=("axe-core (npm): accessibility checks")
[[ -f .ci/node/node_modules/vnu-jar/build/dist/vnu.jar ]] || missing+=("vnu-jar (npm): HTML checks")

if ((${#missing[@]})); then
    for item in "${missing[@]}"; do say "MISSING: $item"; done
    if $IN_CI; then
        say "CI=true: every part of the suite must run, so this is a failure."
        exit 1
    fi
    say "outside CI: the parts that need these are skipped."
else
    say "Chromium, axe-core $wanted, vnu-jar $vnu_wanted with Java, msgfmt and PostgreSQL 15 are ready."
fi
