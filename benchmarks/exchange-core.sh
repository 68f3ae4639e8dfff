#!/usr/bin/env bash
# Prints the exchange core's figures (issue 12) for the distribution built in karaf-assembly/target, on a fresh
# hub on its own ports (benchmarks/hub-instance.sh):
#   the time from the echo connector's KAR dropped into deploy/ to its first delivered message (double installed),
#   then ExchangeThroughput: MESSAGES messages from SENDERS concurrent HTTP senders through the echo flow and
#   through the bare relay (the floor: HTTP in, the same Artemis, HTTP out, no journal), both at PACED/s offered,
#   and the echo flow while one message in 100 fails for 10 minutes.
# Both deliver with 16 consumers. Usage: ./mvnw -B install -DskipTests && benchmarks/exchange-core.sh [MESSAGES SENDERS PACED [bracket]]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MESSAGES=${1:-50000}; SENDERS=${2:-32}; PACED=${3:-1000}
. benchmarks/hub-instance.sh

unpack
start; wait_up
client "feature:install hub-double-echo"
KAR_MS=$(kar_to_first_delivery)
echo "connector KAR dropped into deploy/ to its first delivered message: ${KAR_MS} ms"

both_paths_with_16_consumers
echo "heap: $(jcmd "$(jvm_pid)" VM.flags | tr ' ' '\n' | grep MaxHeapSize)"

java -cp benchmarks/target/classes fr.aisne.hub.benchmarks.ExchangeThroughput \
  "http://127.0.0.1:$HTTP/hub/in/echo/relay" "http://127.0.0.1:$BARE/bench/relay" "http://127.0.0.1:$DOUBLE/echo" \
  "admin:$PW" "$MESSAGES" "$SENDERS" "$PACED" ${4:-}
echo "connector KAR dropped into deploy/ to its first delivered message: ${KAR_MS} ms"
