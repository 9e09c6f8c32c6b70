#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, builds the solution once, then runs its test
# projects side by side. Extra arguments go to each `dotnet test` (e.g. --filter "FullyQualifiedName~Cli" or --logger ...).
# Needs the .NET 10 SDK; installing a package needs root or sudo (Debian/Ubuntu apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need beyond the SDK, one "command package" pair a line: the package is installed when the command is
# missing. The browser tests (tests/OrleansQueue.BrowserTests) drive Debian's chromium.
# The Redis-mode process tests (tests/OrleansQueue.EndToEndTests, Redis*) start their own redis-server on free ports.
# The beanstalk protocol tests (tests/OrleansQueue.EndToEndTests/Beanstalk) run against a real beanstalkd as well.
# The TLS cluster tests make their certificates with scripts/dev-certs.sh, which runs openssl.
# The beanstalk client-library tests (NodeClientTests) install fivebeans with npm ci and run it with node.
needs=(
  "chromium chromium"
  "redis-server redis-server"
  "beanstalkd beanstalkd"
  "openssl openssl"
  "node nodejs"
  "npm npm"
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

# The configuration, if one is asked for, goes to the build as well: the runs below use what it built.
build_args=()
previous=""
for arg in "$@"; do
  case "$previous" in -c|--configuration) build_args=(--configuration "$arg") ;; esac
  case "$arg" in -c=*|--configuration=*) build_args=(--configuration "${arg#*=}") ;; esac
  previous=$arg
done

# One build of everything, then the tests on what it built. `dotnet test OrleansQueue.sln` ran the test projects one
# after another. The end-to-end project takes longest and mostly waits on its processes, so it runs in one lane while
# every other test project runs, one after another, in a second lane: no more than two projects share the machine.
dotnet build OrleansQueue.sln "${build_args[@]}"

mapfile -t projects < <(dotnet sln OrleansQueue.sln list | grep -E '^tests/.+\.csproj$')
if [ "${#projects[@]}" -eq 0 ]; then
  echo "test.sh: OrleansQueue.sln lists no test project under tests/" >&2
  exit 1
fi
long=tests/OrleansQueue.EndToEndTests/OrleansQueue.EndToEndTests.csproj
others=()
for project in "${projects[@]}"; do
  [ "$project" = "$long" ] || others+=("$project")
done

logs=$(mktemp -d)
lanes=()
trap 'for pid in "${lanes[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$logs"' EXIT
trap 'exit 130' INT TERM

# Runs the given projects one after another; each one's output is printed whole when it ends, never interleaved.
run_lane() {
  local lane_status=0 project log
  for project in "$@"; do
    log="$logs/$(basename "$project" .csproj).log"
    dotnet test "$project" --no-build "${test_args[@]}" >"$log" 2>&1 || {
      echo "test.sh: $project failed" >>"$log"
      lane_status=1
    }
    cat "$log"
  done
  return "$lane_status"
}

test_args=("$@")
echo "test.sh: running the test projects in two lanes; each one's output follows when it ends" >&2
if printf '%s\n' "${projects[@]}" | grep -qxF "$long"; then
  run_lane "$long" &
  lanes+=($!)
fi
run_lane "${others[@]}" &
lanes+=($!)

status=0
for pid in "${lanes[@]}"; do
  wait "$pid" || status=1
done
lanes=()
exit "$status"
