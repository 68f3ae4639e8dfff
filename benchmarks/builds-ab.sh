#!/usr/bin/env bash
# Compares two builds of the hub on this machine: A = the artefacts copied into $A_DIR from another checkout's build
# (its karaf-assembly/target/hub-distribution-*.tar.gz, benchmarks/bare-relay/target/hub-bench-bare-relay-*.jar and
# routes/echo/connector/target/hub-connector-echo-*.kar), B = this checkout's build. Alternated, a fresh hub per
# line (benchmarks/hub-instance.sh), ROUNDS (2) times: 10,000 warm-up messages through each path, then N (30,000)
# through the bare relay and the echo flow. Each build runs its own bare relay, so each line's ratio compares like
# with like; the bare relay's own swing between lines shows the machine's noise. Used for docs/FIGURES.md, "Sixth
# pass" (the broker reached in-VM with Artemis's own client against AMQP over loopback; that build had no broker
# port, so hub-instance.sh then left its broker.url alone).
# Usage: A_DIR=/path/to/artefacts benchmarks/builds-ab.sh   (after ./mvnw -B install -DskipTests here)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-30000}
: "${A_DIR:?A_DIR must name the directory of the artefacts of build A}"
. benchmarks/hub-instance.sh
B_ARCHIVE=$ARCHIVE

one() { # A | B
  if [ "$1" = A ]; then
    ARCHIVE=$(ls "$A_DIR"/hub-distribution-*.tar.gz); BARE_JAR=$(ls "$A_DIR"/hub-bench-bare-relay-*.jar)
    ECHO_KAR=$(ls "$A_DIR"/hub-connector-echo-*.kar)
  else
    ARCHIVE=$B_ARCHIVE; unset BARE_JAR ECHO_KAR
  fi
  unpack
  echo "== build $1: broker.url $(sed -n 's/^broker.url *= *//p' "$HOME_DIR/etc/hub.core.cfg" | tail -1)"
  start; wait_up || return 1
  measure_pair_and_stop
}
for _ in $(seq 1 "${ROUNDS:-2}"); do
  for m in A B; do one "$m"; done
done
