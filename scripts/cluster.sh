#!/usr/bin/env bash
# A durable cluster on this machine: a Redis server (append-only file on, fsync every second), three silos in Redis
# mode and two workers that find them through Redis. It queues 300 jobs of 1.5 s, kills one silo with SIGKILL a quarter of the way,
# and shows every job finish on the two that are left. Everything it starts is stopped when it ends (or on Ctrl-C).
#   REDIS_PORT (a free port), JOBS (300), DATA (.oq/redis): where Redis keeps its data.   LOGS (.oq/logs/cluster): logs.
set -euo pipefail
cd "$(dirname "$0")/.."

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
jobs_total=${JOBS:-300}
redis_port=${REDIS_PORT:-$(free_port)}
data=${DATA:-.oq/redis}
logs=${LOGS:-.oq/logs/cluster}
cluster_id="cluster-$(date +%s)"
mkdir -p "$data" "$logs"
data=$(cd "$data" && pwd)

if ! command -v redis-server >/dev/null; then
  echo "== installing Debian's redis-server"
  as_root=""
  [ "$(id -u)" -ne 0 ] && as_root="sudo"
  $as_root apt-get update -qq && $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

echo "== building (Release)"
dotnet build OrleansQueue.sln -c Release -v quiet -nologo -clp:ErrorsOnly

# shellcheck source=scripts/processes.sh
source scripts/processes.sh

echo "== starting redis-server on 127.0.0.1:$redis_port, append-only file in $data; log: $logs/redis.log"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly yes --appendfsync everysec --dir "$data" >"$logs/redis.log" 2>&1 &
pids+=($!)
redis="127.0.0.1:$redis_port"
until redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; do sleep 0.1; done

# Failure detection for a demo: a killed silo is declared dead in about 2 s (see the README for production settings).
fast=(--Membership:ProbeTimeout=00:00:01 --Membership:TableRefreshTimeout=00:00:02 --Membership:IAmAliveTablePublishTimeout=00:00:02)
silo_pids=()
for n in 1 2 3; do
  silo_port=$(free_port); gateway_port=$(free_port)
  echo "== starting silo-$n (silo port $silo_port, gateway $gateway_port); log: $logs/silo-$n.log"
  dotnet "$(bin Silo)" --storage redis --redis "$redis" --cluster-id "$cluster_id" --silo-port "$silo_port" \
    --gateway-port "$gateway_port" --dashboard-port 0 --beanstalk-port 0 "${fast[@]}" >"$logs/silo-$n.log" 2>&1 &
  pids+=($!); silo_pids+=($!)
done
for n in 1 2 3; do wait_for "$logs/silo-$n.log" "Silo ready" 90; done

# A generous connect timeout: on a busy machine the first connection through Redis can take more than the default 5 s.
client() { dotnet "$(bin ClientConsole)" --redis "$redis" --cluster-id "$cluster_id" --connect-timeout 30 "$@"; }

echo "== queueing $jobs_total jobs of 1.5 s (priorities 0-9) through Redis"
for p in $(seq 0 9); do
  client submit CLUSTER_DEMO --data '{"durationMs":1500}' --priority "$p" --count $((jobs_total / 10)) >>"$logs/ids.txt"
done
echo "   $(wc -l <"$logs/ids.txt") jobs queued"

for n in 1 2; do
  echo "== starting worker-$n (8 slots, finds the silos in Redis); log: $logs/worker-$n.log"
  dotnet "$(bin WorkerHost)" --redis "$redis" --cluster-id "$cluster_id" --name "worker-$n" --concurrency 8 >"$logs/worker-$n.log" 2>&1 &
  pids+=($!)
done

victim=${silo_pids[0]}
killed=""
deadline=$((SECONDS + 180))
while :; do
  m=$(client metrics --json) || { echo "   (metrics did not answer; the cluster may be failing over)"; sleep 1; continue; }
  top() { grep -m1 -o "\"$1\": *[0-9]*" <<<"$m" | grep -o '[0-9]*$'; }   # the first, top-level key
  pending=$(top pending); processing=$(top processing); completed=$(top completed); failed=$(top failed)
  printf '   %(%H:%M:%S)T  pending %s  processing %s  completed %s  failed %s\n' -1 "$pending" "$processing" "$completed" "$failed"
  if [ -z "$killed" ] && [ "$completed" -ge $((jobs_total / 4)) ]; then
    echo "== kill -9 silo-1 (pid $victim): its shards and job grains come back on silo-2 and silo-3"
    kill -KILL "$victim"; killed=1
  fi
  [ "$pending" = 0 ] && [ "$processing" = 0 ] && [ -n "$killed" ] && break
  if [ $SECONDS -ge $deadline ]; then echo "jobs did not finish in time; see $logs" >&2; exit 1; fi
  sleep 1
done

echo "== every job's status (counted from its own record in Redis)"
mapfile -t ids <"$logs/ids.txt"
printf '%s\n' "${ids[@]}" | sed 's/^/JOB_STATUS /' | client | grep -o '^status: *[A-Z]*' | sort | uniq -c

echo "== the workers' summaries, and what the silos logged about the death and the recovery"
grep -h "completed\|ready" "$logs"/worker-*.log | grep -v "^$" | tail -4
grep -h "Stored-job sweep\|declared dead\|Declaring" "$logs"/silo-2.log "$logs"/silo-3.log | cut -c1-200 | head -5 || true

echo "== metrics"
client metrics
