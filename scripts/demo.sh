#!/usr/bin/env bash
# Runs the whole system on this machine: a localhost silo, two worker hosts and a sample workload like the
# job servers it replaces (TRANSCODE_VIDEO, CALCULATE_FINANCE, CLEANUP_LOGS, SEND_NOTIFICATION), then shows the
# jobs finishing, their status and the metrics. Everything it starts is stopped when it ends (or on Ctrl-C).
#   SILO_PORT (11111), GATEWAY_PORT (30000), DASHBOARD_PORT (8080), BEANSTALK_PORT (11300): where the silo listens.   LOGS (.oq/logs): logs.
set -euo pipefail
cd "$(dirname "$0")/.."

silo_port=${SILO_PORT:-11111}
gateway_port=${GATEWAY_PORT:-30000}
dashboard_port=${DASHBOARD_PORT:-8080}
beanstalk_port=${BEANSTALK_PORT:-11300}
logs=${LOGS:-.oq/logs}
gateway="127.0.0.1:$gateway_port"
mkdir -p "$logs"

for port in "$silo_port" "$gateway_port" "$dashboard_port" "$beanstalk_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use (another silo?). Stop it, or run: SILO_PORT=21111 GATEWAY_PORT=23000 DASHBOARD_PORT=28080 BEANSTALK_PORT=21300 $0" >&2
    exit 1
  fi
done

echo "== building (Release)"
dotnet build OrleansQueue.sln -c Release -v quiet -nologo -clp:ErrorsOnly

# shellcheck source=scripts/processes.sh
source scripts/processes.sh

echo "== starting the silo (silo port $silo_port, gateway $gateway); log: $logs/silo.log"
dotnet "$(bin Silo)" --silo-port "$silo_port" --gateway-port "$gateway_port" --dashboard-port "$dashboard_port" --beanstalk-port "$beanstalk_port" >"$logs/silo.log" 2>&1 &
pids+=($!)
wait_for "$logs/silo.log" "Silo ready" 60
echo "   dashboard: http://127.0.0.1:$dashboard_port/  (open it while the demo runs)"


echo "== submitting the sample workload through the interactive client (the old servers' SUBMIT protocol)"
client() { dotnet "$(bin ClientConsole)" --gateway "$gateway" "$@"; }
client >"$logs/submit.out" <<'JOBS'
SUBMIT CLEANUP_LOGS --data='{"durationMs":2000,"result":"removed 42 old log files"}' --priority=8
SUBMIT CALCULATE_FINANCE --data='{"durationMs":5000,"result":"Q3 balance: 1,234,567.89"}' --priority=2
SUBMIT TRANSCODE_VIDEO --data='{"durationMs":3000,"result":"video.mp4 -> 720p, 1080p"}' --priority=1 --retries=3 --deadline=300
SUBMIT SEND_NOTIFICATION --data='{"durationMs":1000,"result":"sent to 3 subscribers"}' --priority=0
SUBMIT TRANSCODE_VIDEO --data='{"durationMs":3000,"result":"intro.mov -> 720p"}' --priority=1
SUBMIT SEND_NOTIFICATION --data='{"durationMs":1000,"result":"sent to 1 subscriber"}' --priority=0
SUBMIT CLEANUP_LOGS --data='{"durationMs":2000,"result":"removed 7 temp files"}' --priority=9
SUBMIT CALCULATE_FINANCE --data='{"durationMs":5000,"fail":true,"error":"ledger locked"}' --priority=3 --retries=1 --deadline=60
JOBS
mapfile -t ids <"$logs/submit.out"
printf '   submitted %s\n' "${ids[@]}"

# The workers start after the backlog is queued, so they take it in priority order.
for n in 1 2; do
  echo "== starting worker-$n (2 slots); log: $logs/worker-$n.log"
  # Per-job lines are at Debug level (a busy worker would log thousands a second); the demo shows them.
  env Logging__LogLevel__OrleansQueue.Worker.Running.JobRunner=Debug \
    dotnet "$(bin WorkerHost)" --gateway "$gateway" --name "worker-$n" --concurrency 2 >"$logs/worker-$n.log" 2>&1 &
  pids+=($!)
done
wait_for "$logs/worker-1.log" "ready:" 60
wait_for "$logs/worker-2.log" "ready:" 60

echo "== watching until every job has finished"
deadline=$((SECONDS + 90))
while :; do
  m=$(client metrics --json)
  top() { grep -m1 -o "\"$1\": *[0-9]*" <<<"$m" | grep -o '[0-9]*$'; }   # the first, top-level key
  pending=$(top pending); processing=$(top processing); completed=$(top completed); failed=$(top failed)
  printf '   %(%H:%M:%S)T  pending %s  processing %s  completed %s  failed %s\n' -1 "$pending" "$processing" "$completed" "$failed"
  [ "$pending" = 0 ] && [ "$processing" = 0 ] && break
  if [ $SECONDS -ge $deadline ]; then echo "jobs did not finish in time; see $logs" >&2; exit 1; fi
  sleep 1
done

echo "== the order the workers started them (each lease takes the most important first, FIFO within a priority;
   the jobs of one lease start side by side, so their lines may swap by a millisecond)"
grep -h "started:" "$logs"/worker-*.log | sort | sed -E 's/^([0-9:.]+) .* Worker:([^ ]+) JobType:[^ ]+ (Job .*)$/   \1  \2  \3/'

echo "== status of the first TRANSCODE_VIDEO job"
client status "${ids[2]}"

echo "== the job that failed (retried once, then FAILED with its last error)"
client list --status failed

echo "== metrics"
client metrics
