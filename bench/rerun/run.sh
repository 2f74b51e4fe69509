#!/usr/bin/env bash
# No-change rerun of `./build.sh MergeManifest` (this repository's two images, five lanes): median wall time of N
# reruns with nothing changed, against N `--rebuild` reruns of the same command, interleaved in one run; then the same
# rerun after `git commit --allow-empty` (a new sha- tag, the same inputs) in a temp clone. From each run's output it
# asserts what ran (no `docker build`, no per-arch push for an unchanged rerun) and from the registry's access log it
# counts what was written (manifests by digest and by tag, blob uploads). Results go to bench/results/rerun.md.
#
# The build under test is this checkout's. BEFORE=<commit> also measures a temp clone at that commit the same way (the
# "before" row); the tables name both commits.
#
# Usage: bash bench/rerun/run.sh [N]     (needs `sudo ./build.sh TestServices` to have run; root; N=5 takes ~3 minutes)
set -euo pipefail

N=${1:-5}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCKER=/usr/bin/docker
BASE=127.0.0.1:5000/multiarch/busybox:1.35
RESULTS=$ROOT/bench/results/rerun.md
WORK=$(mktemp -d /tmp/multiarch-bench-rerun.XXXXXX)
REGISTRY_PID=
cleanup() {
  [[ -n $REGISTRY_PID ]] && kill "$REGISTRY_PID" 2>/dev/null || true
  if [[ -n ${HOST:-} ]]; then
    local refs
    refs=$($DOCKER images --format '{{.Repository}}:{{.Tag}}' | grep "^$HOST/" || true)
    [[ -z $refs ]] || $DOCKER rmi $refs >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf 'bench: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

[[ -x $ROOT/build.sh ]] || fail "no build.sh in $ROOT"
skopeo inspect --raw --tls-verify=false "docker://$BASE" >/dev/null 2>&1 || fail "$BASE is missing: run sudo ./build.sh TestServices"
[[ -z $(git -C "$ROOT" status --porcelain --untracked-files=no) ]] || say "warning: $ROOT has uncommitted changes; the clone measures its last commit"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A registry with empty storage and its access log on, so every write of every run can be counted.
port=$(free_port)
HOST=127.0.0.1:$port
REGLOG=$WORK/registry.log
mkdir -p "$WORK/registry"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: false\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n' \
  "$WORK/registry/data" "$HOST" >"$WORK/registry/config.yml"
/usr/bin/docker-registry serve "$WORK/registry/config.yml" >"$REGLOG" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 1 80); do curl -sf -o /dev/null "http://$HOST/v2/" && break; sleep 0.1; done
curl -sf -o /dev/null "http://$HOST/v2/" || fail "registry on $HOST did not start (log: $REGLOG)"

# Compiles a checkout's build program untimed (build.sh compiles only when a source changed; other sessions on this
# machine may edit sources meanwhile, so a compile caught mid-edit is retried).
compile() {
  local dir=$1 attempt
  for attempt in 1 2 3; do
    (cd "$dir" && ./build.sh --help >"$WORK/compile.log" 2>&1) && return 0
    sleep 10
  done
  tail -n 20 "$WORK/compile.log" >&2
  fail "the build project in $dir did not compile three times in a row"
}

