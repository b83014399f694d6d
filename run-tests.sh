#!/usr/bin/env bash
# All tests, including the Arquillian container tests against a real Keycloak: installs the Debian packages
# the tests use when they are missing, then runs `mvn -B verify` with this script's arguments.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests need. Extend this list when a test needs another one.
TEST_PACKAGES=(nginx jq curl chromium chromium-driver postgresql openssl apache2 libapache2-mod-auth-openidc)

missing=()
for package in "${TEST_PACKAGES[@]}"; do
  # `dpkg -s` also succeeds for a removed package whose config files remain: check its status line.
  if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed'; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  install_line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "run-tests.sh: missing Debian packages: ${missing[*]}. Install them as root, then run this again:" >&2
    echo "  sudo sh -c '$install_line'" >&2
    exit 1
  fi
  echo "run-tests.sh: installing ${missing[*]}" >&2
  # Package scripts would start the services they install (nginx on :80, PostgreSQL on :5432). The tests
  # start their own instances on their own ports, so services stay down: policy-rc.d exit 101 forbids
  # starting them, put in place only for the install when the machine has none.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    trap 'rm -f "$policy"' EXIT
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
  if [[ -n $(trap -p EXIT) ]]; then
    rm -f "$policy"
    trap - EXIT
  fi
fi

exec mvn -B verify "$@"
