# Sourced by demo.sh and cluster.sh: the built executables, and the background processes a script starts, all stopped
# when it ends (SIGTERM, then SIGKILL after 10 s). Add each one's pid to "pids".
bin() { echo "$1/bin/Release/net10.0/OrleansQueue.$1.dll"; }
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

wait_for() { # file pattern seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; exit 1; fi
    sleep 0.2
  done
}
