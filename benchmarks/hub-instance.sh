# Sourced by the benchmark scripts: a fresh hub unpacked from karaf-assembly/target on its own ports (39181 HTTP,
# 39616 broker, 39282 echo double, 39101 SSH), so that a hub started by demo.sh is not disturbed. ARCHIVE, BARE_JAR and
# ECHO_KAR may name another build's artefacts (benchmarks/builds-ab.sh).
# Defines: unpack, start, stop, wait_up, setcfg, now_ms, client, jvm_pid, kar_to_first_delivery,
# both_paths_with_16_consumers, measure_pair_and_stop; sets HOME_DIR, PID, PW.
HTTP=39181; BROKER=39616; DOUBLE=39282; SSH=39101; BARE=39383
ARCHIVE=${ARCHIVE:-$(ls "$ROOT"/karaf-assembly/target/hub-distribution-*.tar.gz | head -1)}
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
  setcfg "$HOME_DIR/etc/hub.connector.echo.cfg" target.url "http://127.0.0.1:$DOUBLE/echo"
}
start() { (cd "$HOME_DIR" && exec bin/karaf server >"$HOME_DIR/console.log" 2>&1) & PID=$!; }
stop() { # SIGTERM to the JVM (bin/karaf is its parent script), then wait for both to exit
  local j; j=$(pgrep -P "$PID" java || true)
  [ -n "$j" ] && kill -TERM "$j" 2>/dev/null
  wait "$PID" 2>/dev/null || true
  while [ -n "$j" ] && kill -0 "$j" 2>/dev/null; do sleep 0.2; done
  PID=; }
wait_up() { for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$HTTP/hub/health" >/dev/null && PW=$(cat "$HOME_DIR/etc/hub-admin.password") && return 0; sleep 0.1; done; echo "no health UP" >&2; return 1; }
client() { echo "$1" | "$HOME_DIR/bin/client" -a $SSH -u admin -p "$PW" -r 10 -b >/dev/null; }
jvm_pid() { pgrep -P "$PID" java || echo "$PID"; }
# Milliseconds from the echo connector's KAR copied into deploy/ to its first message DELIVERED (double installed).
kar_to_first_delivery() {
  local kar t0 id; kar=${ECHO_KAR:-$(ls "$ROOT"/routes/echo/connector/target/hub-connector-echo-*.kar | head -1)}
  t0=$(now_ms); cp "$kar" "$HOME_DIR/deploy/"
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -u "admin:$PW" -H 'Content-Type: application/json' -d '{"warmup":1}' "http://127.0.0.1:$HTTP/hub/in/echo/relay")" = 202 ]; do sleep 0.05; done
  id=$(curl -s -u "admin:$PW" -H 'Content-Type: application/json' -d '{"first":1}' "http://127.0.0.1:$HTTP/hub/in/echo/relay" | sed -n 's/.*"exchangeId":"\([^"]*\)".*/\1/p')
  until curl -s -u "admin:$PW" "http://127.0.0.1:$HTTP/hub/api/messages/$id" | grep -q '"state":"DELIVERED"'; do sleep 0.05; done
  echo $(( $(now_ms) - t0 ))
}
# The echo flow (its connector installed) and the bare relay (dropped into deploy/), both delivering with 16 consumers.
both_paths_with_16_consumers() {
  setcfg "$HOME_DIR/etc/hub.connector.echo.cfg" delivery.concurrency 16
  printf 'http.port = %s\nconsumers = 16\ntarget.url = http://127.0.0.1:%s/echo\n' $BARE $DOUBLE > "$HOME_DIR/etc/hub.bench.relay.cfg"
  cp "${BARE_JAR:-$(ls "$ROOT"/benchmarks/bare-relay/target/hub-bench-bare-relay-*.jar | head -1)}" "$HOME_DIR/deploy/"
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$BARE/bench/relay")" = 202 ] && break; sleep 0.1; done
  sleep 3 # the echo connector's routes rebuilt with the new concurrency
}
# On a started hub: the echo double installed, the KAR-to-first-delivery time, then both paths (16 consumers each)
# warmed with 10,000 messages and measured with N (30,000) from 32 closed-loop senders; prints the bare, hub and
# ratio lines, then stops the hub. For A/B scripts that start one fresh hub per line.
measure_pair_and_stop() {
  client "feature:install hub-double-echo"
  echo "connector KAR dropped into deploy/ to its first delivered message: $(kar_to_first_delivery) ms"
  both_paths_with_16_consumers
  java -cp "$ROOT/benchmarks/target/classes" fr.aisne.hub.benchmarks.ExchangeThroughput \
    "http://127.0.0.1:$HTTP/hub/in/echo/relay" "http://127.0.0.1:$BARE/bench/relay" "http://127.0.0.1:$DOUBLE/echo" \
    "admin:$PW" "${N:-30000}" 32 1000 floor 2>&1 | grep -E "^(bare|hub|ratio)"
  stop
}
