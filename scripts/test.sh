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
  # Without the recommended packages (a quarter of the 500 these pull in): the tests need none of them, and CI installs
  # on a fresh machine every run.
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The configuration, if one is asked for, goes to the build as well: the runs below use what it built.
build_args=()
previous=""
for arg in "$@"; do
  case "$previous" in -c|--configuration) build_args=(--configuration "$arg") ;; esac
  case "$arg" in -c=*|--configuration=*) build_args=(--configuration "${arg#*=}") ;; esac
  previous=$arg
done

# One build of everything, then the tests on what it built, in two lanes so that no more than two test runs share the
# machine. The end-to-end project takes longest and mostly waits on its processes: most of it runs in the first lane,
# while the second runs every other test project, one after another, and then the end-to-end tests that need no
# process of their own beyond one shared server (the beanstalkd protocol tests, the TLS tests' one silo) or only silos
# that exit at start (the silo's refusals of bad settings and storage), which would otherwise make the first lane the whole run. With a --filter of your own, the end-to-end project runs whole in the first lane.
dotnet build OrleansQueue.sln "${build_args[@]}"

mapfile -t projects < <(dotnet sln OrleansQueue.sln list | grep -E '^tests/.+\.csproj$')
if [ "${#projects[@]}" -eq 0 ]; then
  echo "test.sh: OrleansQueue.sln lists no test project under tests/" >&2
  exit 1
fi
long=tests/OrleansQueue.EndToEndTests/OrleansQueue.EndToEndTests.csproj
# The end-to-end tests that run in the second lane; the first lane runs the rest of the project.
moved_tests=(Beanstalk. SiloRefusalTests. SiloConfigurationTests. TlsClusterTests.)
moved=""; kept=""
for name in "${moved_tests[@]}"; do
  moved+="${moved:+|}FullyQualifiedName~OrleansQueue.EndToEndTests.$name"
  kept+="${kept:+&}FullyQualifiedName!~OrleansQueue.EndToEndTests.$name"
done
own_filter=0
for arg in "$@"; do
  case "$arg" in --filter|--filter=*) own_filter=1 ;; esac
done

first=()
second=()
for project in "${projects[@]}"; do
  [ "$project" = "$long" ] || second+=("$project")
done
if printf '%s\n' "${projects[@]}" | grep -qxF "$long"; then
  if [ "$own_filter" = 1 ]; then
    first+=("$long")
  else
    first+=("$long|$kept")
    second+=("$long|$moved")
  fi
fi

logs=$(mktemp -d)
lanes=()
trap 'for pid in "${lanes[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$logs"' EXIT
trap 'exit 130' INT TERM

# Runs the given runs ("project" or "project|filter") one after another; each one's output is printed whole when it
# ends, never interleaved.
run_lane() {
  local lane_status=0 run project filter log
  local -a filter_args
  for run in "$@"; do
    project=${run%%|*}
    filter=""
    filter_args=()
    if [ "$project" != "$run" ]; then
      filter=${run#*|}
      filter_args=(--filter "$filter")
    fi
    log=$(mktemp "$logs/$(basename "$project" .csproj).XXXX")
    dotnet test "$project" --no-build "${filter_args[@]}" "${test_args[@]}" >"$log" 2>&1 || {
      echo "test.sh: $project${filter:+ ($filter)} failed" >>"$log"
      lane_status=1
    }
    cat "$log"
  done
  return "$lane_status"
}

test_args=("$@")
echo "test.sh: running the tests in two lanes; each run's output follows when it ends" >&2
if [ "${#first[@]}" -gt 0 ]; then
  run_lane "${first[@]}" &
  lanes+=($!)
fi
run_lane "${second[@]}" &
lanes+=($!)

status=0
for pid in "${lanes[@]}"; do
  wait "$pid" || status=1
done
lanes=()
exit "$status"
