#!/bin/sh
# agent-strace installer (POSIX sh: runs under dash, busybox ash, bash, zsh).
#   curl -fsSL https://github.com/agent-strace/agent-strace/releases/latest/download/install.sh | sh
#   sh install.sh [--version X] [--prefix DIR] [--base-url URL] [--uninstall]
# Guide and exit codes: docs/install.md. Test hooks (not for users): AGENT_STRACE_INSTALL_UNAME_S,
# AGENT_STRACE_INSTALL_UNAME_M and AGENT_STRACE_INSTALL_LIBC (glibc|musl) fake the platform.
set -eu

REPO="agent-strace/agent-strace"
# Must match rid-matrix.json (a test checks it); Windows uses install.ps1.
SUPPORTED_RIDS="linux-x64 linux-arm64 linux-musl-x64 linux-musl-arm64 osx-x64 osx-arm64"

say() { printf '%s\n' "agent-strace-install: $*"; }
die() { printf '%s\n' "agent-strace-install: error: $1" >&2; exit "${2:-1}"; }

usage() {
  cat <<'EOF'
Usage: install.sh [--version X] [--prefix DIR] [--base-url URL] [--uninstall]
  --version X      install version X (default: the latest release)
  --prefix DIR     install into DIR/bin (default: $HOME/.local, i.e. ~/.local/bin)
  --base-url URL   folder with the archives and SHA256SUMS (https://, http://, file:// or a local path);
                   default: $AGENT_STRACE_BASE_URL, else the project's GitHub releases
  --uninstall      remove DIR/bin/agent-strace
EOF
}

version=""
prefix="${HOME:-}/.local"
base="${AGENT_STRACE_BASE_URL:-}"
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --version|--prefix|--base-url)
      [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)" 2
      case "$1" in
        --version) version=${2#v} ;;
        --prefix) prefix=$2 ;;
        --base-url) base=$2 ;;
      esac
      shift 2 ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" 2 ;;
  esac
done
[ -n "$prefix" ] || die "no install prefix: HOME is not set; pass --prefix DIR" 2
bindir="${prefix%/}/bin"
dest="$bindir/agent-strace"

if [ "$uninstall" -eq 1 ]; then
  if [ -e "$dest" ]; then
    rm -f "$dest" || die "cannot remove $dest (no write permission?)"
    say "removed $dest"
  else
    say "agent-strace is not installed in $bindir; nothing to do"
  fi
  exit 0
fi

# ---- platform ----
detect_rid() {
  uname_s=${AGENT_STRACE_INSTALL_UNAME_S:-$(uname -s)}
  uname_m=${AGENT_STRACE_INSTALL_UNAME_M:-$(uname -m)}
  case "$uname_s" in
    Linux) os=linux ;;
    Darwin) os=osx ;;
    MINGW*|MSYS*|CYGWIN*|Windows*) die "Windows is installed with install.ps1 (see docs/install.md)" 3 ;;
    *) die "unsupported operating system '$uname_s' (supported: $SUPPORTED_RIDS)" 3 ;;
  esac
  case "$uname_m" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64|armv8*) arch=arm64 ;;
    *) die "unsupported architecture '$uname_m' on $uname_s (supported: $SUPPORTED_RIDS)" 3 ;;
  esac
  # An x64 shell under Rosetta 2 on Apple silicon: take the native binary.
  if [ "$os" = osx ] && [ "$arch" = x64 ] && [ -z "${AGENT_STRACE_INSTALL_UNAME_M:-}" ] &&
     [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
    arch=arm64
  fi
  if [ "$os" = linux ]; then
    libc=${AGENT_STRACE_INSTALL_LIBC:-}
    if [ -z "$libc" ]; then
      libc=glibc
      if (ldd --version 2>&1 || true) | grep -qi musl || ls /lib/ld-musl-* >/dev/null 2>&1; then libc=musl; fi
    fi
    case "$libc" in
      glibc) rid="linux-$arch" ;;
      musl) rid="linux-musl-$arch" ;;
      *) die "unknown libc '$libc' (expected glibc or musl)" 2 ;;
    esac
  else
    rid="$os-$arch"
  fi
  case " $SUPPORTED_RIDS " in
    *" $rid "*) ;;
    *) die "unsupported platform $rid (supported: $SUPPORTED_RIDS)" 3 ;;
  esac
}

