#!/usr/bin/env bash
# The test command: installs what the tests need when it is missing, builds the solution once, then runs its test
# projects side by side. Extra arguments go to each `dotnet test` (e.g. --filter "FullyQualifiedName~Cli" or --logger ...).
# Needs the .NET 10 SDK; installing a package needs root or sudo (Debian/Ubuntu apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need beyond the SDK, one "command package" pair a line: the package is installed when the command is
# missing. The browser tests (tests/OrleansQueue.BrowserTests) drive Debian's chromium.
# The Redis-mode process tests (tests/OrleansQueue.EndToEndTests, Redis*) start their own redis-server on free ports.
needs=(
  "chromium chromium"
  "redis-server redis-server"
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

# One build of everything. `dotnet test OrleansQueue.sln` would run the test projects one after another, and the
# process tests spend most of their time waiting, so the projects run side by side on what this build made.
dotnet build OrleansQueue.sln "${build_args[@]}"

# Every test project of the solution. Each one's output is printed whole when it ends, never interleaved.
mapfile -t projects < <(dotnet sln OrleansQueue.sln list | grep -E '^tests/.+\.csproj$')
if [ "${#projects[@]}" -eq 0 ]; then
  echo "test.sh: OrleansQueue.sln lists no test project under tests/" >&2
  exit 1
fi
logs=$(mktemp -d)
declare -A project_of=()
stop_runs() {
  for pid in "${!project_of[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap 'stop_runs; rm -rf "$logs"' EXIT
trap 'exit 130' INT TERM

echo "test.sh: running ${#projects[@]} test projects side by side; each one's output follows when it ends" >&2
for i in "${!projects[@]}"; do
  dotnet test "${projects[$i]}" --no-build "$@" >"$logs/$i.log" 2>&1 &
  project_of[$!]=$i
done

status=0
while [ "${#project_of[@]}" -gt 0 ]; do
  finished=""
  wait -n -p finished "${!project_of[@]}" && code=0 || code=$?
  i=${project_of[$finished]}
  unset "project_of[$finished]"
  cat "$logs/$i.log"
  if [ "$code" -ne 0 ]; then
    echo "test.sh: ${projects[$i]} failed (exit $code)" >&2
    status=1
  fi
done
exit "$status"
