#!/usr/bin/env bash
# Docker layer cache per leg (issue 18): what --cache gha|registry saves can only be measured with buildx, since the
# classic `docker build` exports no cache. This script checks for buildx on the client the builds use; where it is
# missing (Debian 12 ships no docker-buildx package) it writes bench/results/layer-cache.md saying "not measured"
# with the reason, and the exact buildx arguments MultiArch generates per mode (printed by bench/layer-cache, which
# calls the pipeline's own LayerCacheMode and BuildxImageBuilder), never an invented figure.
#
# Usage: bash bench/layer-cache/run.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCKER=${DOCKER:-/usr/bin/docker}
RESULTS=$ROOT/bench/results/layer-cache.md

say() { printf 'bench: %s\n' "$*" >&2; }

if buildx=$("$DOCKER" buildx version 2>&1); then
  # A cold/warm comparison needs a builder and a cache this machine kind has never had; it is not written blind.
  say "buildx found ($buildx): this script only covers machines without it; measure cold against warm builds by hand and add the measurement here"
  exit 2
fi
reason=$(printf '%s' "$buildx" | head -n1)
say "no buildx on $DOCKER ($reason): writing the generated arguments, no figures"

# Built apart, so compiler warnings go to stderr and only the table reaches the results file.
(cd "$ROOT" && dotnet build bench/layer-cache -v:q -nologo >&2)
arguments=$(cd "$ROOT" && dotnet run --no-build --project bench/layer-cache)

{
  echo "# Docker layer cache per leg"
  echo
  echo "Written by \`bash bench/layer-cache/run.sh\` on $(date -u +%Y-%m-%d) ($(. /etc/os-release && echo "$PRETTY_NAME"), docker client $("$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null || echo unknown))."
  echo
  echo "| measurement | cold build | warm build (cache hit) | saved |"
  echo "|---|---|---|---|"
  echo "| hello, linux/arm64, --cache gha | not measured: no buildx on this OS | not measured: no buildx on this OS | not measured |"
  echo "| hello, linux/arm64, --cache registry | not measured: no buildx on this OS | not measured: no buildx on this OS | not measured |"
  echo
  echo "Why: \`$DOCKER buildx version\` answers \`$reason\` The classic \`docker build\` this machine has cannot export a"
  echo "layer cache, so a run with \`--cache\` says once \"Layer caching is off (--cache ...): no buildx on the docker client\""
  echo "and builds as before. The arguments below are what buildx gets where it exists (every GitHub runner); they are"
  echo "checked by BuildCacheTests, LayerCacheModeTests and BuildxImageBuilderTests."
  echo
  echo "## Generated buildx arguments (image hello, ghcr.io/acme/hello, linux/arm64)"
  echo
  echo "$arguments"
  echo
  echo "The app stage is built and pushed in one step (\`--push\`, digest read from the metadata file's"
  echo "\`containerimage.digest\`); the base stage is loaded into the engine for the app's FROM. On a docker-container"
  echo "builder the app stage moves to the engine's \`default\` builder to see that local base, and the docker driver"
  echo "exports no cache without the containerd image store, which is why the generated legs turn that store on."
} >"$RESULTS"
say "wrote $RESULTS"
