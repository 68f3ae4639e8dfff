#!/usr/bin/env bash
# Compares garbage collectors on the exchange core (docs/FIGURES.md, "Third pass"): for each collector option given,
# twice, alternated, a fresh hub (benchmarks/hub-instance.sh) started with HUB_GC=<option> (bin/setenv), the collector
# read back from the running JVM (jcmd VM.flags), the time from the echo connector's KAR to its first delivery, then
# 10,000 warm-up messages through each path and N (30,000) through the bare relay and the echo flow.
# Usage: ./mvnw -B install -DskipTests && benchmarks/collector-ab.sh -XX:+UseG1GC -XX:+UseParallelGC
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-30000}
. benchmarks/hub-instance.sh

one() { # collector option
  unpack
  HUB_GC="$1" start; wait_up || return 1
  # VM.flags without -all lists only non-default flags: G1, chosen by ergonomics, would not show
  echo "== $1: running JVM has $(jcmd "$(jvm_pid)" VM.flags -all | awk '$2 ~ /^Use(G1|Parallel|Serial|Z|Shenandoah)GC$/ && $4 == "true" {print $2}')"
  measure_pair_and_stop
}
for _ in 1 2; do
  for gc in "$@"; do one "$gc"; done
done
