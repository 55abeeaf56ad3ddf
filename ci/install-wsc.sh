#!/usr/bin/env bash
# Installs `wsc` for a CI job: the prebuilt release archive for this machine,
# verified against the release's SHA256SUMS; built from source only when the
# release has no archive for this machine (or no release exists).
# Used by action.yml and ci/gitlab/wsc.gitlab-ci.yml; archives come from
# `cargo xtask dist` (see docs/ci.md).
#
# Inputs (environment), all optional:
#   WSC_VERSION      version to install (default: the version in
#                    WSC_SOURCE_DIR/Cargo.toml)
#   WSC_RELEASE_URL  where the archives and SHA256SUMS are (default: the
#                    `repository` of WSC_SOURCE_DIR/Cargo.toml +
#                    /releases/download/vVERSION); https:// or file://
#   WSC_TARGET       the archive's target triple (default: this machine's)
#   WSC_INSTALL_DIR  where `wsc` goes (default: $RUNNER_TEMP/wsc-bin, else
#                    $HOME/.local/bin)
#   WSC_SOURCE_DIR   a checkout of wsc to build from when no archive fits
#                    (default: this script's repository); empty: build the
#                    published crate with `cargo install ncloud-wsc`
#   CARGO            the cargo to build with (default: cargo)
# Adds WSC_INSTALL_DIR to $GITHUB_PATH when set. Prints the installed path.
# Exits 1 when a download does not match its checksum: never falls back then.
set -euo pipefail

die() {
  echo "install-wsc: error: $*" >&2
  exit 1
}
say() { echo "install-wsc: $*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source_dir="${WSC_SOURCE_DIR-$here}"

# `key = "value"` from the [workspace.package] table of a Cargo.toml.
workspace_field() {
  sed -n '/^\[workspace\.package\]/,/^\[/s/^'"$1"' *= *"\([^"]*\)".*/\1/p' "$2" | head -n 1
}

version="${WSC_VERSION:-}"
repository=""
if [ -n "$source_dir" ] && [ -f "$source_dir/Cargo.toml" ]; then
  [ -n "$version" ] || version=$(workspace_field version "$source_dir/Cargo.toml")
  repository=$(workspace_field repository "$source_dir/Cargo.toml")
fi
[ -n "$version" ] || die "no version: set WSC_VERSION (or WSC_SOURCE_DIR to a wsc checkout)"
case "$version" in
  *[!0-9A-Za-z.+-]*) die "WSC_VERSION '$version' is not a version" ;;
esac

release_url="${WSC_RELEASE_URL:-}"
if [ -z "$release_url" ]; then
  [ -n "$repository" ] || die "no release URL: set WSC_RELEASE_URL"
  release_url="${repository%/}/releases/download/v${version}"
fi
release_url="${release_url%/}"

target="${WSC_TARGET:-}"
if [ -z "$target" ]; then
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
  esac
  case "$os" in
    Linux) target="${arch}-unknown-linux-musl" ;;
    Darwin) target="${arch}-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) target="${arch}-pc-windows-msvc" ;;
    *) target="" ;;
  esac
fi
case "$target" in
  *windows*) ext=zip exe=wsc.exe ;;
  *) ext=tar.gz exe=wsc ;;
esac

install_dir="${WSC_INSTALL_DIR:-}"
if [ -z "$install_dir" ]; then
  if [ -n "${RUNNER_TEMP:-}" ]; then
    install_dir="$RUNNER_TEMP/wsc-bin"
  else
    install_dir="$HOME/.local/bin"
  fi
fi
mkdir -p "$install_dir"
install_dir=$(cd "$install_dir" && pwd)

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

fetch() { # URL FILE MAX_BYTES: 0 fetched, 1 not there (or unreachable, or too large)
  curl --fail --silent --show-error --location --retry 3 --proto '=https,file' \
    --max-filesize "$3" --output "$2" "$1" 2>"$scratch/curl.err"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

build_from_source() {
  say "$1; building wsc ${version} from source (a few minutes)"
  local cargo="${CARGO:-cargo}"
  command -v "$cargo" >/dev/null 2>&1 || die "$1, and cargo is not installed to build from source"
  local root="$scratch/cargo-root"
  if [ -n "$source_dir" ] && [ -d "$source_dir/crates/wsc-cli" ]; then
    "$cargo" install --locked --root "$root" --path "$source_dir/crates/wsc-cli"
  else
    "$cargo" install --locked --root "$root" ncloud-wsc --version "=$version"
  fi
  [ -x "$root/bin/$exe" ] || die "cargo install left no $root/bin/$exe"
  install_binary "$root/bin/$exe"
}

install_binary() {
  # Atomic: the old wsc (if any) stays until the new one is complete.
  cp "$1" "$install_dir/.$exe.new.$$"
  chmod 755 "$install_dir/.$exe.new.$$"
  mv -f "$install_dir/.$exe.new.$$" "$install_dir/$exe"
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$install_dir" >>"$GITHUB_PATH"
  fi
  echo "$install_dir/$exe"
}

if [ -z "$target" ]; then
  build_from_source "no prebuilt wsc for $(uname -s) $(uname -m)"
  exit 0
fi

archive="ncloud-wsc-${version}-${target}.${ext}"
if ! fetch "$release_url/SHA256SUMS" "$scratch/SHA256SUMS" 1048576; then
  build_from_source "no release at $release_url ($(head -c 200 "$scratch/curl.err"))"
  exit 0
fi
expected=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1; exit }' "$scratch/SHA256SUMS")
if [ -z "$expected" ]; then
  build_from_source "the release at $release_url has no $archive"
  exit 0
fi
case "$expected" in
  *[!0-9a-f]* | '') die "SHA256SUMS at $release_url has a malformed line for $archive" ;;
esac
[ "${#expected}" -eq 64 ] || die "SHA256SUMS at $release_url has a malformed line for $archive"

fetch "$release_url/$archive" "$scratch/$archive" 268435456 ||
  die "cannot download $release_url/$archive: $(head -c 200 "$scratch/curl.err")"
actual=$(sha256_of "$scratch/$archive")
if [ "$actual" != "$expected" ]; then
  die "$archive does not match SHA256SUMS (expected $expected, got $actual); not installing it"
fi
say "verified $archive (sha256 $actual)"

mkdir "$scratch/unpacked"
case "$ext" in
  zip)
    if command -v unzip >/dev/null 2>&1; then
      unzip -q "$scratch/$archive" -d "$scratch/unpacked"
    else
      # Windows runners: PowerShell's own unzip.
      powershell -NoProfile -NonInteractive -Command \
        "Expand-Archive -LiteralPath '$scratch/$archive' -DestinationPath '$scratch/unpacked'" ||
        die "cannot unpack $archive (no unzip, no PowerShell)"
    fi
    ;;
  *) tar -xzf "$scratch/$archive" -C "$scratch/unpacked" ;;
esac
binary="$scratch/unpacked/ncloud-wsc-${version}-${target}/$exe"
[ -f "$binary" ] || die "$archive has no ncloud-wsc-${version}-${target}/$exe"
install_binary "$binary"
