#!/usr/bin/env bash
# Runs the peer workloads W1-W4 (see ../shared/bench/peers/README.md) against OrleansQueue on this machine and
# prints one RESULT line per workload, each number as median[min..max] over REPS repetitions, like the peer scripts.
#   W1  bench submit: N no-op jobs one at a time (--in-flight 1), pipelined (--in-flight WINDOW), and batched
#       (--batch BATCH --in-flight BATCH_IN_FLIGHT, the path of submit --count)
#   RSS the silo's VmRSS with N jobs queued (right after the batched submit)
#   W2  bench drain: one WorkerHost (--concurrency 4) drains those N jobs; CPU of silo and worker over the drain. The
#       worker host is the one that drained the warm-up: it runs from the silo's start, as a worker host in production
#       does, waiting on the paused queue (pause default) while the jobs are submitted; the drain lifts the pause.
#   W3  bench latency: one idle WorkerHost (4 slots), W3_N jobs 1 ms apart, submit-to-start p50/p99/max
#   W4  bench order: W4_N jobs of random priority with no worker, then one WorkerHost with one slot (--prefetch 0)
# Every repetition runs on fresh silos (one for W1 unbatched, one for the rest) on free ports, dashboard off; each
# silo is warmed up first with WARMUP jobs (submitted, and on the second silo drained), and W3 with one unmeasured W3
# run, so that the figures are of code the JIT has compiled, as in a silo that has run a while;
# the queue is checked empty between workloads. Everything started is stopped on exit (or Ctrl-C).
# With BIG=1, after the repetitions: W2 drain of SMALL_N (10000) queued jobs, then BIG_N (1000000) batched submits,
# the RSS with them queued, and W2 drain of N jobs off that deep queue (does lease cost grow with depth?).
# With STORAGE=redis the silos run in Redis mode (--storage redis) against a redis-server this script starts on a free
# port with the append-only file on (appendfsync everysec, as REDIS_AOF=everysec ../shared/bench/peers/bullmq.sh runs
# it); the server's CPU is counted with the silo's.
# CPU per job: W1 batched and W2 print the CPU microseconds per job of every process of the run (silo, worker, client,
# redis-server), each and in all: a figure that holds on a busy machine where rates do not. Each is counted over the
# measured window only: the servers' and the worker's from /proc, the client's by the client itself (its cpuSeconds),
# as the peers' programs count theirs, so no process's start-up, connection or JIT compilation is in it.
# With GATEWAY=1 the peers' beanstalkd client program (../shared/bench/peers/beanstalkd_bench.js, jackd and fivebeans)
# runs its phases W1-W4 against beanstalkd (../shared/bench/peers/beanstalkd.sh), then the same phases against the
# silo's beanstalkd gateway (a fresh silo per phase, warmed up with WARMUP jobs through the same client): one client
# program, two servers, two RESULT lines; the CPU splits are the client's and the server's (beanstalkd / the silo).
# Each gateway phase runs on a fresh silo warmed up with a w2 of WARMUP jobs (and W3 and W4 with one unmeasured run).
# Env: GATEWAY (0|1), STORAGE (local|redis), REPS (3), N (50000), WINDOW (1000), BATCH (1000), BATCH_IN_FLIGHT (2), W3_N (2000), W4_N (1000), WARMUP (5000),
#      BIG, SMALL_N, BIG_N, PEERS (../shared/bench/peers, for GATEWAY=1),
#      BUILD=0 (skip the Release build), OUT (.oq/bench: logs and per-repetition figures).
set -uo pipefail
cd "$(dirname "$0")/.."

