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

# A content hash of the build's inputs, not mtimes: restored files (actions/cache, a fresh clone) get new mtimes,
# and creating build/bin and build/obj changes build/'s own, yet neither changes what would be compiled.
function Get-InputsHash {
    $files = @(@("build", "src") | ForEach-Object { Get-ChildItem -Recurse -File (Join-Path $Root $_) } |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }) +
        @(@("global.json", "Directory.Build.props", "Directory.Packages.props") | ForEach-Object { Get-Item (Join-Path $Root $_) })
    $lines = $files | ForEach-Object { "$((Get-FileHash -Algorithm SHA256 $_.FullName).Hash)  $($_.FullName.Substring($Root.Length + 1).Replace('\', '/'))" } |
        Sort-Object -CaseSensitive
    $bytes = [Text.Encoding]::UTF8.GetBytes(($lines -join "`n"))
    # Windows PowerShell 5.1 (.NET Framework) has neither Convert.ToHexString nor SHA256.HashData.
    return [BitConverter]::ToString([Security.Cryptography.SHA256]::Create().ComputeHash($bytes)).Replace("-", "")
}
$Hash = Get-InputsHash
function Test-Changed {
    if (-not (Test-Path $BuildDll) -or -not (Test-Path $Stamp)) { return $true }
    return (Get-Content -Raw $Stamp).Trim() -ne $Hash
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
    # MSBuild reads environment variables as properties; the build's own VERSION/PLATFORM parameters must not reach it.
    $saved = @{}; foreach ($name in "VERSION", "PLATFORM", "CONFIGURATION") { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $null) }
    # `dotnet msbuild -restore` is `dotnet build` without the -clp:Summary that dotnet build appends (which beats NoSummary).
    & $Dotnet msbuild $BuildProject -restore -nologo -v:q -clp:NoSummary
    foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    if ($LASTEXITCODE -ne 0) { Write-Error "error: the build project did not compile (see above)."; exit 1 }
    # The hash taken before compiling: an edit made during the compile is seen by the next run. Written to a
    # temporary name and moved into place; whatever stops it before the move removes it (no build.stamp.<pid> left).
    $Pending = "$Stamp.$PID"
    try { Set-Content -Path $Pending -Value $Hash; Move-Item -Force -Path $Pending -Destination $Stamp }
    finally { Remove-Item -Force -ErrorAction SilentlyContinue -Path $Pending }
}
& $Dotnet $BuildDll $BuildArguments
exit $LASTEXITCODE
