#!/usr/bin/env bash
# Bytes uploaded per extra registry when MergeManifest mirrors an index (issue 19): a mount within one registry
# (manifests only), a copy to another registry (each blob exactly once), and a second run of each (nothing).
# Figures come from each destination registry's request log (a FaultProxy at fault rate 0 in front of a real
# /usr/bin/docker-registry), not from the client's counters. Writes bench/results/mirror.md.
#
# Usage: bash bench/mirror/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULTS=$ROOT/bench/results/mirror.md

say() { printf 'bench: %s\n' "$*" >&2; }
for tool in /usr/bin/docker-registry htpasswd; do
  command -v "$tool" >/dev/null || { say "missing $tool (sudo ./build.sh TestServices)"; exit 2; }
done

# Built apart, so compiler warnings go to stderr and only the table reaches the results file.
(cd "$ROOT" && dotnet build bench/mirror -v:q -nologo >&2)
table=$(cd "$ROOT" && dotnet run --no-build --project bench/mirror)

{
  echo "# Mirroring an index to more registries: bytes uploaded per extra registry"
  echo
  echo "Written by \`bash bench/mirror/run.sh\` on $(date -u +%Y-%m-%d) ($(. /etc/os-release && echo "$PRETTY_NAME"), $(/usr/bin/docker-registry --version 2>/dev/null | head -n1 || echo docker-registry))."
  echo
  echo "$table"
  echo
  echo "Bytes are request bodies as the destination registry received them (its request log), so they count what"
  echo "crossed the wire, not what the client meant to send. Within one registry every blob is a cross-repository"
  echo "mount (\`POST ...?mount=<digest>&from=acme/app\`, 201): only manifests are uploaded, the index once by digest and"
  echo "once per tag. Across registries each blob is streamed once from the source's GET into a single PUT (no PATCH,"
  echo "no buffering of the whole blob), after a HEAD that found it missing. A second run finds every blob and manifest"
  echo "by HEAD and the tags already on the index, and uploads nothing. Request counts at the destination include,"
  echo "for the same-registry rows, the mirror's reads of the source index (one registry serves both)."
} >"$RESULTS"
say "wrote $RESULTS"
