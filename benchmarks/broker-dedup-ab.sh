#!/usr/bin/env bash
# Compares the broker's duplicate detection as shipped (etc/artemis.xml: persist-id-cache true, an ID record in the
# broker's journal for every send) against the same without the persisted ID cache (docs/FIGURES.md, "Fifth pass"):
# twice, alternated, a fresh hub (benchmarks/hub-instance.sh) per line, the setting read back from the unpacked
# etc/artemis.xml, then 10,000 warm-up messages through each path and N (30,000) through the bare relay and the echo
# flow. The bare relay sends no duplicate-detection id: it is the same in both lines, the machine's yardstick.
# Usage: ./mvnw -B install -DskipTests && benchmarks/broker-dedup-ab.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-30000}
. benchmarks/hub-instance.sh

one() { # persisted | not-persisted
  unpack
  if [ "$1" = not-persisted ]; then
    sed -i 's#<persist-id-cache>true</persist-id-cache>#<persist-id-cache>false</persist-id-cache>#' "$HOME_DIR/etc/artemis.xml"
  fi
  echo "== $1: $(grep -o '<persist-id-cache>[a-z]*' "$HOME_DIR/etc/artemis.xml")"
  start; wait_up || return 1
  measure_pair_and_stop
}
for _ in 1 2; do
  for m in persisted not-persisted; do one "$m"; done
done
