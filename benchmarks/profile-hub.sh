#!/usr/bin/env bash
# Records where a fresh hub spends its CPU under the benchmark's load: the echo flow (16 consumers) to the echo double,
# 10,000 messages of warm-up, then a JFR recording (settings=profile) of N (30,000) from 32 closed-loop senders, then
# the summary of benchmarks/JfrShares (CPU samples by thread group, by hub method on the stack, by top frame).
# Usage, after ./mvnw -B install -DskipTests: benchmarks/profile-hub.sh [OUT.jfr]
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-30000}
OUT=${1:-$ROOT/benchmarks/target/hub-profile.jfr}
. benchmarks/hub-instance.sh
run() { java -cp "$ROOT/benchmarks/target/classes" fr.aisne.hub.benchmarks.ExchangeThroughput \
  "http://127.0.0.1:$HTTP/hub/in/echo/relay" "http://127.0.0.1:$BARE/bench/relay" "http://127.0.0.1:$DOUBLE/echo" \
  "admin:$PW" "$1" 32 1000 hub-only 2>&1 | grep -E "^hub"; }
unpack; start; wait_up || exit 1
client "feature:install hub-double-echo"
kar_to_first_delivery > /dev/null
both_paths_with_16_consumers
run 10000 > /dev/null
J=$(jvm_pid)
jcmd "$J" JFR.start name=hub settings=profile > /dev/null
run "$N"
jcmd "$J" JFR.dump name=hub filename="$OUT" > /dev/null
stop
java "$ROOT/benchmarks/src/main/java/fr/aisne/hub/benchmarks/JfrShares.java" "$OUT"
