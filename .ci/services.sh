#!/usr/bin/env bash
# Brings up everything MultiArch's Registry/Docker tests and `./build.sh MergeManifest` need on Debian 12 as root,
# with no internet beyond the Debian and npm registries: packages, QEMU binfmt, dockerd, a registry on
# 127.0.0.1:5000 and a three-platform busybox base index built from Debian's busybox-static packages.
# Idempotent: every step checks first and does nothing when its service is already there.
#
# Timings on this 2-core machine kind (packages come preinstalled on it):
#   first run (binfmt unmounted, dockerd and registry stopped, empty registry storage, no BuildKit cache,
#              no node_modules): 31 s idle, 50 s with other builds loading the machine (base image 38 s, npm ci 8 s)
#   warm run  (everything up): 0.5 s idle, 3 s loaded
# A truly fresh machine adds apt-get update (about 5 s per architecture) and installing the packages (about a minute).
#
# Decision: Debian's docker-registry package ships a service on :5000 (every interface, htpasswd auth). When
# systemd runs it, this script stops and disables it and runs its own on 127.0.0.1 only, with delete enabled,
# from /etc/multiarch/registry.yml. Storage: /var/lib/multiarch-registry. Logs: /var/log/multiarch-*.log.
set -euo pipefail

readonly REGISTRY=127.0.0.1:5000
readonly BASE_REPO=$REGISTRY/multiarch/busybox
readonly BASE_TAG=1.35                 # Debian 12's busybox-static; tests and the example refer to this tag
readonly BASE_PLATFORMS="linux/amd64 linux/arm64 linux/arm/v7"
readonly PACKAGES=(docker.io docker-registry skopeo qemu-user-static binfmt-support apache2-utils jq curl)
readonly DOCKER=/usr/bin/docker        # /usr/local/bin/docker may be a newer client without BuildKit support
readonly CONFIG_DIR=/etc/multiarch
readonly REGISTRY_CONFIG=$CONFIG_DIR/registry.yml
readonly REGISTRY_STORAGE=/var/lib/multiarch-registry
readonly REGISTRY_PID=/run/multiarch-registry.pid
readonly LOG=/var/log/multiarch-services.log
readonly DOCKERD_LOG=/var/log/multiarch-dockerd.log
readonly REGISTRY_LOG=/var/log/multiarch-registry.log
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly REPO_ROOT
readonly PARSER_DIR=$REPO_ROOT/.ci/workflow-parser
export DEBIAN_FRONTEND=noninteractive

step="start" step_started=$EPOCHREALTIME
begin() { step=$1 step_started=$EPOCHREALTIME; }
say() {
  local ms=$(( (${EPOCHREALTIME/[.,]/} - ${step_started/[.,]/}) / 1000 ))
  printf 'services: %-16s %s [%d.%01ds]\n' "$step" "$*" $((ms / 1000)) $((ms % 1000 / 100))
}
fail() { printf 'services: %s failed: %s\n' "$step" "$*" >&2; exit 1; }
on_error() {
  local code=$?
  printf 'services: %s failed (exit %s); last lines of %s:\n' "$step" "$code" "$LOG" >&2
  tail -n 15 "$LOG" >&2 || true
  exit "$code"
}
trap on_error ERR

[[ $EUID -eq 0 ]] || fail "run as root (it installs packages, mounts binfmt_misc and starts dockerd)"
mkdir -p "$CONFIG_DIR" "$REGISTRY_STORAGE"
# Several sessions or test runs may call this at once; one at a time keeps the checks honest.
exec 9>/run/multiarch-services.lock
flock -w 900 9 || fail "another services.sh held /run/multiarch-services.lock for 15 minutes"