REPS=${REPS:-3}; N=${N:-50000}; WINDOW=${WINDOW:-1000}; BATCH=${BATCH:-1000}; BATCH_IN_FLIGHT=${BATCH_IN_FLIGHT:-2}
W3_N=${W3_N:-2000}; W4_N=${W4_N:-1000}; WARMUP=${WARMUP:-5000}
STORAGE=${STORAGE:-local}
case "$STORAGE" in local|redis) ;; *) echo "bench.sh: STORAGE is local or redis, not '$STORAGE'" >&2; exit 2 ;; esac
GATEWAY=${GATEWAY:-0}; BIG=${BIG:-0}; SMALL_N=${SMALL_N:-10000}; BIG_N=${BIG_N:-1000000}; BUILD=${BUILD:-1}
OUT=${OUT:-.oq/bench}
mkdir -p "$OUT"
REPS_FILE="$OUT/reps.txt"; : > "$REPS_FILE"
LOG="$OUT/bench.log"; : > "$LOG"
started_at=$SECONDS

log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$LOG" >&2; }
die() { log "FAILED: $*"; exit 1; }

bin() { echo "$1/bin/Release/net10.0/OrleansQueue.$1.dll"; }

# --- processes: only those this script started, stopped by PID (TERM, then KILL after a bounded wait) ---
SILO_PID=""; WORKER_PID=""; BG_PID=""; REDIS_PID=""
stop_pid() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() { stop_pid "$BG_PID"; BG_PID=""; stop_pid "$WORKER_PID"; WORKER_PID=""; stop_pid "$SILO_PID"; SILO_PID=""; stop_pid "$REDIS_PID"; REDIS_PID=""; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 40000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  return 1
}

wait_for() { # file pattern seconds [pid that must stay alive]
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if [ -n "${4:-}" ] && ! kill -0 "$4" 2>/dev/null; then log "process $4 exited before '$2' appeared in $1"; tail -5 "$1" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then log "timed out waiting for '$2' in $1"; tail -5 "$1" >&2; return 1; fi
    sleep 0.1
  done
}

start_redis() {
  command -v redis-server >/dev/null || die "STORAGE=redis needs redis-server (apt-get install redis-server)"
  REDIS_PORT=$(free_port) || die "no free port"
  rm -rf "$OUT/redis"; mkdir -p "$OUT/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly yes --appendfsync everysec \
    --dir "$OUT/redis" --daemonize no --loglevel warning >"$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "redis-server did not start (see $OUT/redis.log)"
}

start_silo() { # name; in gateway mode BEANSTALK_PORT is the beanstalk port, picked anew with the others on a retry
  stop_pid "$SILO_PID"; SILO_PID=""
  local silo_port gateway_port storage=() attempt rc
  if [ "$STORAGE" = redis ]; then
    redis-cli -p "$REDIS_PORT" flushall >/dev/null || die "redis flushall"
    storage=(--storage redis --redis "127.0.0.1:$REDIS_PORT")
  fi
  # Ports are picked while nothing listens on them, so another program can take one before the silo binds it: the silo
  # then exits with 3 (a port is taken), and it is started again on other ports.
  for attempt in 1 2 3; do
    # Three ports picked while none listens yet: they must differ.
    until silo_port=$(free_port) && gateway_port=$(free_port) || die "no free port"
      [ "$silo_port" != "$gateway_port" ] && [ "$silo_port" != "${BEANSTALK_PORT:-0}" ] && [ "$gateway_port" != "${BEANSTALK_PORT:-0}" ]
    do :; done
    SILO_GATEWAY="127.0.0.1:$gateway_port"
    : >"$OUT/silo-$1.log"   # emptied first: wait_for must not find the line a previous run left there
    dotnet "$(bin Silo)" --silo-port "$silo_port" --gateway-port "$gateway_port" --dashboard-port 0 --beanstalk-port "${BEANSTALK_PORT:-0}" "${storage[@]}" >"$OUT/silo-$1.log" 2>&1 &
    SILO_PID=$!
    wait_for "$OUT/silo-$1.log" "Silo ready" 60 "$SILO_PID" && return 0
    wait "$SILO_PID"; rc=$?; SILO_PID=""
    [ "$rc" = 3 ] || die "silo did not start (exit $rc, see $OUT/silo-$1.log)"
    log "a port of silo $1 was taken meanwhile (attempt $attempt); starting it on other ports"
    if [ "${BEANSTALK_PORT:-0}" != 0 ]; then BEANSTALK_PORT=$(free_port) || die "no free port"; fi
  done
  die "silo did not start: its ports were taken three times (see $OUT/silo-$1.log)"
}

