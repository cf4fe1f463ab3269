# agent-strace installer for Windows (Windows PowerShell 5.1 and PowerShell 7; under PowerShell 7 it also
# installs the Linux and macOS builds).
#   irm https://github.com/agent-strace/agent-strace/releases/latest/download/install.ps1 | iex
#   .\install.ps1 [-Version X] [-InstallDir DIR] [-BaseUrl URL] [-NoModifyPath] [-Uninstall]
# Guide and exit codes: docs/install.md. Test hooks (not for users): AGENT_STRACE_INSTALL_OS
# (windows|linux|osx) and AGENT_STRACE_INSTALL_ARCH (x64|arm64|...) fake the platform.
[CmdletBinding()]
param(
    [string]$Version = '',
    [string]$InstallDir = '',
    [string]$BaseUrl = $env:AGENT_STRACE_BASE_URL,
    [switch]$NoModifyPath,
    [switch]$Uninstall
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3

$Repo = 'agent-strace/agent-strace'
# Must match rid-matrix.json (a test checks it).
$SupportedRids = @('win-x64', 'win-arm64', 'linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64')

function Say([string]$Message) { Write-Host "agent-strace-install: $Message" }
# Throws instead of exiting, so that `irm ... | iex` never closes the user's PowerShell window.
function Fail([string]$Message, [int]$Code = 1) {
    $e = [System.Exception]::new($Message)
    $e.Data['ExitCode'] = $Code
    throw $e
}

function Get-Rid {
    $os = $env:AGENT_STRACE_INSTALL_OS
    if (-not $os) {
        if ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) { $os = 'windows' }
        elseif ($IsMacOS) { $os = 'osx' }
        elseif ($IsLinux) { $os = 'linux' }
        else { Fail 'unsupported operating system' 3 }
    }
    $arch = $env:AGENT_STRACE_INSTALL_ARCH
    if (-not $arch) {
        $arch = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } elseif ($env:PROCESSOR_ARCHITECTURE) { $env:PROCESSOR_ARCHITECTURE }
                else { [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString() }
    }
    switch -Regex ($arch) {
        '^(?i)(amd64|x64|x86_64)$' { $a = 'x64'; break }
        '^(?i)(arm64|aarch64)$' { $a = 'arm64'; break }
        default { Fail "unsupported architecture '$arch' (supported: $($SupportedRids -join ' '))" 3 }
    }
    switch ($os) {
        'windows' { $rid = "win-$a" }
        'osx' { $rid = "osx-$a" }
        'linux' {
            if ((Get-ChildItem '/lib/ld-musl-*' -ErrorAction SilentlyContinue)) { Fail 'musl Linux: use install.sh' 3 }
            $rid = "linux-$a"
        }
        default { Fail "unsupported operating system '$os' (supported: $($SupportedRids -join ' '))" 3 }
    }
    if ($SupportedRids -notcontains $rid) { Fail "unsupported platform $rid (supported: $($SupportedRids -join ' '))" 3 }
    return $rid
}

# A local folder or file:// is copied; http(s) is downloaded.
function Get-File([string]$Url, [string]$OutFile) {
    if ($Url -match '^file://') { $Url = ([uri]$Url).LocalPath }
    if ($Url -match '^https?://') {
        Invoke-WebRequest -Uri $Url -OutFile $OutFile -UseBasicParsing -MaximumRedirection 10
    } else {
        Copy-Item -LiteralPath $Url -Destination $OutFile
    }
}

