#!/usr/bin/env bash
# Make sure Debian's chromium and CJK fonts are present for the browser tests,
# then print the chromium executable's path on stdout (the only stdout line).
#
# The end-to-end tests drive this chromium through Playwright
# (chromium.launch(executable_path=...)); Playwright's own browser download
# (`playwright install`) is never used.
set -euo pipefail

log() { printf 'browser.sh: %s\n' "$*" >&2; }
die() {
    printf '\nbrowser.sh: ERROR: %s\n\n' "$*" >&2
    exit 1
}

find_chromium() {
    local candidate
    for candidate in "${CHROMIUM_PATH:-}" chromium chromium-browser; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

have_cjk_fonts() {
    command -v fc-list >/dev/null 2>&1 || return 1
    local families
    # Read the whole list first: `fc-list | grep -q` can die of SIGPIPE under pipefail.
    families="$(fc-list : family 2>/dev/null || true)"
    grep -qiE 'Noto (Sans|Serif) CJK' <<<"$families"
}

packages=()
find_chromium >/dev/null || packages+=(chromium)
have_cjk_fonts || packages+=(fonts-noto-cjk fontconfig)

if [ "${#packages[@]}" -gt 0 ]; then
    log "installing ${packages[*]} from Debian packages..."
    command -v apt-get >/dev/null 2>&1 ||
        die "missing ${packages[*]} and apt-get is unavailable; install chromium and Noto CJK fonts by hand."
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 ||
            die "missing ${packages[*]}; installing needs root (no sudo). Run: apt-get install -y ${packages[*]}"
        sudo="sudo"
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 ||
        die "apt-get update failed; cannot install ${packages[*]}."
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}" >&2 ||
        die "apt-get install ${packages[*]} failed."
    if command -v fc-cache >/dev/null 2>&1; then fc-cache -f >/dev/null 2>&1 || true; fi
fi

chromium="$(find_chromium)" || die "chromium is still not on the PATH after installing it."
have_cjk_fonts || die "Noto CJK fonts are still missing after installing fonts-noto-cjk."
"$chromium" --version >&2 2>/dev/null || log "warning: '$chromium --version' failed"
printf '%s\n' "$chromium"