apt_updated=false
apt_update() {
  $apt_updated && return 0
  # A mirror mid-sync fails one index now and then; the lists that did arrive are still usable.
  local attempt
  for attempt in 1 2; do
    if apt-get update -q >>"$LOG" 2>&1; then apt_updated=true; return 0; fi
    ((attempt == 2)) || sleep 3
  done
  say "warning: apt-get update reported errors twice (see $LOG); going on with the lists it has"
  apt_updated=true
}

# --- packages -------------------------------------------------------------------------------------------------
begin "packages"
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$pkg")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if ((${#missing[@]} == 0)); then
  say "all present (${PACKAGES[*]}, node $(node --version))"
else
  apt_update
  apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOG" 2>&1
  say "installed ${missing[*]}"
fi

# --- binfmt ---------------------------------------------------------------------------------------------------
begin "binfmt"
mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
for emulator in qemu-aarch64 qemu-arm; do
  entry=/proc/sys/fs/binfmt_misc/$emulator
  [[ -f $entry && $(head -n 1 "$entry") == enabled ]] || update-binfmts --enable "$emulator" >>"$LOG" 2>&1
  [[ -f $entry && $(head -n 1 "$entry") == enabled ]] || fail "$entry is not enabled after update-binfmts --enable $emulator"
  # Without the F flag the kernel looks for the interpreter inside each container, where it does not exist.
  grep -q '^flags: .*F' "$entry" || fail "$entry lacks the F (fix-binary) flag; reinstall qemu-user-static"
done
say "qemu-aarch64 and qemu-arm enabled (flags $(sed -n 's/^flags: //p' /proc/sys/fs/binfmt_misc/qemu-aarch64))"

# --- dockerd --------------------------------------------------------------------------------------------------
begin "dockerd"
if $DOCKER info >/dev/null 2>&1; then
  say "already running"
else
  if ! pgrep -x dockerd >/dev/null; then
    # setsid: the daemon outlives this script and the caller's process group.
    setsid dockerd --bridge=none --iptables=false </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
  fi
  for _ in $(seq 1 120); do $DOCKER info >/dev/null 2>&1 && break; sleep 0.5; done
  $DOCKER info >/dev/null 2>&1 || { tail -n 15 "$DOCKERD_LOG" >&2; fail "dockerd did not answer within 60 s (log: $DOCKERD_LOG)"; }
  say "started (log $DOCKERD_LOG)"
fi

# --- registry -------------------------------------------------------------------------------------------------
begin "registry"
cat >"$REGISTRY_CONFIG.new" <<EOF
# Written by .ci/services.sh: MultiArch's local registry, loopback only, delete on (untagged cleanup needs it).
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_STORAGE
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
mv "$REGISTRY_CONFIG.new" "$REGISTRY_CONFIG"

if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
  systemctl disable --now docker-registry >>"$LOG" 2>&1
  say "stopped and disabled Debian's docker-registry service (all interfaces, htpasswd auth)"
fi

# Prints the HTTP status of GET /v2/, or 000 when nothing answers.
registry_status() { curl -s -o /dev/null -m 3 -w '%{http_code}' "http://$REGISTRY/v2/" || true; }
# A registry with delete disabled answers 405 to a manifest DELETE; with delete enabled an unknown one is 404.
delete_status() {
  curl -s -o /dev/null -m 3 -w '%{http_code}' -X DELETE \
    "http://$REGISTRY/v2/multiarch/delete-probe/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000" || true
}

