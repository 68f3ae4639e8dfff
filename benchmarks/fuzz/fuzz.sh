#!/usr/bin/env bash
# Runs the fuzzer (fr.aisne.hub.fuzz.FuzzMain) with the module's class path, without exec-maven-plugin (which does
# not resolve offline here: docs/PLATFORM-NOTES.md). Build first: ./mvnw -o -B -q install -DskipTests
# Usage: benchmarks/fuzz/fuzz.sh -Dfuzz.seconds=300 -Dfuzz.seed=42 [-Dfuzz.targets=caf.reader,ft.token] ...
# Maven flags for the class path look-up: FUZZ_MVN_FLAGS (default -o); MAVEN_ARGS is honoured as usual.
set -euo pipefail
cd "$(dirname "$0")"
../../mvnw ${FUZZ_MVN_FLAGS:--o} -B -q dependency:build-classpath -Dmdep.outputFile=target/fuzz.classpath \
  -Dmdep.includeScope=runtime
exec java -Xmx64m -Dfuzz.corpus="$PWD/src/main/corpus" -Dfuzz.out="$PWD/target/fuzz" "$@" \
  -cp "target/classes:$(cat target/fuzz.classpath)" fr.aisne.hub.fuzz.FuzzMain
