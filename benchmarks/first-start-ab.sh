#!/usr/bin/env bash
# First start of two builds, alternated: a fresh unpack each time, the echo double and connector added to featuresBoot
# (as KarafProcess and an operator's distribution with its connectors at boot), then bin/karaf server until
# /hub/health is UP. Prints, per start: time to UP, the core's activation time, and the broker connections that
# failed meanwhile (the stall PLATFORM-NOTES explains under "Why the encryption service came late").
# Usage: A_ARCHIVE=old.tar.gz [B_ARCHIVE=new.tar.gz] [RUNS=3] [BARE=1: featuresBoot as shipped] benchmarks/first-start-ab.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
A_ARCHIVE=${A_ARCHIVE:?set A_ARCHIVE to the other build\'s distribution archive}
B_ARCHIVE=${B_ARCHIVE:-$(ls "$ROOT"/karaf-assembly/target/hub-distribution-*.tar.gz | head -1)}
RUNS=${RUNS:-3}

add_echo_at_boot() {
  python3 - "$1/etc/org.apache.karaf.features.cfg" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
m = re.search(r"(featuresBoot\s*=\s*\\\s*\n(?:.*\\\s*\n)*.*)", s)
s = s[:m.end()] + ", \\\n    hub-double-echo, \\\n    hub-connector-echo" + s[m.end():]
open(p, "w").write(s)
PY
}

for i in $(seq 1 "$RUNS"); do
  for label in A B; do
    if [ "$label" = A ]; then export ARCHIVE=$A_ARCHIVE; else export ARCHIVE=$B_ARCHIVE; fi
    . benchmarks/hub-instance.sh
    unpack
    [ "${BARE:-0}" = 1 ] || add_echo_at_boot "$HOME_DIR"
    t0=$(now_ms); start; wait_up; t1=$(now_ms)
    core=$(grep -o "Hub core started in [0-9]* ms" "$HOME_DIR"/data/log/karaf.log | head -1 | awk '{print $5}')
    fails=$(grep -c "Failed to connect to remote" "$HOME_DIR"/data/log/karaf.log || true)
    echo "$label run $i: first start to health UP $((t1 - t0)) ms; core activation ${core:-?} ms; broker connections failed $fails"
    stop
  done
done