status=$(registry_status)
if [[ $status == 000 ]]; then
  if (exec 3<>"/dev/tcp/${REGISTRY%:*}/${REGISTRY#*:}") 2>/dev/null; then
    fail "something that is not an HTTP registry listens on $REGISTRY ($(ss -ltnpH "sport = :${REGISTRY#*:}" 2>/dev/null | head -n 1)); stop it"
  fi
  setsid /usr/bin/docker-registry serve "$REGISTRY_CONFIG" </dev/null >>"$REGISTRY_LOG" 2>&1 9>&- &
  echo $! >"$REGISTRY_PID"
  for _ in $(seq 1 40); do [[ $(registry_status) == 200 ]] && break; sleep 0.25; done
  [[ $(registry_status) == 200 ]] || { tail -n 10 "$REGISTRY_LOG" >&2; fail "docker-registry did not answer on $REGISTRY within 10 s (log: $REGISTRY_LOG)"; }
  registry_note="started (pid $(cat "$REGISTRY_PID"), config $REGISTRY_CONFIG)"
elif [[ $status == 200 ]]; then
  registry_note="already running"
elif [[ $status == 401 ]]; then
  fail "the registry on $REGISTRY requires authentication; stop it so an open loopback one can start"
else
  fail "what listens on $REGISTRY is not a Docker registry (GET /v2/ answered HTTP $status); stop it"
fi
[[ $(delete_status) != 405 ]] || fail "the registry on $REGISTRY has delete disabled; stop it and rerun (this script's config enables it)"
say "$registry_note, delete enabled"

# --- base image -----------------------------------------------------------------------------------------------
begin "base image"
# Prints the index's platforms, sorted, one line; empty when the tag is missing or is not an index.
index_platforms() {
  skopeo inspect --raw --tls-verify=false "docker://$BASE_REPO:$1" 2>/dev/null |
    jq -r '[.manifests[]?.platform | .os + "/" + .architecture + (if .variant then "/" + .variant else "" end)] | sort | join(" ")' 2>/dev/null || true
}
expected_platforms=$(tr ' ' '\n' <<<"$BASE_PLATFORMS" | sort | paste -sd ' ')

# Trap in dockerd 20.10 (no containerd image store): `docker run/pull --platform linux/arm/v7` of the index
# tags that ONE child locally under the index's name, and later `--platform linux/arm64` builds FROM the index
# silently use it (containerd counts arm/v7 as arm64-compatible), even with --pull. Drop such local tags.
for tag in "$BASE_TAG" latest; do
  if $DOCKER image inspect "$BASE_REPO:$tag" >/dev/null 2>&1; then
    $DOCKER rmi "$BASE_REPO:$tag" >>"$LOG" 2>&1
    say "untagged the local single-platform copy of $BASE_REPO:$tag (builds must resolve the index)"
  fi
done

if [[ $(index_platforms "$BASE_TAG") == "$expected_platforms" && $(index_platforms latest) == "$expected_platforms" ]]; then
  say "$BASE_REPO:$BASE_TAG present ($expected_platforms)"
else
  work=$(mktemp -d /tmp/multiarch-busybox.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  chown _apt "$work" 2>/dev/null || true   # apt-get download writes as the _apt user when it can

  added=false
  for arch in arm64 armhf; do
    dpkg --print-foreign-architectures | grep -qx "$arch" || { dpkg --add-architecture "$arch"; added=true; }
  done
  if $added || ! apt-cache show busybox-static:arm64 busybox-static:armhf >/dev/null 2>&1; then apt_update; fi
  (cd "$work" && apt-get download -q busybox-static:amd64 busybox-static:arm64 busybox-static:armhf >>"$LOG" 2>&1)

  # One rootfs per Docker TARGETARCH: busybox plus a symlink per applet, so `sh`, `uname`, `cat`... exist.
  for pair in amd64:amd64 arm64:arm64 armhf:arm; do
    deb_arch=${pair%%:*} rootfs=$work/context/rootfs-${pair##*:}
    deb=$(ls "$work"/busybox-static_*_"$deb_arch".deb)
    dpkg-deb -x "$deb" "$work/extract-$deb_arch"
    mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/root" "$rootfs/tmp"
    chmod 1777 "$rootfs/tmp"
    cp "$work/extract-$deb_arch/bin/busybox" "$rootfs/bin/busybox"
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  done
  # The applet list comes from the host's binary: the three builds share Debian's configuration.
  for applet in $("$work/extract-amd64/bin/busybox" --list); do
    [[ $applet == busybox ]] && continue
    for rootfs in "$work"/context/rootfs-*; do ln -s busybox "$rootfs/bin/$applet"; done
  done
  cat >"$work/context/Dockerfile" <<'EOF'
FROM scratch
ARG TARGETARCH
COPY rootfs-${TARGETARCH}/ /
ENV PATH=/bin
CMD ["/bin/sh"]
EOF
  version=$(dpkg-deb -f "$(ls "$work"/busybox-static_*_amd64.deb)" Version)

  children=()
  for platform in $BASE_PLATFORMS; do
    child=$BASE_REPO:$BASE_TAG-$(cut -d/ -f2- <<<"$platform" | tr / -)   # linux/arm/v7 -> 1.35-arm-v7
    DOCKER_BUILDKIT=1 $DOCKER build --network host --platform "$platform" \
      --label "org.opencontainers.image.description=busybox-static $version from Debian 12 (built by .ci/services.sh)" \
      --label "org.opencontainers.image.version=$BASE_TAG" \
      -t "$child" "$work/context" >>"$LOG" 2>&1
    $DOCKER push "$child" >>"$LOG" 2>&1
    children+=("$child")
  done

  # A private DOCKER_CONFIG: `docker manifest` keeps lists under ~/.docker/manifests and refuses to recreate one.
  export DOCKER_CONFIG=$work/docker-config
  $DOCKER manifest create --insecure "$BASE_REPO:$BASE_TAG" "${children[@]}" >>"$LOG" 2>&1
  $DOCKER manifest push --insecure --purge "$BASE_REPO:$BASE_TAG" >>"$LOG" 2>&1
  unset DOCKER_CONFIG

  # :latest is the very same index bytes under a second tag, so both tags share one digest.
  list_type=application/vnd.docker.distribution.manifest.list.v2+json
  curl -sf -H "Accept: $list_type" -o "$work/index.json" "http://$REGISTRY/v2/multiarch/busybox/manifests/$BASE_TAG"
  curl -sf -X PUT -H "Content-Type: $list_type" --data-binary "@$work/index.json" \
    "http://$REGISTRY/v2/multiarch/busybox/manifests/latest" >>"$LOG"

  actual=$(index_platforms "$BASE_TAG")
  [[ $actual == "$expected_platforms" ]] || fail "$BASE_REPO:$BASE_TAG lists '$actual', expected '$expected_platforms'"
  say "built and pushed $BASE_REPO:$BASE_TAG and :latest ($expected_platforms) from busybox-static $version"
fi

# --- workflow parser ------------------------------------------------------------------------------------------
begin "workflow-parser"
node_major=$(node -p 'process.versions.node.split(".")[0]')
((node_major >= 20)) || fail "node $(node --version) is too old: @actions/workflow-parser and its loader need Node 20 or later"
if [[ -d $PARSER_DIR/node_modules/@actions/workflow-parser ]]; then
  say "present in $PARSER_DIR/node_modules"
else
  npm ci --prefix "$PARSER_DIR" --no-audit --no-fund >>"$LOG" 2>&1
  say "installed with npm ci in $PARSER_DIR"
fi
parser_version=$(node -p "require('$PARSER_DIR/node_modules/@actions/workflow-parser/package.json').version")

# --- summary --------------------------------------------------------------------------------------------------
begin "summary"
dockerd_version=$($DOCKER version --format '{{.Server.Version}}')
base_digest=$(skopeo inspect --raw --tls-verify=false "docker://$BASE_REPO:$BASE_TAG" | sha256sum | cut -c1-12)
echo "services: ready: dockerd $dockerd_version (pid $(pgrep -xo dockerd)) | registry $REGISTRY (delete on) | binfmt qemu-aarch64+qemu-arm | base $BASE_REPO:$BASE_TAG sha256:$base_digest ($expected_platforms) | workflow-parser $parser_version"
