#!/usr/bin/env bash
# Compares two builds of one hub bundle on the exchange core: the distribution as built ("built") against the same
# distribution with that bundle replaced by another jar ("other", e.g. hub-core built from an earlier commit),
# alternated, a fresh hub each time (benchmarks/hub-instance.sh), both paths measured in each hub: 10,000 warm-up
# messages through each, then N (30,000) through the bare relay and the echo flow. The bare relay, identical in
# both, shows how fast the machine was during each line. The other jar must fit the rest of the distribution
# (same packages imported and exported).
# Usage: ./mvnw -B install -DskipTests && benchmarks/bundle-ab.sh <other.jar> [ROUNDS (2)]
#   e.g. git worktree add ../hub-old <commit> && (cd ../hub-old && ./mvnw -o -q -pl bundles/hub-core package -DskipTests)
#        benchmarks/bundle-ab.sh ../hub-old/bundles/hub-core/target/hub-core-0.1.0-SNAPSHOT.jar
set -uo pipefail
OTHER=$(realpath "$1")
ROUNDS=${2:-2}
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${N:-30000}
. benchmarks/hub-instance.sh

one() { # built | other
  unpack
  if [ "$1" = other ]; then
    local target
    target=$(find "$HOME_DIR/system" -name "$(basename "$OTHER")" | head -1)
    [ -n "$target" ] || { echo "no $(basename "$OTHER") in the distribution's system/ folder" >&2; return 1; }
    cp "$OTHER" "$target"
  fi
  start; wait_up || return 1
  echo "== $1"
  measure_pair_and_stop
}
for _ in $(seq 1 "$ROUNDS"); do
  one built
  one other
done
