#!/usr/bin/env bash
# The nightly dev matrix of issue 18: 13 tiny generated images x 2 platforms (linux/amd64, linux/arm64) = 26 lanes, in
# a temporary downstream-style build (its own build/ project referencing this checkout's MultiArch.Components, its
# own build.sh, a git repository). Built once; then, N rounds: one image's Dockerfile changes and `./build.sh
# MergeManifest` reruns (asserted: exactly 2 lanes built, 24 Skipped as unchanged), then the same build with
# --rebuild (26 built). Wall times and medians go to bench/results/matrix13.md.
#
# Usage: bash bench/matrix13/run.sh [N]     (needs `sudo ./build.sh TestServices` to have run; root; N=3 takes ~5 minutes)
set -euo pipefail

N=${1:-3}
IMAGES=13
CHANGED=img07
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCKER=/usr/bin/docker
BASE=127.0.0.1:5000/multiarch/busybox:1.35
RESULTS=$ROOT/bench/results/matrix13.md
WORK=$(mktemp -d /tmp/multiarch-bench-matrix13.XXXXXX)
APP=$WORK/app
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

skopeo inspect --raw --tls-verify=false "docker://$BASE" >/dev/null 2>&1 || fail "$BASE is missing: run sudo ./build.sh TestServices"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HOST=127.0.0.1:$(free_port)
mkdir -p "$WORK/registry"
printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n' \
  "$WORK/registry/data" "$HOST" >"$WORK/registry/config.yml"
/usr/bin/docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
REGISTRY_PID=$!
for _ in $(seq 1 80); do curl -sf -o /dev/null "http://$HOST/v2/" && break; sleep 0.1; done
curl -sf -o /dev/null "http://$HOST/v2/" || fail "registry on $HOST did not start"

# The downstream build: samples/downstream's bootstrap and global.json, a build project that references this
# checkout's components (as this repository's own build/ does), and one image per folder under images/.
mkdir -p "$APP/build" "$APP/images"
cp "$ROOT/samples/downstream/build.sh" "$ROOT/samples/downstream/global.json" "$APP/"
cat >"$APP/build/_build.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <OutputPath>bin</OutputPath>
    <AppendTargetFrameworkToOutputPath>false</AppendTargetFrameworkToOutputPath>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$ROOT/src/MultiArch.Components/MultiArch.Components.csproj" />
  </ItemGroup>
</Project>
XML
cat >"$APP/build/Build.cs" <<'CS'
using MultiArch.Build;
using MultiArch.Components;
using MultiArch.Oci;

// A dev matrix: every folder under images/ is one image, on linux/amd64 and linux/arm64.
class Build : MultiArchBuild, IMultiArchImage
{
    public static int Main(string[] args) => Execute<Build, IMergeManifest>(args, x => x.MergeManifest);

    [Parameter("The images' own FROM")]
    readonly string BaseImage = "127.0.0.1:5000/multiarch/busybox:1.35";

    public IReadOnlyList<ImageDefinition> Images => Directory.GetDirectories(RootDirectory / "images").Order(StringComparer.Ordinal)
        .Select(folder => new ImageDefinition("matrix/" + Path.GetFileName(folder))
        {
            Dockerfile = RootDirectory / "images" / Path.GetFileName(folder) / "Dockerfile",
            BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = BaseImage },
            Platforms = [Platform.LinuxAmd64, Platform.LinuxArm64],
        })
        .ToList();
}
CS
for i in $(seq -w 1 "$IMAGES"); do
  mkdir -p "$APP/images/img$i"
  printf 'image %s of the matrix\n' "$i" >"$APP/images/img$i/message"
  printf 'ARG BASE_IMAGE=busybox:1.36\nFROM ${BASE_IMAGE}\nCOPY message /etc/message\nCMD ["cat", "/etc/message"]\n' >"$APP/images/img$i/Dockerfile"
done
git -C "$APP" init -q
git -C "$APP" -c user.name=bench -c user.email=bench@localhost add -A
git -C "$APP" -c user.name=bench -c user.email=bench@localhost commit -q -m "matrix"

say "compiling the temporary build (untimed)"
(cd "$APP" && ./build.sh --help >"$WORK/compile.log" 2>&1) || { tail -n 30 "$WORK/compile.log" >&2; fail "the temporary build did not compile"; }

