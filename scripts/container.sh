#!/usr/bin/env bash
# Build deploy/Containerfile and run its test on a machine where no image registry is reachable:
# the base image is made from Debian packages (debootstrap) and this machine's Node 20, laid out as
# the official node images are (/usr/local), so the Containerfile builds unchanged with BASE set.
#
#   scripts/container.sh base    build localhost/node:20-bookworm-local (once; needs debootstrap, podman)
#   scripts/container.sh build   build localhost/quotebot:test from deploy/Containerfile
#   scripts/container.sh test    build (the base if missing; the image always, from this checkout), then test/deploy/container.e2e.test.ts
#
# This sandbox needs runc (crun refuses its hybrid cgroups), the host's cgroup folder and lower
# ulimits (no CAP_SYS_RESOURCE): the flags below. On an ordinary host, plain `podman build` and
# `podman run` work. The host's CA bundle goes into the base image, for a TLS-inspecting proxy.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE="localhost/node:20-bookworm-local"
IMAGE="localhost/quotebot:test"
ROOTFS="${QUOTEBOT_ROOTFS:-/var/tmp/quotebot-rootfs}"
PODMAN="podman --runtime runc"
RUN_ARGS="--cgroupns=host --ulimit nofile=1024:4096 --ulimit nproc=4096:8192 -v /sys/fs/cgroup:/sys/fs/cgroup:ro"

say() { printf 'container: %s\n' "$*" >&2; }
die() { printf 'container: error: %s\n' "$*" >&2; exit 2; }

base() {
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap podman runc)"
  local node; node="$(command -v node)"
  [[ "$(node --version)" == v20.* ]] || die "this machine's node is $(node --version), not 20"
  if [[ ! -x "$ROOTFS/bin/sh" ]]; then
    say "debootstrap bookworm into $ROOTFS"
    debootstrap --variant=minbase bookworm "$ROOTFS" http://deb.debian.org/debian >/dev/null
  fi
  local prefix; prefix="$(dirname "$(dirname "$(readlink -f "$node")")")"
  mkdir -p "$ROOTFS/usr/local/bin" "$ROOTFS/usr/local/include" "$ROOTFS/usr/local/lib/node_modules" "$ROOTFS/etc/ssl/certs"
  cp "$(readlink -f "$node")" "$ROOTFS/usr/local/bin/node"
  rm -rf "$ROOTFS/usr/local/include/node" "$ROOTFS/usr/local/lib/node_modules/npm"
  cp -r "$prefix/include/node" "$ROOTFS/usr/local/include/node"
  cp -r "$prefix/lib/node_modules/npm" "$ROOTFS/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
  say "importing $BASE"
  tar -C "$ROOTFS" -c . | podman import \
    --change 'ENV npm_config_nodedir=/usr/local' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV npm_config_cafile=/etc/ssl/certs/ca-certificates.crt' - "$BASE" >/dev/null
}

build() {
  podman image exists "$BASE" || base
  say "building $IMAGE"
  # shellcheck disable=SC2086
  $PODMAN build $RUN_ARGS --network host --build-arg "BASE=$BASE" -f "$ROOT/deploy/Containerfile" -t "$IMAGE" "$ROOT"
}

case "${1:-}" in
  base) base ;;
  build) build ;;
  test)
    # Always from this checkout: an image left by an earlier build would test older code.
    build
    cd "$ROOT"
    QUOTEBOT_CONTAINER_IMAGE="$IMAGE" PODMAN="$PODMAN" PODMAN_RUN_ARGS="$RUN_ARGS" npx vitest run test/deploy/container.e2e.test.ts
    ;;
  *) die "usage: scripts/container.sh base|build|test" ;;
esac
