#!/usr/bin/env bash
# Makes sure the system packages the tests use are installed: real git (and OpenSSH for its ssh
# transport), bubblewrap, PostgreSQL, Chromium, D-Bus and gnome-keyring, and openssl (a private CA for the model client's HTTPS test). Installs what is missing with apt-get when it can (root or
# passwordless sudo); otherwise prints the exact command and fails. Run by `npm test` before vitest.
set -euo pipefail

# command → Debian package
declare -A packages=(
  [git]=git
  [bwrap]=bubblewrap
  [chromium]=chromium
  [dbus-run-session]=dbus
  [dbus-daemon]=dbus-daemon
  [gnome-keyring-daemon]=gnome-keyring
  [secret-tool]=libsecret-tools
  [socat]=socat
  [openssl]=openssl
  [ssh]=openssh-client
  [ssh-keygen]=openssh-client
)

missing=()
for tool in "${!packages[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${packages[$tool]}")
done
# PostgreSQL's server binaries live outside PATH on Debian.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
# sshd (git over ssh tests) lives in /usr/sbin, outside a regular user's PATH.
if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
  missing+=(openssh-server)
fi
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')

if [ "${#missing[@]}" -gt 0 ]; then
  install=(apt-get install -y --no-install-recommends "${missing[@]}")
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=none; fi
  if ! command -v apt-get >/dev/null 2>&1 || [ "${sudo[*]-}" = none ]; then
    echo "provision: missing system packages: ${missing[*]}" >&2
    echo "provision: install them with:" >&2
    echo "  sudo apt-get update && sudo ${install[*]}" >&2
    exit 1
  fi
  echo "provision: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" "${install[@]}" -qq >/dev/null
fi

# The sandbox needs unprivileged user namespaces; say exactly what is wrong when they are off.
if ! bwrap --ro-bind / / --dev /dev --proc /proc --unshare-all --unshare-user --cap-drop ALL --die-with-parent true 2>/tmp/agent-bwrap-preflight.$$; then
  echo "provision: bubblewrap cannot create a sandbox here: $(cat /tmp/agent-bwrap-preflight.$$)" >&2
  echo "provision: enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu)" >&2
  rm -f /tmp/agent-bwrap-preflight.$$
  exit 1
fi
rm -f /tmp/agent-bwrap-preflight.$$

[ -d node_modules ] || { echo "provision: run npm install first" >&2; exit 1; }
echo "provision: ok (git, openssh, bubblewrap, postgresql, chromium, dbus, gnome-keyring, socat, openssl)" >&2
