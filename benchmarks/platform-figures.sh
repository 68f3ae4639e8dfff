#!/usr/bin/env bash
# Prints the platform figures of issue 2 for the distribution built in karaf-assembly/target:
#   cold start to health UP (5 fresh unpacks, median), idle resident memory, distribution size,
#   and the time from a connector KAR dropped into deploy/ to its first delivered message.
# Runs on its own ports (39181 HTTP, 39616 broker, 39282 double), so a hub started by demo.sh is not disturbed.
# Usage: ./mvnw -B install -DskipTests && benchmarks/platform-figures.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
HTTP=39181; BROKER=39616; DOUBLE=39282; SSH=39101
ARCHIVE=$(ls karaf-assembly/target/hub-distribution-*.tar.gz | head -1)
KAR=$(ls routes/echo/connector/target/hub-connector-echo-*.kar | head -1)
WORK=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && pkill -KILL -P "$PID" 2>/dev/null; [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
now_ms() { date +%s%3N; }
setcfg() { # file key value
  local f="$1" k="$2" v="$3"; touch "$f"; grep -v "^[[:space:]]*$k[[:space:]]*=" "$f" > "$f.tmp" || true; echo "$k = $v" >> "$f.tmp"; mv "$f.tmp" "$f"; }

unpack() { # -> sets HOME_DIR
  rm -rf "$WORK/hub"; mkdir -p "$WORK/hub"; tar xzf "$ARCHIVE" -C "$WORK/hub"; HOME_DIR=$(ls -d "$WORK"/hub/*/)
  setcfg "$HOME_DIR/etc/hub.core.cfg" http.port $HTTP
  setcfg "$HOME_DIR/etc/hub.core.cfg" broker.url "amqp://127.0.0.1:$BROKER"
  printf '\nhub.broker.port = %s\n' $BROKER >> "$HOME_DIR/etc/system.properties"
  setcfg "$HOME_DIR/etc/org.apache.karaf.shell.cfg" sshPort $SSH
  setcfg "$HOME_DIR/etc/hub.double.echo.cfg" http.port $DOUBLE
}
start() { (cd "$HOME_DIR" && exec bin/karaf server >"$HOME_DIR/console.log" 2>&1) & PID=$!; }
stop() { # SIGTERM to the JVM (bin/karaf is its parent script), then wait for both to exit
  local j; j=$(pgrep -P "$PID" java || true)
  [ -n "$j" ] && kill -TERM "$j" 2>/dev/null
  wait "$PID" 2>/dev/null || true
  while [ -n "$j" ] && kill -0 "$j" 2>/dev/null; do sleep 0.2; done
  PID=; }
wait_up() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$HTTP/hub/health" >/dev/null && return 0; sleep 0.1; done; echo "no health UP" >&2; return 1; }

declare -a STARTS
for i in $(seq 1 "$RUNS"); do
  unpack
  [ "$i" = 1 ] && UNPACKED=$(du -sh "$HOME_DIR" | cut -f1)
  t0=$(now_ms); start; wait_up; t1=$(now_ms)
  STARTS+=($((t1 - t0)))
  echo "run $i: cold start to health UP ${STARTS[-1]} ms"
  [ "$i" -lt "$RUNS" ] && stop
done
MEDIAN=$(printf '%s\n' "${STARTS[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

# Last run stays up: the double at runtime, then the connector's KAR into deploy/.
PW=$(cat "$HOME_DIR/etc/hub-admin.password")
echo "feature:install hub-double-echo" | "$HOME_DIR/bin/client" -a $SSH -u admin -p "$PW" -r 10 -b >/dev/null
setcfg "$HOME_DIR/etc/hub.connector.echo.cfg" target.url "http://127.0.0.1:$DOUBLE/echo"
t0=$(now_ms); cp "$KAR" "$HOME_DIR/deploy/"
until [ "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$PW" -H 'Content-Type: application/json' -d '{"warmup":1}' "http://127.0.0.1:$HTTP/hub/in/echo/relay")" = 202 ]; do sleep 0.05; done
ID=$(curl -s -u "admin:$PW" -H 'Content-Type: application/json' -d '{"first":1}' "http://127.0.0.1:$HTTP/hub/in/echo/relay" | sed -n 's/.*"exchangeId":"\([^"]*\)".*/\1/p')
until curl -s -u "admin:$PW" "http://127.0.0.1:$HTTP/hub/api/messages/$ID" | grep -q '"state":"DELIVERED"'; do sleep 0.05; done
KAR_MS=$(( $(now_ms) - t0 ))

sleep 30
JPID=$(pgrep -P "$PID" java || echo "$PID")
RSS_KB=$(ps -o rss= -p "$JPID" | tr -d ' ')
HEAP=$(grep -o 'JAVA_MAX_MEM:-[0-9A-Za-z]*' "$HOME_DIR/bin/setenv" | cut -d- -f2)

echo
echo "== Platform figures ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo "cold start to health UP, median of $RUNS: ${MEDIAN} ms   (runs: ${STARTS[*]})"
echo "idle resident memory (broker, database, echo connector and double, 30 s idle, -Xmx$HEAP): $((RSS_KB / 1024)) MiB"
echo "distribution archive: $(du -h "$ARCHIVE" | cut -f1), unpacked: $UNPACKED, after first start and the demo exchange: $(du -sh "$HOME_DIR" | cut -f1)"
echo "connector KAR dropped into deploy/ to its first delivered message: ${KAR_MS} ms"
