#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring (a real Secret Service),
# so keychain tests talk to a real keychain without touching ~/.local/share/keyrings.
#   bash scripts/keyring-session.sh vitest run
# KEYRING_HOME (default: a fresh temp dir) and KEYRING_PASSWORD may be set to reuse a keyring.
set -eu
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    case "$tool" in dbus-run-session) pkg=dbus ;; *) pkg=gnome-keyring ;; esac
    echo "keyring-session: $tool is missing; install it with: sudo apt-get install -y --no-install-recommends $pkg (or run npm test, which provisions it)" >&2
    exit 127
  fi
done
[ "$#" -gt 0 ] || { echo "usage: keyring-session.sh <command> [args...]" >&2; exit 2; }
# npm scripts put node_modules/.bin on PATH; direct calls (bash scripts/keyring-session.sh vitest …) need it too
PATH="$(pwd)/node_modules/.bin:$PATH"
created=""
if [ -z "${KEYRING_HOME:-}" ]; then KEYRING_HOME=$(mktemp -d /tmp/keyring-home.XXXXXX); created=1; fi
mkdir -p "$KEYRING_HOME/data" "$KEYRING_HOME/run"
chmod 700 "$KEYRING_HOME" "$KEYRING_HOME/run"
export XDG_DATA_HOME="$KEYRING_HOME/data" XDG_RUNTIME_DIR="$KEYRING_HOME/run" KEYRING_HOME PATH
status=0
dbus-run-session -- sh -c '
  printf "%s" "${KEYRING_PASSWORD:-ci-keyring-password}" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh "$@" 2> >(grep -v "Failed to set fd limit" >&2) || status=$?
[ -n "$created" ] && rm -rf "$KEYRING_HOME"
exit "$status"