args=(MergeManifest --registry "$HOST" --version "bench-m$(date +%s%N | tail -c 7)" --digests-directory "$WORK/digests")
timed_build() {
  local log=$1; shift
  local start=$EPOCHREALTIME
  if ! (cd "$APP" && NO_COLOR=1 MULTIARCH_BASE_IMAGE=$BASE ./build.sh "$@") >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "./build.sh $* failed (log above)"
  fi
  local end=$EPOCHREALTIME
  python3 -c "print(f'{$end - $start:.2f}')"
}
# PushArch rows of the engine's summary: built (Succeeded) and skipped as unchanged; docker builds from the log.
built() { grep -c '^PushArch .* Succeeded' "$1" || true; }
skipped() { grep -c '^PushArch .* Skipped .*unchanged since ' "$1" || true; }
builds() { grep -c '^\(\[[^]]*\] \)\?Building .* with ' "$1" || true; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
lanes=$((IMAGES * 2))

cold=$(timed_build "$WORK/cold.log" "${args[@]}")
[[ $(built "$WORK/cold.log") == "$lanes" ]] || fail "the first run built $(built "$WORK/cold.log") of $lanes lanes"
say "first run: $lanes lanes built in ${cold}s"

changed="" rebuild=""
for round in $(seq 1 "$N"); do
  # A real change to one image: a label its Dockerfile sets, new each round.
  printf 'LABEL bench.round="%s"\n' "$round" >>"$APP/images/$CHANGED/Dockerfile"
  t=$(timed_build "$WORK/changed-$round.log" "${args[@]}")
  log=$WORK/changed-$round.log
  [[ $(built "$log") == 2 && $(skipped "$log") == $((lanes - 2)) ]] ||
    fail "round $round: $(built "$log") lanes built and $(skipped "$log") skipped, expected 2 and $((lanes - 2))"
  [[ $(builds "$log") == 2 ]] || fail "round $round: $(builds "$log") docker builds, expected 2"
  grep '^PushArch .* Succeeded' "$log" | grep -qv " $CHANGED " && fail "round $round: a lane other than $CHANGED's built"
  # The merge: the 12 unchanged images' tags already point at their indexes and are left alone; only img07's move.
  [[ $(grep -c '^unchanged (already pointed at this index)' "$log" || true) == $((IMAGES - 1)) ]] ||
    fail "round $round: $(grep -c '^unchanged (already pointed at this index)' "$log" || true) images' tags left alone, expected $((IMAGES - 1))"
  changed+=" $t"
  t=$(timed_build "$WORK/rebuild-$round.log" "${args[@]}" --rebuild)
  [[ $(built "$WORK/rebuild-$round.log") == "$lanes" ]] || fail "round $round: --rebuild built $(built "$WORK/rebuild-$round.log") of $lanes lanes"
  rebuild+=" $t"
  say "round $round: one Dockerfile changed ${changed##* }s (2 built, $((lanes - 2)) skipped), --rebuild ${t}s ($lanes built)"
done
m_changed=$(median $changed); m_rebuild=$(median $rebuild)
last=$WORK/changed-$N.log

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
cat >"$RESULTS" <<MD
# A 13-image x 2-platform matrix where one image changed

Written by \`bench/matrix13/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at $(git -C "$ROOT" rev-parse --short HEAD). Reproduce:
\`sudo ./build.sh TestServices && bash bench/matrix13/run.sh $N\`.

What is measured: a temporary downstream-style build (its own \`build/\` project referencing this checkout's
MultiArch.Components, samples/downstream's \`build.sh\`, a git repository) declaring $IMAGES generated images, each
\`FROM $BASE\` plus one \`COPY\`, on linux/amd64 and linux/arm64: $lanes lanes. Wall time of
\`./build.sh MergeManifest\` (default --parallelism), the build program compiled beforehand, a fresh registry on a
random port. One first run builds all $lanes lanes (${cold} s, untimed in the table). Then N=$N rounds, each:
- **one Dockerfile changed**: a \`LABEL\` line appended to \`images/$CHANGED/Dockerfile\`, then the same command.
  Asserted from the engine's summary every round: exactly 2 PushArch lanes Succeeded (both $CHANGED), $((lanes - 2))
  Skipped "unchanged since <tag>", and 2 \`docker build\`s in the log.
- **--rebuild**: the same command with \`--rebuild\`, right after: all $lanes lanes build (BuildKit's layer cache
  makes each step a cache hit) and push.

| scenario | lanes built | lanes skipped | runs (s) | median (s) |
| --- | ---: | ---: | --- | ---: |
| one Dockerfile changed | 2 | $((lanes - 2)) |$changed | **$m_changed** |
| same build, --rebuild | $lanes | 0 |$rebuild | $m_rebuild |

--rebuild / skipping: **$(python3 -c "print(f'{$m_rebuild / $m_changed:.1f}')")x**. Every image is merged and its tags checked in both; in the skipping run
(asserted from the merge's summary) the $((IMAGES - 1)) unchanged images' tags already point at their indexes and are
left alone, and only $CHANGED's index and tags move.

The engine's summary of the last "one Dockerfile changed" run (PushArch and MergeManifest rows; BuildBase is
skipped for every lane, these images have no base stage):
\`\`\`
$(sed -n '/^Target  *Partition/,/^Build succeeded/p' "$last" | grep -E '^(Target|─|LocalServices|Preflight|PushArch|MergeManifest)')
\`\`\`

Machine: $(nproc) cores ($cpu), $mem, $(uname -sr), Docker $($DOCKER version --format '{{.Server.Version}}') (no buildx:
BuildKit through \`DOCKER_BUILDKIT=1 docker build\`), .NET SDK $(cd "$ROOT" && dotnet --version).
Load average when written: $(cut -d' ' -f1-3 /proc/loadavg) (other builds share this machine, so single runs vary).
MD
say "wrote $RESULTS"
cat "$RESULTS"
