#!/usr/bin/env bash
# Startup benchmark: warm `./build.sh --help` against `dotnet run --project build -- --help` (what a build without our
# bootstrap pays) and `dotnet build/bin/_build.dll --help` (the floor: just starting the runtime and our assembly).
# Each command runs once to warm up, then N rounds run the three in turn; medians and ratios go to bench/results/startup.md.
# Usage: bench/startup/run.sh [runs]        (default 10; needs only bash, coreutils, awk and dotnet)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUNS="${1:-10}"
OUT="$ROOT/bench/results/startup.md"
LOG="$(mktemp)"
trap 'rm -f "$LOG" "$LOG.time"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$ROOT"

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "error: runs must be a positive whole number, got '$RUNS'." >&2; exit 2; }

# One run: wall time into ELAPSED and CPU time (user + sys, children included) into CPU, both in ms. CPU time shows
# what the command costs even when other work on the machine stretches the wall time. A failure stops the benchmark.
time_once() {
  local real user sys
  if ! { TIMEFORMAT='%3R %3U %3S'; time "$@" >"$LOG" 2>&1; } 2>"$LOG.time"; then
    tail -n 20 "$LOG" >&2
    echo "error: '$*' failed (output above); fix it, then run bench/startup/run.sh again." >&2
    exit 1
  fi
  read -r real user sys <"$LOG.time"
  ELAPSED=$(awk -v r="$real" 'BEGIN { printf "%d", r * 1000 }')
  CPU=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
}

# Median of the arguments (mean of the middle two for an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The three commands, by name. Rounds interleave them, so load that comes and goes hits each alike.
NAMES=(bootstrap baseline floor)
declare -A COMMANDS=(
  [bootstrap]="./build.sh --help"
  [baseline]="dotnet run --project build -- --help"
  [floor]="dotnet build/bin/_build.dll --help"
)
declare -A SAMPLES MEDIAN CPUS CPU_MEDIAN
RECOMPILED=0

# build.sh touches this stamp only when it compiles; a run that compiled (src/ changed meanwhile) is not a warm start.
stamp() { stat -c %y "$ROOT/.nuke/temp/build.stamp" 2>/dev/null || echo none; }

echo "Measuring warm starts: one warm-up each, then $RUNS interleaved rounds ..." >&2
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for name in "${NAMES[@]}"; do read -ra cmd <<<"${COMMANDS[$name]}"; time_once "${cmd[@]}"; done
for round in $(seq "$RUNS"); do
  for name in "${NAMES[@]}"; do
    read -ra cmd <<<"${COMMANDS[$name]}"
    for _ in 1 2 3; do
      before=$(stamp)
      time_once "${cmd[@]}"
      [[ "$name" != bootstrap || "$(stamp)" == "$before" ]] && break
      RECOMPILED=$((RECOMPILED + 1))
    done
    SAMPLES[$name]+="${SAMPLES[$name]:+ }$ELAPSED"
    CPUS[$name]+="${CPUS[$name]:+ }$CPU"
  done
  echo "  round $round:$(for n in "${NAMES[@]}"; do printf ' %s=%sms' "$n" "${SAMPLES[$n]##* }"; done)" >&2
done
for name in "${NAMES[@]}"; do
  read -ra samples <<<"${SAMPLES[$name]}"; MEDIAN[$name]=$(median "${samples[@]}")
  read -ra samples <<<"${CPUS[$name]}"; CPU_MEDIAN[$name]=$(median "${samples[@]}")
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

seconds() { awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
GOAL=$(awk -v ms="${MEDIAN[bootstrap]}" 'BEGIN { print (ms < 500) ? "met" : "NOT met" }')
MEMORY=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)

mkdir -p "$(dirname "$OUT")"
cat > "$OUT" <<MD
# Startup: warm \`./build.sh --help\`

Goal: median under 0.5 s. **Goal $GOAL**: $(seconds "${MEDIAN[bootstrap]}") s.

| Command | Median wall (s) | Ratio (wall) | Median CPU (s) | Wall samples (ms) |
|---|---|---|---|---|
| \`./build.sh --help\` (bootstrap, warm) | $(seconds "${MEDIAN[bootstrap]}") | 1.00 | $(seconds "${CPU_MEDIAN[bootstrap]}") | ${SAMPLES[bootstrap]} |
| \`dotnet run --project build -- --help\` (baseline) | $(seconds "${MEDIAN[baseline]}") | bootstrap is $(ratio "${MEDIAN[baseline]}" "${MEDIAN[bootstrap]}")x faster | $(seconds "${CPU_MEDIAN[baseline]}") | ${SAMPLES[baseline]} |
| \`dotnet build/bin/_build.dll --help\` (floor) | $(seconds "${MEDIAN[floor]}") | bootstrap takes $(ratio "${MEDIAN[bootstrap]}" "${MEDIAN[floor]}")x the floor | $(seconds "${CPU_MEDIAN[floor]}") | ${SAMPLES[floor]} |

- Each command ran once to warm up, then $RUNS rounds ran the three in turn; wall and CPU time (user + sys) from bash's \`time\`, output discarded.
  Bootstrap runs that had to compile (someone changed src/ meanwhile) were timed again: $RECOMPILED.
  The gap between bootstrap and floor is bash plus the up-to-date check (\`find -newer\` over build/ and src/).
- Machine: $(nproc) cores ($CPU), $MEMORY memory, $(uname -sr), .NET SDK $(dotnet --version).
- Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER. Other work on the machine inflates every wall time;
  CPU time (user + sys) is much less sensitive to it, so it is the better guide to an idle machine's wall time.
- Date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown).
- Reproduce: \`bench/startup/run.sh $RUNS\`
MD
cat "$OUT"