# ---- download ----
downloader=""
if command -v curl >/dev/null 2>&1; then downloader=curl
elif command -v wget >/dev/null 2>&1; then downloader=wget
fi

# Network limits, so a server that never answers (or trickles) ends with a clear error instead of a hang:
# seconds to connect, and seconds for a whole download (AGENT_STRACE_INSTALL_TIMEOUT, default 300).
connect_timeout=20
total_timeout=${AGENT_STRACE_INSTALL_TIMEOUT:-300}
case "$total_timeout" in ''|*[!0-9]*|0) die "AGENT_STRACE_INSTALL_TIMEOUT must be a whole number of seconds > 0" 2 ;; esac
[ "$connect_timeout" -le "$total_timeout" ] || connect_timeout=$total_timeout

# fetch URL FILE [MAXBYTES]: a local folder path or file:// is copied; http(s) goes through curl or wget. MAXBYTES
# caps small files (SHA256SUMS, latest) so a hostile server cannot make us download gigabytes before failing.
fetch() {
  case "$1" in
    /*) cp "$1" "$2" 2>/dev/null ;;
    file://*) cp "${1#file://}" "$2" 2>/dev/null ;;
    https://*|http://*)
      case "$downloader" in
        curl)
          set -- "$1" "$2" "${3:-0}" --fail --silent --show-error --location --connect-timeout "$connect_timeout" \
            --max-time "$total_timeout" --retry 2 --retry-max-time "$total_timeout"
          [ "$3" -gt 0 ] && set -- "$@" --max-filesize "$3"
          if [ "${1#https://}" != "$1" ]; then set -- "$@" --proto '=https' --tlsv1.2; fi
          url=$1 out=$2
          shift 3
          curl "$@" --output "$out" "$url" || { [ $? -eq 28 ] && say "$url did not answer within ${total_timeout}s" >&2; return 1; } ;;
        wget) wget_fetch "$1" "$2" ;;
        *) die "neither curl nor wget is installed; install one of them, or use --base-url with a local folder" ;;
      esac || return 1
      if [ "${3:-0}" -gt 0 ] && [ "$(wc -c < "$2")" -gt "$3" ]; then
        say "$1 is larger than $3 bytes" >&2
        return 1
      fi ;;
    *) die "unsupported --base-url '$base' (use https://, http://, file:// or an absolute path)" 2 ;;
  esac
}

# wget_fetch URL FILE: wget has no limit on a whole download (and busybox's often no timeout flag at all), so the
# wall-clock bound comes from timeout(1) when it runs (GNU or busybox), else from a watchdog that kills wget.
wget_fetch() {
  url=$1 out=$2
  set -- -q -O "$out"
  if wget --help 2>&1 | grep -q -- '--connect-timeout'; then set -- "$@" --timeout="$connect_timeout" --tries=2
  elif wget --help 2>&1 | grep -q -- '-T SEC'; then set -- "$@" -T "$connect_timeout"
  fi
  if command -v timeout >/dev/null 2>&1 && timeout 5 true >/dev/null 2>&1; then
    timeout "$total_timeout" wget "$@" "$url"
    rc=$?
  else
    wget "$@" "$url" &
    pid=$!
    (trap 'kill "$s"; exit 0' TERM; sleep "$total_timeout" & s=$!; wait "$s" && kill "$pid") >/dev/null 2>&1 &
    watchdog=$!
    wait "$pid"
    rc=$?
    kill "$watchdog" 2>/dev/null
  fi
  case "$rc" in
    0) return 0 ;;
    124|137|143) say "$url did not answer within ${total_timeout}s" >&2 ;;
  esac
  return 1
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else die "neither sha256sum nor shasum is installed; cannot verify the download"
  fi
}

detect_rid
ext=tar.gz
if [ -z "$base" ]; then
  if [ -n "$version" ]; then base="https://github.com/$REPO/releases/download/v$version"
  else base="https://github.com/$REPO/releases/latest/download"
  fi
fi
base=${base%/}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t agent-strace) || die "cannot create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'rm -rf "$tmp"; exit 130' INT TERM

fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" 1048576 || die "cannot download $base/SHA256SUMS (no answer within ${total_timeout}s, too large, or an HTTP error)"

# Latest: the folder's `latest` file when it has one, else the newest version in SHA256SUMS for this RID.
if [ -z "$version" ]; then
  if fetch "$base/latest" "$tmp/latest" 4096 2>/dev/null; then
    version=$(head -n 1 "$tmp/latest" | tr -d ' \r\n')
    version=${version#v}
  fi
  if [ -z "$version" ] || ! grep -q " \*\{0,1\}agent-strace-$version-$rid\.$ext\$" "$tmp/SHA256SUMS"; then
    version=$(sed -n "s/^[0-9a-fA-F]\{64\} [ *]agent-strace-\(.*\)-$rid\.tar\.gz\$/\1/p" "$tmp/SHA256SUMS" |
      sort -t. -k1,1n -k2,2n -k3,3n | tail -n 1)
  fi
  [ -n "$version" ] || die "no agent-strace archive for $rid in $base/SHA256SUMS"
fi
case "$version" in
  *[!A-Za-z0-9.+-]*) die "invalid version '$version'" 2 ;;
esac

archive="agent-strace-$version-$rid.$ext"
expected=$(grep " [ *]$archive\$" "$tmp/SHA256SUMS" | head -n 1 | cut -d' ' -f1 | tr 'A-F' 'a-f')
[ -n "$expected" ] || die "$archive is not listed in $base/SHA256SUMS (is version $version published for $rid?)"

say "downloading $archive from $base"
fetch "$base/$archive" "$tmp/$archive" || die "cannot download $base/$archive"
actual=$(sha256_of "$tmp/$archive")
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $archive: expected $expected, got $actual; nothing was installed" 4
fi

# Only regular files, only inside the target: a member that is a link, device or FIFO, or whose path is absolute
# or climbs out with "..", is refused before anything is unpacked (the checksum only proves the mirror served it).
tar -tzf "$tmp/$archive" > "$tmp/members" || die "cannot read $archive"
escape=$(grep -E '^/|(^|/)\.\.(/|$)' "$tmp/members" | head -n 1)
[ -z "$escape" ] || die "$archive holds a member outside the target ('$escape'); nothing was installed" 4
mkdir "$tmp/x"
tar -xzf "$tmp/$archive" -C "$tmp/x" || die "cannot unpack $archive"
odd=$(find "$tmp/x" ! -type f ! -type d | head -n 1)
[ -z "$odd" ] || die "$archive holds a member that is not a regular file ('${odd#"$tmp/x/"}'); nothing was installed" 4
{ [ -f "$tmp/x/agent-strace" ] && [ ! -L "$tmp/x/agent-strace" ]; } || die "$archive does not contain agent-strace as a regular file"

# ---- install (atomic rename, so a running agent-strace is never half-written) ----
mkdir -p "$bindir" 2>/dev/null || die "cannot create $bindir (no write permission?); choose another --prefix"
if [ -f "$dest" ] && [ "$(sha256_of "$dest")" = "$(sha256_of "$tmp/x/agent-strace")" ]; then
  say "agent-strace $version is already installed at $dest"
  exit 0
fi
previous=""
if [ -x "$dest" ]; then previous=$("$dest" --version 2>/dev/null || true); fi
staged="$bindir/.agent-strace.$$"
cp "$tmp/x/agent-strace" "$staged" 2>/dev/null ||
  die "no write permission in $bindir; choose another --prefix (e.g. --prefix \"\$HOME/.local\") or run as a user who can write there"
chmod 755 "$staged"
mv -f "$staged" "$dest" || { rm -f "$staged"; die "cannot replace $dest"; }

if [ -n "$previous" ]; then say "upgraded $dest from $previous to agent-strace $version ($rid)"
else say "installed agent-strace $version ($rid) to $dest"
fi
case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *) say "note: $bindir is not on PATH; add it, e.g.: export PATH=\"$bindir:\$PATH\"" ;;
esac