# Runs build.sh in a checkout; prints its wall time in seconds. It runs in $(...), so the caller takes the registry
# log's line count first (mark), and writes() counts this run's requests alone.
mark() { MARK=$(wc -l <"$REGLOG"); }
timed_build() {
  local dir=$1 log=$2; shift 2
  local start=$EPOCHREALTIME
  if ! (cd "$dir" && NO_COLOR=1 MULTIARCH_BASE_IMAGE=$BASE /usr/bin/time -f '%U %S' -o "$log.cpu" ./build.sh "$@") >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "./build.sh $* in $dir failed (log above)"
  fi
  local end=$EPOCHREALTIME
  sleep 0.2 # the registry writes its access log line after answering
  # Wall time, then CPU time (user + system of build.sh and everything it started but docker's daemon): on a shared
  # machine the wall time follows the load, the CPU time much less.
  python3 -c "u, s = open('$log.cpu').read().split()[-2:]; print(f'{$end - $start:.2f} {float(u) + float(s):.2f}')"
}
wall() { printf '%s' "${1% *}"; }
cpu() { printf '%s' "${1#* }"; }
# Successful writes since $MARK: manifests by digest, manifests by tag, blob uploads.
writes() {
  tail -n +"$((MARK + 1))" "$REGLOG" | python3 -c '
import re, sys
by_digest = by_tag = blobs = 0
for line in sys.stdin:
    m = re.search(r"\"PUT /v2/\S+/manifests/(\S+) HTTP/[\d.]+\" 201", line)
    if m:
        if m.group(1).startswith("sha256:"): by_digest += 1
        else: by_tag += 1
    elif re.search(r"\"PUT /v2/\S+/blobs/uploads/\S+ HTTP/[\d.]+\" 201", line): blobs += 1
print(by_digest, by_tag, blobs)'
}
# From the build's own output: docker builds started, per-arch images pushed, lanes found unchanged, PushArch rows skipped.
builds() { grep -c '^\(\[[^]]*\] \)\?Building .* with ' "$1" || true; }
pushes() { grep -c '^\(\[[^]]*\] \)\?Pushed .*@sha256:' "$1" || true; }
unchanged() { grep -c '^\(\[[^]]*\] \)\?Unchanged: .* nothing pushed' "$1" || true; }
skipped_push() { grep -c '^PushArch .* Skipped .*unchanged since ' "$1" || true; }
lanes() { grep -c '^PushArch ' "$1" || true; }
compiled_in() { grep -q "Time Elapsed" "$1"; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
summary() { sed -n '/^Target  *Partition/,/^Build succeeded/p' "$1" | grep -v '^Build succeeded'; }

id=r$(date +%s%N | tail -c 7)
VERSION=bench-$id
args=(MergeManifest --registry "$HOST" --version "$VERSION" --digests-directory "$WORK/digests")

# An unchanged rerun must have built nothing and pushed no per-arch image: every lane skipped.
check_unchanged() {
  local log=$1 what=$2
  [[ $(builds "$log") == 0 ]] || fail "$what: $(builds "$log") docker build(s) ran (log $log)"
  [[ $(pushes "$log") == 0 ]] || fail "$what: $(pushes "$log") per-arch push(es) (log $log)"
  [[ $(skipped_push "$log") == "$(lanes "$log")" && $(lanes "$log") -gt 0 ]] ||
    fail "$what: only $(skipped_push "$log") of $(lanes "$log") PushArch lanes were skipped as unchanged"
}

# Measures one checkout: a cold run (untimed), then N no-change and N --rebuild reruns, interleaved. Sets
# T_<label>_same, T_<label>_rebuild (space-separated times) and keeps the last logs as $WORK/<label>-{same,rebuild}.log.
measure() {
  local label=$1 dir=$2 version=$3 i t run_args
  run_args=(MergeManifest --registry "$HOST" --version "$version" --digests-directory "$WORK/digests-$label")
  compile "$dir"
  mark
  t=$(wall "$(timed_build "$dir" "$WORK/$label-cold.log" "${run_args[@]}")")
  say "$label: cold run ${t}s ($(builds "$WORK/$label-cold.log") docker builds)"
  local same="" rebuild="" same_cpu="" rebuild_cpu="" r
  for i in $(seq 1 "$N"); do
    compile "$dir"
    mark
    r=$(timed_build "$dir" "$WORK/$label-same-$i.log" "${run_args[@]}"); t=$(wall "$r"); same_cpu+=" $(cpu "$r")"
    compiled_in "$WORK/$label-same-$i.log" && fail "build.sh recompiled during a timed run; run the bench again"
    [[ $label == after ]] && check_unchanged "$WORK/$label-same-$i.log" "no-change rerun $i"
    same+=" $t"
    read -r SAME_W_DIGEST SAME_W_TAG SAME_W_BLOBS < <(writes)
    mark
    r=$(timed_build "$dir" "$WORK/$label-rebuild-$i.log" "${run_args[@]}" --rebuild); t=$(wall "$r"); rebuild_cpu+=" $(cpu "$r")"
    rebuild+=" $t"
    read -r REB_W_DIGEST REB_W_TAG REB_W_BLOBS < <(writes)
    say "$label run $i: no change ${same##* }s, --rebuild ${t}s"
  done
  cp "$WORK/$label-same-$N.log" "$WORK/$label-same.log"; cp "$WORK/$label-rebuild-$N.log" "$WORK/$label-rebuild.log"
  printf -v "T_${label}_same" '%s' "$same"; printf -v "T_${label}_rebuild" '%s' "$rebuild"
  printf -v "C_${label}_same" '%s' "$same_cpu"; printf -v "C_${label}_rebuild" '%s' "$rebuild_cpu"
  # A no-change rerun after a --rebuild: the last no-change run followed one, so its writes are those of the tag moves.
  printf -v "W_${label}_same" '%s' "$SAME_W_DIGEST $SAME_W_TAG $SAME_W_BLOBS"
  printf -v "W_${label}_rebuild" '%s' "$REB_W_DIGEST $REB_W_TAG $REB_W_BLOBS"
}

before_row=""
if [[ -n ${BEFORE:-} ]]; then
  git clone -q --no-hardlinks "$ROOT" "$WORK/before"
  git -C "$WORK/before" checkout -q "$BEFORE"
  measure before "$WORK/before" "$VERSION-before"
  before_row="| before ($(git -C "$WORK/before" rev-parse --short HEAD)): no change |${T_before_same} | $(median ${T_before_same}) | $(median ${C_before_same}) |
| before ($(git -C "$WORK/before" rev-parse --short HEAD)): --rebuild |${T_before_rebuild} | $(median ${T_before_rebuild}) | $(median ${C_before_rebuild}) |"
fi
measure after "$ROOT" "$VERSION"
m_same=$(median ${T_after_same}); m_rebuild=$(median ${T_after_rebuild})

# After `git commit --allow-empty`: a temp clone of this commit (never this checkout), with the compiled build copied
# in (build.sh's content hash finds it up to date; git is not among its inputs) and the same origin as this checkout
# (the source label is an input). The first run there is at the same commit, so it only re-reads; then each round
# commits an empty commit and reruns: a new sha- tag, the same inputs.
CLONE=$WORK/clone
git clone -q --no-hardlinks "$ROOT" "$CLONE"
if origin=$(git -C "$ROOT" remote get-url origin 2>/dev/null); then git -C "$CLONE" remote set-url origin "$origin"; else git -C "$CLONE" remote remove origin; fi
mkdir -p "$CLONE/build/bin" "$CLONE/.nuke/temp"
cp -a "$ROOT/build/bin/." "$CLONE/build/bin/"; cp "$ROOT/.nuke/temp/build.stamp" "$CLONE/.nuke/temp/build.stamp"
[[ $(git -C "$CLONE" rev-parse HEAD) == $(git -C "$ROOT" rev-parse HEAD) ]] || fail "the clone is not at this checkout's commit"
mark
timed_build "$CLONE" "$WORK/clone-first.log" "${args[@]}" >/dev/null
compiled_in "$WORK/clone-first.log" && say "note: the clone compiled its build program (this checkout has uncommitted build changes)"
check_unchanged "$WORK/clone-first.log" "the clone's first run"
empty="" empty_cpu=""
for i in $(seq 1 "$N"); do
  git -C "$CLONE" -c user.name=bench -c user.email=bench@localhost commit -q --allow-empty -m "bench: empty commit $i"
  sha=$(git -C "$CLONE" rev-parse --short=7 HEAD)
  mark
  r=$(timed_build "$CLONE" "$WORK/empty-$i.log" "${args[@]}"); t=$(wall "$r"); empty_cpu+=" $(cpu "$r")"
  compiled_in "$WORK/empty-$i.log" && fail "build.sh recompiled after an empty commit"
  check_unchanged "$WORK/empty-$i.log" "rerun after empty commit $i"
  grep -q "also tagged sha-$sha" "$WORK/empty-$i.log" || fail "empty commit $i: the merge did not tag sha-$sha"
  read -r E_DIGEST E_TAG E_BLOBS < <(writes)
  # Two images: each index once by digest, then its version and sha- tags (the version tag moves: the index's
  # revision annotation changed). Nothing else: no blob, no per-arch manifest.
  [[ $E_BLOBS == 0 ]] || fail "empty commit $i: $E_BLOBS blob upload(s)"
  [[ $E_DIGEST == 2 && $E_TAG == 4 ]] || fail "empty commit $i: $E_DIGEST manifest(s) by digest and $E_TAG by tag, expected 2 indexes and 4 tags"
  empty+=" $t"
  say "empty commit $i (sha-$sha): ${t}s"
done
m_empty=$(median $empty)
last=$WORK/empty-$N.log

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
verdict() { python3 -c "print('meets' if $1 <= 1.5 else 'misses')"; }
cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
read -r sd st sb <<<"$W_after_same"; read -r rd rt rb <<<"$W_after_rebuild"
[[ "$sd $st $sb" == "0 0 0" ]] || fail "the last no-change run wrote to the registry: $sd manifests by digest, $st by tag, $sb blobs"
cat >"$RESULTS" <<MD
# No-change rerun: \`./build.sh MergeManifest\`, this repository's two images (5 lanes)

Written by \`bench/rerun/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at $(git -C "$ROOT" rev-parse --short HEAD). Reproduce:
\`sudo ./build.sh TestServices && ${BEFORE:+BEFORE=$BEFORE }bash bench/rerun/run.sh $N\`.

What is measured: wall time of \`./build.sh MergeManifest --registry <fresh registry> --version $VERSION\` (hello on
linux/amd64 + linux/arm64, hello-slim on linux/amd64 + linux/arm64 + linux/arm/v7: LocalServices, Preflight, BuildBase,
BuildApp, PushArch, ExportDigest per lane, MergeManifest), the build program already compiled, base image
\`$BASE\`. One cold run first (untimed) publishes everything; then, interleaved, N times each:
- **no change**: the same command again. Every lane's per-arch tag holds an image of the same input digest, so
  BuildBase, BuildApp and PushArch are Skipped ("unchanged since <tag>"), and the engine is never probed.
- **--rebuild**: the same command with \`--rebuild\`: every lane builds (BuildKit's cache) and pushes.
- **after \`git commit --allow-empty\`**: in a temp clone of this commit, an empty commit, then the same command: a new
  sha- tag, the same inputs.

| scenario | wall time of each run (s) | median (s) | median CPU time (s) |
| --- | --- | ---: | ---: |
| no change |${T_after_same} | **$m_same** | $(median ${C_after_same}) |
| --rebuild |${T_after_rebuild} | $m_rebuild | $(median ${C_after_rebuild}) |
| after an empty commit (new sha- tag) |$empty | $m_empty | $(median $empty_cpu) |
${before_row}

CPU time is user + system time of \`build.sh\` and the processes it started (git, the docker CLI), not the docker
daemon's or BuildKit's; on this shared machine it varies much less with the load than the wall time does.

- No-change median **${m_same} s**: $(verdict "$m_same") the target of ≤ 1.5 s; --rebuild / no change: **$(ratio "$m_rebuild" "$m_same")x**.
- Checked in every no-change run and every run after an empty commit (from the build's output): 0 \`docker build\`,
  0 per-arch pushes, all 5 PushArch lanes Skipped as unchanged.
- What reached the registry (its access log, successful PUTs), last round:

| run | docker builds | per-arch pushes | manifests PUT by digest | manifests PUT by tag | blob uploads |
| --- | ---: | ---: | ---: | ---: | ---: |
| no change, right after a --rebuild | $(builds "$WORK/after-same.log") | $(pushes "$WORK/after-same.log") | $sd | $st | $sb |
| --rebuild | $(builds "$WORK/after-rebuild.log") | $(pushes "$WORK/after-rebuild.log") | $rd | $rt | $rb |
| after an empty commit | $(builds "$last") | $(pushes "$last") | $E_DIGEST | $E_TAG | $E_BLOBS |

Reading it: after an empty commit only the two indexes (their revision annotation names the new commit) and their
tags (the version and the new sha-) are written: no layer, no per-arch manifest. A no-change run writes nothing.
$(if [[ $rd == 0 ]]; then echo "A --rebuild here rebuilt byte-identical images (every step a BuildKit cache hit): docker push found
every layer present and only PUT the 5 per-arch manifests under their tags again, and the index stayed as it was."
else echo "A --rebuild here made new per-arch images, so it PUT them (by tag, with their layers' uploads) and moved the index
($rd by digest) and its tags."; fi)

Where the time goes: the engine's summary of the last no-change run. The rest of the wall time is starting .NET,
build.sh's up-to-date check, and what this repository's build does before its first target (reading the parameters,
planning, and regenerating .github/workflows when the definitions changed them, which a downstream build without
workflows does not do):
\`\`\`
$(summary "$WORK/after-same.log")
\`\`\`
And of the last --rebuild:
\`\`\`
$(summary "$WORK/after-rebuild.log")
\`\`\`

Machine: $(nproc) cores ($cpu), $mem, $(uname -sr), Docker $($DOCKER version --format '{{.Server.Version}}') (no buildx:
BuildKit through \`DOCKER_BUILDKIT=1 docker build\`), .NET SDK $(cd "$ROOT" && dotnet --version), N=$N runs per scenario.
Load average when written: $(cut -d' ' -f1-3 /proc/loadavg) (other builds share this machine, so single runs vary).
MD
say "wrote $RESULTS"
cat "$RESULTS"
