#!/usr/bin/env bash
# CI leg overhead: the time from a leg's start to its first `docker build`, run by `./build.sh RunWorkflowLocally`
# (pull_request event) in a copy of this tree, with the runner's local cache folder standing in for actions/cache:
# - cache, cold: empty cache folder, so the leg compiles the build program (the leg's cache step misses, its post
#   step saves);
# - cache, warm: the same run again, the cache step restores build/bin and the stamp, build.sh sees the content hash
#   match and does not compile;
# - prepare, cold / warm: the alternative, one `prepare` job compiling (with the same cache) and handing build/bin to
#   the leg as an artifact.
# The workflows are the generated dev.yml cut to one leg (see workflows.py). Rounds interleave the four scenarios so
# load that comes and goes hits each alike; medians go to bench/results/ci-overhead.md, with each step's timings.
#
# Usage: bash bench/ci-overhead/run.sh [N]   (default 3 rounds; needs dockerd, /usr/bin/docker, and the base image
#        127.0.0.1:5000/multiarch/busybox:1.35 from `sudo ./build.sh TestServices`; about 2 minutes per round)
set -euo pipefail

N=${1:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/bench/ci-overhead
RESULTS=$ROOT/bench/results/ci-overhead.md
BUSYBOX=127.0.0.1:5000/multiarch/busybox:1.35
WORK=$(mktemp -d /tmp/multiarch-bench-ci.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
unset VERSION PLATFORM CONFIGURATION

say() { printf 'bench: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

[[ "$N" =~ ^[1-9][0-9]*$ ]] || fail "rounds must be a positive whole number, got '$N'."
skopeo inspect --raw --tls-verify=false "docker://$BUSYBOX" >/dev/null 2>&1 || fail "$BUSYBOX is missing: run sudo ./build.sh TestServices"

# A copy of the tree as a checkout has it (tracked and untracked, not ignored), as its own git repository, so the
# caller's build/bin and .nuke/temp stay out of it.
REPO=$WORK/repo
mkdir -p "$REPO"
git -C "$ROOT" ls-files -co --exclude-standard -z | tar -C "$ROOT" --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -C "$REPO" -xf -
git -C "$REPO" init -q
git -C "$REPO" add -A
git -C "$REPO" -c user.name=bench -c user.email=bench@localhost commit -qm "bench copy"
python3 "$HERE/workflows.py" "$REPO/.github/workflows/dev.yml" "$REPO/.github/workflows"
say "compiling the driving build once (untimed) ..."
(cd "$REPO" && ./build.sh --help >"$WORK/outer-compile.log" 2>&1) || { tail -n 20 "$WORK/outer-compile.log" >&2; fail "the copy's build did not compile"; }

# One RunWorkflowLocally run; the run's folder (legs/<job>-<n>/log.txt holds each leg's timestamped lines) goes to $RUN.
run_local() {
  local workflow=$1 label=$2
  sleep 1 # run folders are named by the second
  if ! (cd "$REPO" && ./build.sh RunWorkflowLocally --local-workflow "$workflow" --local-event pull_request \
        --local-env MULTIARCH_REGISTRY=127.0.0.1:5000 "MULTIARCH_BASE_IMAGE=$BUSYBOX") >"$WORK/$label.log" 2>&1; then
    tail -n 30 "$WORK/$label.log" >&2
    fail "RunWorkflowLocally --local-workflow $workflow ($label) failed (log above)"
  fi
  RUN=$(ls -td "$REPO"/.nuke/temp/local-run/*/ | head -n 1)
  mkdir -p "$WORK/runs"
  cp -r "$RUN" "$WORK/runs/$label"
}

cold_cache() { rm -rf "$REPO/.nuke/temp/actions-cache"; }

for round in $(seq 1 "$N"); do
  cold_cache; run_local bench-leg "cache-cold-$round"
  run_local bench-leg "cache-warm-$round"
  cold_cache; run_local bench-prepare "prepare-cold-$round"
  run_local bench-prepare "prepare-warm-$round"
  say "round $round of $N done"
done

# Component: copying the whole saved entry (NuGet packages, build/bin, stamp) into an empty folder, as an unpack on a
# fresh runner would write it (here the restore finds ~/.nuget/packages already present and leaves equal files alone).
ENTRY=$(ls -d "$REPO"/.nuke/temp/actions-cache/*/ | head -n 1)
start=$EPOCHREALTIME; cp -a "$ENTRY" "$WORK/full-restore"; end=$EPOCHREALTIME
FULL_COPY=$(python3 -c "print(f'{$end - $start:.2f}')")
ENTRY_SIZE=$(du -sh "$ENTRY" | cut -f1)
BIN_SIZE=$(du -sh "$ENTRY/paths/1" | cut -f1)
BIN_FILES=$(find "$ENTRY/paths/1" -type f | wc -l)
NUGET_FILES=$(find "$ENTRY/paths/0" -type f | wc -l)

python3 "$HERE/report.py" "$WORK/runs" "$N" >"$WORK/tables.md"

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
cat >"$RESULTS" <<MD
# CI leg overhead: a leg's start to its first \`docker build\`, cold against warm

Written by \`bench/ci-overhead/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') ($N rounds, the four scenarios interleaved in
each round). Reproduce: \`sudo ./build.sh TestServices && bash bench/ci-overhead/run.sh $N\`.

What runs: \`./build.sh RunWorkflowLocally --local-event pull_request\` in a fresh copy of this tree, on the generated
\`dev.yml\` cut to its first leg (hello, linux/amd64) by \`bench/ci-overhead/workflows.py\`: one leg, so the figure is a
leg's own overhead and not five compiles sharing this machine's two cores (on GitHub each leg has its own runner).
The leg's steps are the generated ones: checkout, setup-dotnet and setup-buildx take no time here (not emulated), the
cache step restores from the runner's local cache folder, setup-docker-action starts a second dockerd, then
\`./build.sh BuildApp\` compiles the build program unless the restored stamp matches, and runs up to its first
\`docker build\` (the first BuildKit line of the leg's timestamped log, \`legs/build-1/log.txt\`).

$(cat "$WORK/tables.md")

Sizes: the saved cache entry is $ENTRY_SIZE ($NUGET_FILES files of \`~/.nuget/packages\`, $BIN_FILES files / $BIN_SIZE of
\`build/bin\`, the stamp). Copying the whole entry into an empty folder, as unpacking it on a fresh runner writes it, took
**${FULL_COPY} s** here. The local restore writes far less: \`~/.nuget/packages\` of this machine already holds those
packages (there is no internet here, so a cold leg never downloads them either), and files equal in size and mtime are
left alone. On GitHub a cold leg also downloads the packages and a warm one downloads and unpacks the entry, so both
columns would grow there; the warm/cold ratio here leaves out that download and unpack.

Machine: $(nproc) cores ($cpu), shared with other sessions, $(uname -sr), Docker $(/usr/bin/docker version --format '{{.Server.Version}}'),
.NET SDK $(cd "$ROOT" && dotnet --version). Load average when written: $(cut -d' ' -f1-3 /proc/loadavg).
MD
say "wrote $RESULTS"
cat "$RESULTS"
