#!/usr/bin/env bash
# Refreshes bench/results/reliability.md: runs the hardening tests, which write their figures to
# artifacts/reliability.md (a test run never rewrites a tracked file), and copies that report here.
# Usage: bash bench/reliability/run.sh      (needs `sudo ./build.sh TestServices` to have run: registry binary, skopeo, htpasswd)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
REPORT="$ROOT/artifacts/reliability.md"
OUT="$ROOT/bench/results/reliability.md"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
cd "$ROOT"

rm -f "$REPORT"
dotnet test tests/MultiArch.Hardening.Tests
# The report is written only by a run that reached the registry; a run without services leaves the old figures alone.
[[ -f "$REPORT" ]] || { echo "error: the tests wrote no $REPORT (were the registry tests skipped? run sudo ./build.sh TestServices first)." >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"
cp "$REPORT" "$OUT"
echo "Wrote $OUT"