start_worker() { # name concurrency [worker options...]
  : >"$OUT/worker-$1.log"
  dotnet "$(bin WorkerHost)" --gateway "$SILO_GATEWAY" --name "$1" --concurrency "$2" "${@:3}" >"$OUT/worker-$1.log" 2>&1 &
  WORKER_PID=$!
  wait_for "$OUT/worker-$1.log" "ready:" 60 "$WORKER_PID" || die "worker did not start (see $OUT/worker-$1.log)"
}
stop_worker() { stop_pid "$WORKER_PID"; WORKER_PID=""; }

client() { timeout 900 dotnet "$(bin ClientConsole)" --gateway "$SILO_GATEWAY" "$@"; }

# the first (top-level) "key": number of a JSON text
jnum() { grep -m1 -o "\"$1\": *[-0-9.eE+]*" <<<"$2" | head -1 | sed 's/.*: *//'; }
jstr() { grep -m1 -o "\"$1\": *\"[^\"]*\"" <<<"$2" | head -1 | sed 's/.*: *"//; s/"$//'; }
jbool() { grep -m1 -o "\"$1\": *\(true\|false\)" <<<"$2" | head -1 | sed 's/.*: *//'; }

# bounded wait until nothing is pending or processing
assert_empty() {
  local m
  for _ in $(seq 1 100); do
    m=$(client metrics --json) || die "metrics failed"
    [ "$(jnum pending "$m")" = 0 ] && [ "$(jnum processing "$m")" = 0 ] && return 0
    sleep 0.3
  done
  die "queue not empty before $1: pending $(jnum pending "$m"), processing $(jnum processing "$m")"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat" 2>/dev/null || echo 0; }
now() { date +%s.%N; }
# the client's own CPU over its measured window (cpuSeconds of its JSON), in ticks
client_ticks() { awk -v s="$(jnum cpuSeconds "$1")" -v hz="$HZ" 'BEGIN { printf "%d", s * hz + 0.5 }'; }
# CPU ticks of redis-server (0 without)
redis_ticks() { if [ -n "$REDIS_PID" ]; then cpu_ticks "$REDIS_PID"; else echo 0; fi; }
# per_job count name=ticks...: "cpu_us_per_job=total name_us=..." from tick deltas
per_job() {
  local count=$1; shift
  local total=0 parts="" kv name ticks
  for kv in "$@"; do
    name=${kv%%=*}; ticks=${kv#*=}; total=$((total + ticks))
    parts="$parts ${name}_us=$(awk -v t="$ticks" -v n="$count" -v hz="$HZ" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }')"
  done
  echo "cpu_us_per_job=$(awk -v t="$total" -v n="$count" -v hz="$HZ" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }')$parts"
}

record() { echo "$*" >> "$REPS_FILE"; log "  $*"; }

silo_rss_mib() { awk -v k="$(rss_kib "$SILO_PID")" 'BEGIN { printf "%.1f", k / 1024 }'; }
# " redis_rss_mib=…" in Redis mode (where the queued jobs' states are), nothing otherwise
redis_rss() { [ -n "$REDIS_PID" ] && awk -v k="$(rss_kib "$REDIS_PID")" 'BEGIN { printf " redis_rss_mib=%.1f", k / 1024 }'; }

submit_batched() { # count; sets out, and SUBMIT_CPU to the CPU per job of the silo, the client and redis-server
  local s0 r0 s1 r1
  s0=$(cpu_ticks "$SILO_PID"); r0=$(redis_ticks)
  out=$(client bench submit --count "$1" --batch "$BATCH" --in-flight "$BATCH_IN_FLIGHT" --json) || die "bench submit --batch $BATCH ($1 jobs)"
  s1=$(cpu_ticks "$SILO_PID"); r1=$(redis_ticks)
  SUBMIT_CPU=$(per_job "$1" silo=$((s1 - s0)) client=$(client_ticks "$out") redis=$((r1 - r0)))
}

# Between drains the queue is paused: the W2 worker host, started with the silo and kept for the warm-up and W2, waits
# (one long poll at a time) while the next jobs are submitted.
pause_queue() { client pause default 86400 >/dev/null || die "pause default"; }

# W2: the running worker host drains count jobs already queued, from when the pause is lifted; sets DRAINED
drain() { # count
  local t0 t1 s0 s1 w0 w1 r0 r1 cpu
  : >"$OUT/drain.err"
  client bench drain --count "$1" --json >"$OUT/drain.out" 2>"$OUT/drain.err" &
  BG_PID=$!
  wait_for "$OUT/drain.err" "baseline" 30 "$BG_PID" || die "bench drain did not start"
  t0=$(now); s0=$(cpu_ticks "$SILO_PID"); w0=$(cpu_ticks "$WORKER_PID"); r0=$(redis_ticks)
  client pause default 0 >/dev/null || die "lifting the pause of default"
  wait "$BG_PID" || die "bench drain failed: $(cat "$OUT/drain.err")"
  BG_PID=""
  t1=$(now); s1=$(cpu_ticks "$SILO_PID"); w1=$(cpu_ticks "$WORKER_PID"); r1=$(redis_ticks)
  out=$(cat "$OUT/drain.out")
  cpu=$(awk -v t="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v s=$((s1 - s0)) -v w=$((w1 - w0)) -v hz="$HZ" \
    'BEGIN { printf "silo_cores=%.2f worker_cores=%.2f", s / hz / t, w / hz / t }')
  DRAINED="rate_per_s=$(jnum ratePerSecond "$out") seconds=$(jnum seconds "$out") $cpu $(per_job "$1" silo=$((s1 - s0)) worker=$((w1 - w0)) client=$(client_ticks "$out") redis=$((r1 - r0)))"
}

# --- build ---
if [ "$BUILD" = 1 ]; then
  log "building (Release): Silo, WorkerHost, ClientConsole"
  for p in Silo WorkerHost ClientConsole; do
    dotnet build "$p" -c Release -v quiet -nologo -clp:ErrorsOnly >>"$LOG" 2>&1 || die "build of $p failed (see $LOG)"
  done
fi

HZ=$(getconf CLK_TCK)
[ "$STORAGE" = redis ] && start_redis

# GATEWAY=1: the beanstalkd peer's phases against beanstalkd, then against the gateway; nothing else.
if [ "$GATEWAY" = 1 ]; then
  peers=${PEERS:-../shared/bench/peers}
  [ -f "$peers/beanstalkd_bench.js" ] || die "GATEWAY=1 runs $peers/beanstalkd_bench.js, which is not there"
  command -v node >/dev/null || die "GATEWAY=1 needs node and npm"
  node_dir="$OUT/node"
  if [ ! -d "$node_dir/node_modules/jackd" ] || [ ! -d "$node_dir/node_modules/fivebeans" ]; then
    mkdir -p "$node_dir"
    (cd "$node_dir" && npm install --no-audit --no-fund jackd@2.2.2 fivebeans@1.5.0) >>"$LOG" 2>&1 || die "npm install jackd fivebeans (see $LOG)"
  fi
  log "GATEWAY=1: the phases against beanstalkd ($peers/beanstalkd.sh, REPS=$REPS N=$N)"
  REPS=$REPS N=$N bash "$peers/beanstalkd.sh" 2>>"$LOG" | grep '^RESULT' || die "beanstalkd.sh failed (see /tmp/peers/beanstalkd.log)"
  lines="$OUT/gateway.reps"; : > "$lines"
  for rep in $(seq 1 "$REPS"); do
    result=""
    for phase in w1seq w1seq5 w1pipe w2 w2procs w3 w4; do
      BEANSTALK_PORT=$(free_port) || die "no free port"
      start_silo "gw-r$rep-$phase"
      export NODE_PATH="$node_dir/node_modules" BS_PORT=$BEANSTALK_PORT SERVER_PID=$SILO_PID
      N=$WARMUP timeout 400 node --no-deprecation "$peers/beanstalkd_bench.js" w2 >/dev/null 2>>"$LOG" || die "gateway warm-up (see $LOG)"
      # W3 and W4 once more, unmeasured: their paths (a parked reserve answered by a single put) were still being
      # compiled during the measured W3 after the w2 warm-up alone (850 methods in 3 s, a fifth of the silo's CPU), and
      # its p99 halved once they were warm. (The W1 phases leave their jobs queued and check the count, so they cannot
      # run twice on one silo; their put path is the w2 fill's.)
      case $phase in w3|w4)
        W3_N=$W3_N W4_N=$W4_N timeout 400 node --no-deprecation "$peers/beanstalkd_bench.js" "$phase" >/dev/null 2>>"$LOG" || die "gateway warm-up of $phase (see $LOG)" ;;
      esac
      out=$(N=$N timeout 400 node --no-deprecation "$peers/beanstalkd_bench.js" "$phase" 2>>"$LOG") || die "gateway phase $phase (see $LOG)"
      log "  gateway rep $rep $phase: $out"
      result="$result $out"
    done
    echo "$result" >> "$lines"
  done
  cleanup
  echo "RESULT peer=orleansqueue-gateway STORAGE=$STORAGE $(node "$peers/agg.js" < "$lines")"
  exit 0
fi
for rep in $(seq 1 "$REPS"); do
  log "rep $rep/$REPS: N=$N"

  # W1 unbatched on its own silo: its jobs stay queued, and a fresh silo is quicker than draining them.
  start_silo "r$rep-w1"
  client bench submit --count "$WARMUP" --in-flight "$WINDOW" --json >/dev/null || die "warm-up submit"
  out=$(client bench submit --count "$N" --in-flight 1 --json) || die "bench submit --in-flight 1"
  record "W1_submit_seq rate_per_s=$(jnum ratePerSecond "$out") seconds=$(jnum seconds "$out")"
  out=$(client bench submit --count "$N" --in-flight "$WINDOW" --json) || die "bench submit --in-flight $WINDOW"
  record "W1_submit_pipelined in_flight=$WINDOW rate_per_s=$(jnum ratePerSecond "$out") seconds=$(jnum seconds "$out")"

  # W1 batched, then the silo's RSS with N queued, then W2 drains them.
  start_silo "r$rep"
  start_worker "r$rep-w2" 4
  pause_queue
  submit_batched "$WARMUP"
  drain "$WARMUP"
  assert_empty "W1 batched"
  pause_queue
  submit_batched "$N"
  record "W1_submit_batched batch=$BATCH in_flight=$BATCH_IN_FLIGHT rate_per_s=$(jnum ratePerSecond "$out") seconds=$(jnum seconds "$out") $SUBMIT_CPU"
  record "RSS_queued queued=$N silo_rss_mib=$(silo_rss_mib)$(redis_rss)"
  drain "$N"
  record "W2_drain workers=1x4 $DRAINED"
  stop_worker

  # W3: one worker with 4 idle slots, parked on its long poll.
  assert_empty "W3"
  start_worker "r$rep-w3" 4
  sleep 1
  # Unmeasured first: the silo's and the worker's W3 paths (single submits, a parked long poll woken per job) are not
  # the warm-up drain's, and were still being compiled during a measured run.
  client bench latency --count "$W3_N" --interval-ms 1 --json >/dev/null || die "bench latency warm-up"
  out=$(client bench latency --count "$W3_N" --interval-ms 1 --json) || die "bench latency"
  record "W3_latency count=$W3_N p50_ms=$(jnum p50Ms "$out") p99_ms=$(jnum p99Ms "$out") max_ms=$(jnum maxMs "$out") spacing_ms=$(jnum spacingMs "$out")"
  stop_worker

  # W4: the backlog first, then one worker with one slot and no prefetch: the order is read from the attempts' start
  # times, which the silo records at lease time, and the jobs of one lease share one (the worker runs held jobs in
  # lease order, a unit test shows; here each lease is one job, so the times give the order).
  assert_empty "W4"
  : >"$OUT/order.err"
  client bench order --count "$W4_N" --json >"$OUT/order.out" 2>"$OUT/order.err" &
  BG_PID=$!
  wait_for "$OUT/order.err" "submitted" 120 "$BG_PID" || die "bench order did not submit"
  start_worker "r$rep-w4" 1 --prefetch 0
  wait "$BG_PID"; rc=$?; BG_PID=""
  out=$(cat "$OUT/order.out")
  [ -n "$out" ] || die "bench order failed (rc=$rc): $(cat "$OUT/order.err")"
  violation=$(jstr violation "$out")
  record "W4_order count=$W4_N ok=$(jbool ok "$out")${violation:+ first_violation=\"${violation// /_}\"}"
  stop_worker
  assert_empty "the next repetition"
done

if [ "$BIG" = 1 ]; then
  log "BIG: W2 at $SMALL_N queued, then $BIG_N queued: RSS and W2 off the deep queue"
  start_silo big
  start_worker big 4
  pause_queue
  submit_batched "$WARMUP"
  drain "$WARMUP"
  assert_empty "W2 small"
  pause_queue
  submit_batched "$SMALL_N"
  drain "$SMALL_N"
  record "W2_drain_small queued=$SMALL_N workers=1x4 $DRAINED"
  assert_empty "the big submit"
  pause_queue
  submit_batched "$BIG_N"
  record "RSS_queued_big queued=$BIG_N silo_rss_mib=$(silo_rss_mib)$(redis_rss) submit_rate_per_s=$(jnum ratePerSecond "$out")"
  drain "$N"
  record "W2_drain_deep queued=$BIG_N workers=1x4 $DRAINED"
  stop_worker
fi
cleanup

# --- aggregate: per workload, numbers as median[min..max] (the value alone for one repetition), text as a|b ---
echo "# OrleansQueue bench $(date -u +%Y-%m-%dT%H:%M:%SZ)  STORAGE=$STORAGE  nproc=$(nproc)  cpu=\"$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')\"  dotnet=$(dotnet --version)  REPS=$REPS N=$N  took $((SECONDS - started_at)) s"
awk '
  { w = $1; if (!(w in seen)) { seen[w] = 1; order[++nw] = w }
    reps[w]++
    for (i = 2; i <= NF; i++) {
      eq = index($i, "="); k = substr($i, 1, eq - 1); v = substr($i, eq + 1)
      key = w SUBSEP k
      if (!(key in nv)) { keys[w, ++nk[w]] = k }
      vals[key, ++nv[key]] = v
    }
  }
  function dec(v) { return index(v, ".") ? length(v) - index(v, ".") : 0 }
  END {
    for (a = 1; a <= nw; a++) {
      w = order[a]; line = "RESULT workload=" w
      for (b = 1; b <= nk[w]; b++) {
        k = keys[w, b]; key = w SUBSEP k; n = nv[key]; numeric = 1; d = 0
        for (i = 1; i <= n; i++) { x[i] = vals[key, i]; if (x[i] !~ /^-?[0-9]+(\.[0-9]+)?$/) numeric = 0; if (dec(x[i]) > d) d = dec(x[i]) }
        if (numeric && n > 1) {
          for (i = 1; i <= n; i++) s[i] = x[i] + 0
          for (i = 2; i <= n; i++) { t = s[i]; j = i - 1; while (j > 0 && s[j] > t) { s[j + 1] = s[j]; j-- } s[j + 1] = t }
          med = n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
          f = "%." d "f"
          line = line " " k "=" (s[1] == s[n] ? x[1] : sprintf(f, med) "[" sprintf(f, s[1]) ".." sprintf(f, s[n]) "]")
        } else {
          delete u; out = ""
          for (i = 1; i <= n; i++) if (!(x[i] in u)) { u[x[i]] = 1; out = out (out == "" ? "" : "|") x[i] }
          line = line " " k "=" out
        }
      }
      print line " reps=" reps[w]
    }
  }' "$REPS_FILE"
