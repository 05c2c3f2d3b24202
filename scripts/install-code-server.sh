#!/usr/bin/env bash
# Installs the VS Code test host used by the extension's host tests: code-server 4.100.3 from npm
# (it bundles VS Code 1.100.3 and runs on Node 20), into a cache folder outside node_modules.
# Prints the folder. Skips the work when the install is already there.
set -euo pipefail

VERSION=4.100.3
CACHE_ROOT="${AUDIT_LENS_CACHE:-$HOME/.cache/audit-lens}"
TARGET="$CACHE_ROOT/code-server-$VERSION"
BIN="$TARGET/node_modules/code-server/out/node/entry.js"

if [[ -f "$TARGET/.complete" && -f "$BIN" ]]; then
  echo "$TARGET"
  exit 0
fi

# Native modules need Kerberos headers; @vscode/ripgrep is fed Debian's rg instead of a download.
need_packages=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_packages+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || need_packages+=(ripgrep)
if ((${#need_packages[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need_packages[@]}" >&2
fi

# @vscode/ripgrep's postinstall downloads its binary from GitHub unless this cache holds the tarball.
RG_TMP="${TMPDIR:-/tmp}"
RG_CACHE="$RG_TMP/vscode-ripgrep-cache-1.15.11"
RG_TARBALL="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [[ ! -f "$RG_TARBALL" ]]; then
  mkdir -p "$RG_CACHE"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$RG_TARBALL" -C "$staging" rg
  rm -rf "$staging"
fi

rm -rf "$TARGET"
mkdir -p "$TARGET"
cd "$TARGET"
# A private package.json: npm 11 runs dependencies' install scripts only when allowScripts lists
# them, and code-server's postinstall (which installs VS Code's own modules) is what makes it work.
cat >package.json <<'JSON'
{
  "name": "audit-lens-code-server-host",
  "private": true,
  "allowScripts": { "code-server": true, "argon2": true }
}
JSON

export npm_config_unsafe_perm=true npm_config_yes=true npm_config_fund=false npm_config_audit=false
export npm_config_update_notifier=false
npm install --no-save --no-package-lock "code-server@$VERSION" >&2

if [[ ! -f "$BIN" ]]; then
  echo "code-server did not install: $BIN is missing" >&2
  exit 1
fi
touch .complete
echo "$TARGET"
