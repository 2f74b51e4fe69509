#!/usr/bin/env bash
# Bootstrap: compile build/ only when it (or a project it references) changed, then run it in one process.
set -eo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_PROJECT="$ROOT/build/_build.csproj"
BUILD_DLL="$ROOT/build/bin/_build.dll"
TEMP="$ROOT/.nuke/temp"
STAMP="$TEMP/build.stamp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_UI_LANGUAGE=en

# Anything newer than the stamp (outside bin/ and obj/) means the build program must be compiled again.
changed() {
  [[ ! -f "$BUILD_DLL" || ! -f "$STAMP" ]] && return 0
  [[ -n "$(find "$ROOT/build" "$ROOT/global.json" "$ROOT/Directory.Build.props" "$ROOT/nuget.config" \
      \( -name bin -o -name obj \) -prune -o -newer "$STAMP" -print -quit 2>/dev/null)" ]]
}

# Use the installed dotnet when it satisfies global.json; otherwise install that SDK under .nuke/temp.
resolve_dotnet() {
  if command -v dotnet >/dev/null 2>&1 && (cd "$ROOT" && dotnet --version >/dev/null 2>&1); then DOTNET=dotnet; return; fi
  local dir="$TEMP/dotnet-unix"
  if [[ ! -x "$dir/dotnet" ]]; then
    mkdir -p "$TEMP"
    echo "Installing the .NET SDK named in global.json into $dir ..."
    if ! curl -sSfL https://dot.net/v1/dotnet-install.sh -o "$TEMP/dotnet-install.sh" ||
       ! bash "$TEMP/dotnet-install.sh" --jsonfile "$ROOT/global.json" --install-dir "$dir" --no-path; then
      echo "error: no .NET SDK matching global.json is installed and dotnet-install.sh failed; install it from https://dot.net and run again." >&2
      exit 1
    fi
  fi
  export DOTNET_ROOT="$dir" PATH="$dir:$PATH"
  DOTNET="$dir/dotnet"
}

if changed; then
  resolve_dotnet
  mkdir -p "$TEMP"
  touch "$STAMP.$$"
  # MSBuild reads environment variables as properties: VERSION=t1 or PLATFORM=linux/arm64, meant for the build's
  # own parameters (the generated workflows pass them so), would break restore. They are not for the compiler.
  env -u VERSION -u PLATFORM -u CONFIGURATION "$DOTNET" build "$BUILD_PROJECT" -nologo -v:q -clp:NoSummary ||
    { echo "error: the build project did not compile (see above)." >&2; exit 1; }
  mv "$STAMP.$$" "$STAMP"
fi
# A warm run skips resolve_dotnet; an SDK installed under .nuke/temp must still be found without a system dotnet.
if [[ -z "${DOTNET:-}" ]] && ! command -v dotnet >/dev/null 2>&1 && [[ -x "$TEMP/dotnet-unix/dotnet" ]]; then
  export DOTNET_ROOT="$TEMP/dotnet-unix"; DOTNET="$TEMP/dotnet-unix/dotnet"
fi
exec "${DOTNET:-dotnet}" "$BUILD_DLL" "$@"