function Install-AgentStrace {
$rid = Get-Rid
$isWin = $rid.StartsWith('win-')
$exe = if ($isWin) { 'agent-strace.exe' } else { 'agent-strace' }
$ext = if ($isWin) { 'zip' } else { 'tar.gz' }
if (-not $InstallDir) {
    $InstallDir = if ($isWin -and $env:LOCALAPPDATA) { Join-Path $env:LOCALAPPDATA 'Programs\agent-strace\bin' }
                  else { Join-Path $HOME '.local/bin' }
}
$dest = Join-Path $InstallDir $exe

if ($Uninstall) {
    if (Test-Path -LiteralPath $dest) {
        try { Remove-Item -LiteralPath $dest -Force } catch { Fail "cannot remove ${dest}: $($_.Exception.Message)" }
        Say "removed $dest"
    } else {
        Say "agent-strace is not installed in $InstallDir; nothing to do"
    }
    return
}

$Version = $Version.TrimStart('v')
if (-not $BaseUrl) {
    $BaseUrl = if ($Version) { "https://github.com/$Repo/releases/download/v$Version" } else { "https://github.com/$Repo/releases/latest/download" }
}
$BaseUrl = $BaseUrl.TrimEnd('/')

$tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("agent-strace-install-" + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $tmp | Out-Null
try {
    $sumsFile = Join-Path $tmp 'SHA256SUMS'
    try { Get-File "$BaseUrl/SHA256SUMS" $sumsFile } catch { Fail "cannot download $BaseUrl/SHA256SUMS: $($_.Exception.Message)" }
    $sums = @{}
    foreach ($line in Get-Content -LiteralPath $sumsFile) {
        if ($line -match '^([0-9A-Fa-f]{64}) [ *](.+)$') { $sums[$Matches[2]] = $Matches[1].ToLowerInvariant() }
    }

    # Latest: the folder's `latest` file when it has one, else the newest version in SHA256SUMS for this RID.
    if (-not $Version) {
        try {
            Get-File "$BaseUrl/latest" (Join-Path $tmp 'latest')
            $Version = (Get-Content -LiteralPath (Join-Path $tmp 'latest') -TotalCount 1).Trim().TrimStart('v')
        } catch { $Version = '' }
        if (-not $Version -or -not $sums.ContainsKey("agent-strace-$Version-$rid.$ext")) {
            $pattern = '^agent-strace-(.+)-' + [regex]::Escape("$rid.$ext") + '$'
            $Version = $sums.Keys | Where-Object { $_ -match $pattern } | ForEach-Object { $Matches[1] } |
                Sort-Object { [version](($_ -split '[-+]')[0]) } | Select-Object -Last 1
        }
        if (-not $Version) { Fail "no agent-strace archive for $rid in $BaseUrl/SHA256SUMS" }
    }
    if ($Version -notmatch '^[A-Za-z0-9.+-]+$') { Fail "invalid version '$Version'" 2 }

    $archive = "agent-strace-$Version-$rid.$ext"
    if (-not $sums.ContainsKey($archive)) { Fail "$archive is not listed in $BaseUrl/SHA256SUMS (is version $Version published for $rid?)" }
    Say "downloading $archive from $BaseUrl"
    $archivePath = Join-Path $tmp $archive
    try { Get-File "$BaseUrl/$archive" $archivePath } catch { Fail "cannot download $BaseUrl/${archive}: $($_.Exception.Message)" }
    $actual = (Get-FileHash -LiteralPath $archivePath -Algorithm SHA256).Hash.ToLowerInvariant()
    if ($actual -ne $sums[$archive]) {
        Fail "checksum mismatch for ${archive}: expected $($sums[$archive]), got $actual; nothing was installed" 4
    }

    $unpacked = Join-Path $tmp 'x'
    New-Item -ItemType Directory -Path $unpacked | Out-Null
    if ($ext -eq 'zip') { Expand-Archive -LiteralPath $archivePath -DestinationPath $unpacked }
    else { tar -xzf $archivePath -C $unpacked; if ($LASTEXITCODE -ne 0) { Fail "cannot unpack $archive" } }
    $new = Join-Path $unpacked $exe
    if (-not (Test-Path -LiteralPath $new)) { Fail "$archive does not contain $exe" }

    try { New-Item -ItemType Directory -Path $InstallDir -Force | Out-Null }
    catch { Fail "cannot create $InstallDir (no write permission?); choose another -InstallDir" }
    if ((Test-Path -LiteralPath $dest) -and
        (Get-FileHash -LiteralPath $dest -Algorithm SHA256).Hash -eq (Get-FileHash -LiteralPath $new -Algorithm SHA256).Hash) {
        Say "agent-strace $Version is already installed at $dest"
        return
    }
    $upgrade = Test-Path -LiteralPath $dest
    # Stage next to the target, then rename: a running agent-strace is never half-written.
    $staged = Join-Path $InstallDir ".agent-strace.$PID.tmp"
    try {
        Copy-Item -LiteralPath $new -Destination $staged -Force
        if (-not $isWin -or -not ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop')) { chmod 755 $staged }
        Move-Item -LiteralPath $staged -Destination $dest -Force
    } catch {
        Remove-Item -LiteralPath $staged -Force -ErrorAction SilentlyContinue
        Fail "no write permission in ${InstallDir}: $($_.Exception.Message); choose another -InstallDir"
    }
    if ($upgrade) { Say "upgraded $dest to agent-strace $Version ($rid)" }
    else { Say "installed agent-strace $Version ($rid) to $dest" }

    $sep = [System.IO.Path]::PathSeparator
    if (($env:PATH -split [regex]::Escape($sep)) -notcontains $InstallDir) {
        if ($isWin -and ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') -and -not $NoModifyPath) {
            $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
            if (($userPath -split ';') -notcontains $InstallDir) {
                [Environment]::SetEnvironmentVariable('Path', ($(if ($userPath) { "$userPath;" } else { '' }) + $InstallDir), 'User')
                Say "added $InstallDir to your user PATH (open a new terminal to use it)"
            }
        } else {
            Say "note: $InstallDir is not on PATH; add it to use agent-strace by name"
        }
    }
} finally {
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
}
}

$code = 0
try { Install-AgentStrace }
catch {
    $code = if ($_.Exception.Data.Contains('ExitCode')) { [int]$_.Exception.Data['ExitCode'] } else { 1 }
    [Console]::Error.WriteLine("agent-strace-install: error: $($_.Exception.Message)")
}
# Exit only when run as a file; under `iex` leave the session open and report through $LASTEXITCODE.
if ($PSCommandPath) { exit $code } else { $global:LASTEXITCODE = $code }
