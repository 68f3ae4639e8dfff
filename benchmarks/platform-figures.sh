#!/usr/bin/env bash
# Prints the platform figures of issue 2 for the distribution built in karaf-assembly/target:
#   cold start to health UP (5 fresh unpacks, median), idle resident memory, distribution size,
#   and the time from a connector KAR dropped into deploy/ to its first delivered message.
# Runs on its own ports (39181 HTTP, 39616 broker, 39282 double), so a hub started by demo.sh is not disturbed.
# Usage: ./mvnw -B install -DskipTests && benchmarks/platform-figures.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
ROOT=$(pwd)
. benchmarks/hub-instance.sh

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
client "feature:install hub-double-echo"
KAR_MS=$(kar_to_first_delivery)

sleep 30
JPID=$(jvm_pid)
RSS_KB=$(ps -o rss= -p "$JPID" | tr -d ' ')
HEAP=$(jcmd "$JPID" VM.flags 2>/dev/null | tr ' ' '\n' | sed -n 's/-XX:MaxHeapSize=//p'); HEAP=$((HEAP / 1048576))m

echo
echo "== Platform figures ($(nproc) cores, $(date -u +%Y-%m-%d))"
echo "cold start to health UP, median of $RUNS: ${MEDIAN} ms   (runs: ${STARTS[*]})"
echo "idle resident memory (broker, database, echo connector and double, 30 s idle, -Xmx$HEAP): $((RSS_KB / 1024)) MiB"
echo "distribution archive: $(du -h "$ARCHIVE" | cut -f1), unpacked: $UNPACKED, after first start and the demo exchange: $(du -sh "$HOME_DIR" | cut -f1)"
echo "connector KAR dropped into deploy/ to its first delivered message: ${KAR_MS} ms"
