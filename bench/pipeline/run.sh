#!/usr/bin/env bash
# Wall time of `./build.sh MergeManifest` (linux/amd64 + linux/arm64) with --parallelism 2 against --parallelism 1,
# and of a second run with nothing changed (the cache), N times each; medians and ratios go to
# bench/results/pipeline.md.
#
# Each cold run gets a fresh registry (its own docker-registry on a random port, temp storage), a fresh version and
# a fresh digests folder, and a base image no build has seen yet: the busybox children from 127.0.0.1:5000 plus one
# run-specific file, merged into an index in the fresh registry. A new layer is needed: BuildKit keys its cache on
# the base's layers, so a new label alone would leave every step cached. That makes every Dockerfile step run again
# (the arm64 RUN under QEMU) without pruning the shared engine's build cache, which other builds on this machine use.
# The cached run repeats the same command right after, with nothing changed.
#
# Usage: bash bench/pipeline/run.sh [N]     (needs `sudo ./build.sh TestServices` to have run; root; about 4 minutes for N=3)
set -euo pipefail

N=${1:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCKER=/usr/bin/docker
BUSYBOX=127.0.0.1:5000/multiarch/busybox:1.35
RESULTS=$ROOT/bench/results/pipeline.md
WORK=$(mktemp -d /tmp/multiarch-bench-pipeline.XXXXXX)
REGISTRY_PID=
cleanup() {
  [[ -n $REGISTRY_PID ]] && kill "$REGISTRY_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf 'bench: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

[[ -x $ROOT/build.sh ]] || fail "no build.sh in $ROOT"
skopeo inspect --raw --tls-verify=false "docker://$BUSYBOX" >/dev/null 2>&1 || fail "$BUSYBOX is missing: run sudo ./build.sh TestServices"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a registry with empty storage; sets HOST and REGISTRY_PID.
start_registry() {
  local dir=$WORK/registry-$1 port
  port=$(free_port)
  HOST=127.0.0.1:$port
  mkdir -p "$dir"
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n' \
    "$dir/data" "$HOST" >"$dir/config.yml"
  /usr/bin/docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 1 80); do curl -sf -o /dev/null "http://$HOST/v2/" && return 0; sleep 0.1; done
  fail "registry on $HOST did not start (log: $dir/log)"
}

stop_registry() {
  kill "$REGISTRY_PID" 2>/dev/null || true
  wait "$REGISTRY_PID" 2>/dev/null || true
  REGISTRY_PID=
  # The run's local tags (per-arch images, base stages, the bench base) carry the registry's address.
  local refs
  refs=$($DOCKER images --format '{{.Repository}}:{{.Tag}}' | grep "^$HOST/" || true)
  [[ -z $refs ]] || $DOCKER rmi $refs >/dev/null 2>&1 || true
}

# A base index no build has seen: busybox plus a run-specific file (a new layer), for both platforms.
make_base() {
  local id=$1 ctx=$WORK/base-$1 children=()
  mkdir -p "$ctx"
  for arch in amd64 arm64; do
    printf '%s\n' "$id" >"$ctx/bench-run"
    printf 'FROM %s-%s\nCOPY bench-run /etc/bench-run\n' "$BUSYBOX" "$arch" >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=1 $DOCKER build -q --network host --platform "linux/$arch" -t "$HOST/bench/busybox:$id-$arch" "$ctx" >/dev/null
    $DOCKER push "$HOST/bench/busybox:$id-$arch" >/dev/null
    children+=("$HOST/bench/busybox:$id-$arch")
  done
  DOCKER_CONFIG=$ctx/docker-config $DOCKER manifest create --insecure "$HOST/bench/busybox:$id" "${children[@]}" >/dev/null
  DOCKER_CONFIG=$ctx/docker-config $DOCKER manifest push --insecure --purge "$HOST/bench/busybox:$id" >/dev/null
  BASE=$HOST/bench/busybox:$id
}

# Runs build.sh and prints its wall time in seconds.
timed_build() {
  local log=$1; shift
  local start=$EPOCHREALTIME
  if ! (cd "$ROOT" && BASE_IMAGE=$BASE ./build.sh "$@") >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "./build.sh $* failed (log above)"
  fi
  local end=$EPOCHREALTIME
  python3 -c "print(f'{$end - $start:.2f}')"
}

# The engine's summary table: from its header to the published reference.
summary() { sed -n '/^Target  *Partition/,/^Build succeeded/p' "$1" | grep -v '^Build succeeded'; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# build.sh compiles the build project when a source changed; do that untimed before each measured run, since other
# sessions on this machine may edit sources meanwhile (a compile caught mid-edit is retried).
compile() {
  local attempt
  for attempt in 1 2 3; do
    (cd "$ROOT" && ./build.sh --help >"$WORK/compile.log" 2>&1) && return 0
    sleep 10
  done
  tail -n 20 "$WORK/compile.log" >&2
  fail "the build project did not compile three times in a row"
}
compile

declare -A times=([p2-cold]="" [p2-cached]="" [p1-cold]="" [p1-cached]="")
# True when build.sh compiled inside a timed run (another session changed a source between compile and run).
compiled_in() { grep -q "Time Elapsed" "$1"; }
for i in $(seq 1 "$N"); do
  for p in 2 1; do
    for attempt in 1 2 3; do
      id=b$(date +%s%N | tail -c 9)
      start_registry "$id"
      make_base "$id"
      args=(MergeManifest --image hello --platform linux/amd64 linux/arm64 --parallelism "$p" --registry "$HOST" --version "bench-$id"
            --digests-directory "$WORK/digests-$id")
      compile
      cold=$(timed_build "$WORK/$id-cold.log" "${args[@]}")
      compile
      cached=$(timed_build "$WORK/$id-cached.log" "${args[@]}")
      stop_registry
      if compiled_in "$WORK/$id-cold.log" || compiled_in "$WORK/$id-cached.log"; then
        say "run $i, parallelism $p: build.sh recompiled during a timed run; measuring again"
        continue
      fi
      grep -q "unchanged (already pointed at this index)" "$WORK/$id-cached.log" || say "warning: the cached run of $id re-pointed a tag"
      grep -q "RUN echo" "$WORK/$id-cold.log" && ! grep -A2 "RUN echo" "$WORK/$id-cold.log" | grep -q CACHED ||
        say "warning: the cold run of $id found the base stage's RUN cached"
      break
    done
    [[ $p == 2 ]] && cp "$WORK/$id-cold.log" "$WORK/last-cold.log" && cp "$WORK/$id-cached.log" "$WORK/last-cached.log"
    times[p$p-cold]+=" $cold"
    times[p$p-cached]+=" $cached"
    say "run $i, parallelism $p: cold ${cold}s, cached ${cached}s"
  done
done

m_p2=$(median ${times[p2-cold]}); m_p1=$(median ${times[p1-cold]})
m_p2c=$(median ${times[p2-cached]}); m_p1c=$(median ${times[p1-cached]})
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
cat >"$RESULTS" <<MD
# Pipeline benchmark: \`./build.sh MergeManifest\` for linux/amd64 + linux/arm64

Written by \`bench/pipeline/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'). Reproduce: \`sudo ./build.sh TestServices && bash bench/pipeline/run.sh $N\`.

What is measured: wall time of \`./build.sh MergeManifest --image hello --platform linux/amd64 linux/arm64 --parallelism P\`
(BuildBase, BuildApp, PushArch, ExportDigest per platform, then MergeManifest), with the build project already compiled.
\`--image hello\` keeps it to the two-stage example on two platforms (two lanes) now that this repository's build
also publishes \`hello-slim\`.
- **cold**: a fresh registry (empty storage, random port), a fresh version and digests folder, and a base image no build
  has seen (busybox plus a run-specific file layer), so every Dockerfile step runs again, arm64's \`RUN\` under QEMU.
  Base layers are already in the engine, as they are on any machine that built once.
- **cached**: the same command again right after, nothing changed: BuildKit's cache, "Layer already exists" pushes,
  and the merge leaves the tags alone.

| scenario | runs (s) | median (s) |
| --- | --- | --- |
| cold, --parallelism 2 |${times[p2-cold]} | $m_p2 |
| cold, --parallelism 1 |${times[p1-cold]} | $m_p1 |
| cached, --parallelism 2 |${times[p2-cached]} | $m_p2c |
| cached, --parallelism 1 |${times[p1-cached]} | $m_p1c |

Ratios of medians:
- one platform after the other / parallel (cold): **$(ratio "$m_p1" "$m_p2")x**
- one platform after the other / parallel (cached): **$(ratio "$m_p1c" "$m_p2c")x**
- cached / cold (parallel): **$(ratio "$m_p2c" "$m_p2")** (the cached run takes this fraction of a cold one)

Machine: $(nproc) cores ($cpu), $mem, $(uname -sr), Docker $($DOCKER version --format '{{.Server.Version}}') (no buildx:
BuildKit through \`DOCKER_BUILDKIT=1 docker build\`), storage $($DOCKER info --format '{{.Driver}}'), qemu-user-static
$(dpkg-query -W -f='${Version}' qemu-user-static 2>/dev/null), .NET SDK $(cd "$ROOT" && dotnet --version), N=$N runs per scenario, runs interleaved
(parallel, then serial) so drift hits both alike. Load average when written: $(cut -d' ' -f1-3 /proc/loadavg)
(other builds share this machine, so single runs vary).

Reading it: the example's steps are tiny (one \`RUN echo\` under QEMU, one \`COPY\`), so most of a run is fixed cost
per run and per step (starting .NET, probing the engine, one \`docker build\` per stage and platform with BuildKit
resolving the base in the registry, the pushes), which the cache does not remove; cold minus cached is the real build
work. Parallel lanes overlap that fixed cost, hence the gain on 2 cores even when cached.

Where the time goes: the engine's summary of the last parallel pair (durations of each target and lane; the rest of
the wall time is starting .NET, probing the engine and printing).

Cold:
\`\`\`
$(summary "$WORK/last-cold.log")
\`\`\`
Cached:
\`\`\`
$(summary "$WORK/last-cached.log")
\`\`\`
MD
say "wrote $RESULTS"
cat "$RESULTS"
