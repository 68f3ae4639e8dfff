#!/usr/bin/env bash
# Prints the journal's write path alone, each thread committing alone against group commit, alternated in one JVM
# (JournalGroupCommit; docs/FIGURES.md, "Exchange core v2"). Usage, after ./mvnw -B install -DskipTests:
#   benchmarks/journal-group-commit.sh [MESSAGES [THREADS [ROUNDS]]]      (defaults 30000 32 3)
set -euo pipefail
cd "$(dirname "$0")"
CP=$(../mvnw -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout ${MAVEN_ARGS:-})
exec java -Xmx512m -cp "target/classes:$CP" fr.aisne.hub.benchmarks.JournalGroupCommit "${1:-30000}" "${2:-32}" "${3:-3}"
