#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, then runs every test of the solution.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Cli" or --logger ...).
# Needs the .NET 10 SDK; installing a package needs root or sudo (Debian/Ubuntu apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need beyond the SDK, one "command package" pair a line: the package is installed when the command is
# missing. The browser tests (tests/OrleansQueue.BrowserTests) drive Debian's chromium.
# The Redis-mode process tests (tests/OrleansQueue.EndToEndTests, Redis*) start their own redis-server on free ports.
# The beanstalk protocol tests (tests/OrleansQueue.EndToEndTests/Beanstalk) run against a real beanstalkd as well.
# The TLS cluster tests make their certificates with scripts/dev-certs.sh, which runs openssl.
needs=(
  "chromium chromium"
  "redis-server redis-server"
  "beanstalkd beanstalkd"
  "openssl openssl"
)

missing=()
for need in "${needs[@]}"; do
  read -r command package <<<"$need"
  command -v "$command" >/dev/null 2>&1 || missing+=("$package")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} (needed by the tests)" >&2
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "test.sh: ${missing[*]} missing, and installing needs root or sudo" >&2; exit 1; }
    as_root=(sudo)
  fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

exec dotnet test OrleansQueue.sln "$@"
