# Bootstrap (PowerShell): compile build/ only when it changed, then run it in one process.
[CmdletBinding()]
Param([Parameter(Position = 0, Mandatory = $false, ValueFromRemainingArguments = $true)] [string[]]$BuildArguments)
$ErrorActionPreference = "Stop"
$Root = $PSScriptRoot
$BuildProject = Join-Path $Root "build/_build.csproj"
$BuildDll = Join-Path $Root "build/bin/_build.dll"
$Temp = Join-Path $Root ".nuke/temp"
$Stamp = Join-Path $Temp "build.stamp"
$env:DOTNET_CLI_TELEMETRY_OPTOUT = 1; $env:DOTNET_NOLOGO = 1; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = 1

function Test-Changed {
    if (-not (Test-Path $BuildDll) -or -not (Test-Path $Stamp)) { return $true }
    $since = (Get-Item $Stamp).LastWriteTimeUtc
    $paths = @("build") | ForEach-Object { Join-Path $Root $_ }
    $newer = Get-ChildItem -Recurse -File $paths | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' -and $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1
    $props = @("global.json", "Directory.Build.props", "nuget.config") | ForEach-Object { Get-Item (Join-Path $Root $_) } | Where-Object { $_.LastWriteTimeUtc -gt $since }
    return ($null -ne $newer) -or ($null -ne $props)
}

$Dotnet = "dotnet"
if (Test-Changed) {
    Push-Location $Root
    $ok = $false
    if (Get-Command dotnet -ErrorAction SilentlyContinue) { dotnet --version *> $null; $ok = ($LASTEXITCODE -eq 0) }
    Pop-Location
    if (-not $ok) {
        $Dir = Join-Path $Temp "dotnet-win"
        if (-not (Test-Path (Join-Path $Dir "dotnet*"))) {
            New-Item -ItemType Directory -Force -Path $Temp | Out-Null
            Write-Output "Installing the .NET SDK named in global.json into $Dir ..."
            try {
                Invoke-WebRequest "https://dot.net/v1/dotnet-install.ps1" -OutFile (Join-Path $Temp "dotnet-install.ps1")
                & (Join-Path $Temp "dotnet-install.ps1") -JsonFile (Join-Path $Root "global.json") -InstallDir $Dir -NoPath
            } catch { Write-Error "error: no .NET SDK matching global.json is installed and dotnet-install.ps1 failed; install it from https://dot.net and run again."; exit 1 }
        }
        $env:DOTNET_ROOT = $Dir; $env:PATH = "$Dir;$env:PATH"; $Dotnet = Join-Path $Dir "dotnet"
    }
    New-Item -ItemType Directory -Force -Path $Temp | Out-Null
    $next = Get-Date
    # MSBuild reads environment variables as properties; the build's own VERSION/PLATFORM parameters must not reach it.
    $saved = @{}; foreach ($name in "VERSION", "PLATFORM", "CONFIGURATION") { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $null) }
    # `dotnet msbuild -restore` is `dotnet build` without the -clp:Summary that dotnet build appends (which beats NoSummary).
    & $Dotnet msbuild $BuildProject -restore -nologo -v:q -clp:NoSummary
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    if ($LASTEXITCODE -ne 0) { Write-Error "error: the build project did not compile (see above)."; exit 1 }
    Set-Content -Path $Stamp -Value ""; (Get-Item $Stamp).LastWriteTime = $next
}
& $Dotnet $BuildDll $BuildArguments
exit $LASTEXITCODE
