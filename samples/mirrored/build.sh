#!/usr/bin/env bash
# Bootstrap: compile build/ only when it (or a project it references) changed, then run it in one process.
set -eo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD_PROJECT="$ROOT/build/_build.csproj"
BUILD_DLL="$ROOT/build/bin/_build.dll"
TEMP="$ROOT/.nuke/temp"
STAMP="$TEMP/build.stamp"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_UI_LANGUAGE=en

# The build program is compiled again only when its inputs' content changed (the vendored packages/ included). A
# content hash, not mtimes: files restored by actions/cache or a fresh clone get new mtimes, and creating build/bin
# changes build/'s own mtime, yet none of that changes what would be compiled.
inputs_hash() {
  (cd "$ROOT" && { echo "${MultiArchVersion:-}"; find build packages global.json Directory.Build.props Directory.Packages.props nuget.config \
      \( -name bin -o -name obj \) -prune -o -type f -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 sha256sum; } | sha256sum)
}
changed() {
  HASH="$(inputs_hash)"
  [[ ! -f "$BUILD_DLL" || ! -f "$STAMP" || "$(cat "$STAMP")" != "$HASH" ]]
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
  # MSBuild reads environment variables as properties: a VERSION, PLATFORM or CONFIGURATION left in the shell (the
  # build's own parameters are MULTIARCH_*, so they never need these) would version or break the compile. Not for it.
  # The stamp is written to a temporary name and moved into place; any exit before the move (a failed compile,
  # Ctrl+C) removes it, so no build.stamp.<pid> is left behind. exec below does not run it (nothing is left then).
  trap 'rm -f "$STAMP.$$"' EXIT
  # `dotnet msbuild -restore` is `dotnet build` without the -clp:Summary that dotnet build appends (which beats
  # NoSummary): a good compile prints nothing, a failed one only its errors.
  env -u VERSION -u PLATFORM -u CONFIGURATION "$DOTNET" msbuild "$BUILD_PROJECT" -restore -nologo -v:q -clp:NoSummary ||
    { echo "error: the build project did not compile (see above)." >&2; exit 1; }
  # The hash taken before compiling: an edit made during the compile is seen by the next run.
  echo "$HASH" > "$STAMP.$$" && mv "$STAMP.$$" "$STAMP"
fi
# A warm run skips resolve_dotnet; an SDK installed under .nuke/temp must still be found without a system dotnet.
if [[ -z "${DOTNET:-}" ]] && ! command -v dotnet >/dev/null 2>&1 && [[ -x "$TEMP/dotnet-unix/dotnet" ]]; then
  export DOTNET_ROOT="$TEMP/dotnet-unix"; DOTNET="$TEMP/dotnet-unix/dotnet"
fi
exec "${DOTNET:-dotnet}" "$BUILD_DLL" "$@"
