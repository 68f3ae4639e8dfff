#!/usr/bin/env bash
# Runs the fuzzers with the module's class path, without exec-maven-plugin (which does not resolve offline here:
# docs/PLATFORM-NOTES.md). Build first: ./mvnw -o -B -q install -DskipTests
#
# Seeded fuzzer (fr.aisne.hub.fuzz.FuzzMain):
#   benchmarks/fuzz/fuzz.sh -Dfuzz.seconds=300 -Dfuzz.seed=42 [-Dfuzz.targets=caf.reader,ft.token] ...
# Jazzer, coverage-guided (fr.aisne.hub.fuzz.JazzerTarget under Jazzer's standalone driver), one target after the other:
#   benchmarks/fuzz/fuzz.sh --jazzer [seconds per target, default 60] [targets, comma-separated, default all]
#   more driver/libFuzzer flags in JAZZER_FLAGS (e.g. JAZZER_FLAGS="-seed=1 -runs=100000"); heap: JAZZER_HEAP (256m);
#   per-input timeout in s: JAZZER_TIMEOUT (10). Output: target/jazzer/<target>/ (corpus/, findings/, log.txt).
# Maven flags for the class path look-up: FUZZ_MVN_FLAGS (default -o); MAVEN_ARGS is honoured as usual.
set -euo pipefail
cd "$(dirname "$0")"
if [[ "${1:-}" != "--jazzer" ]]; then
  ../../mvnw ${FUZZ_MVN_FLAGS:--o} -B -q dependency:build-classpath -Dmdep.outputFile=target/fuzz.classpath \
    -Dmdep.includeScope=runtime
  exec java -Xmx64m -Dfuzz.corpus="$PWD/src/main/corpus" -Dfuzz.out="$PWD/target/fuzz" "$@" \
    -cp "target/classes:$(cat target/fuzz.classpath)" fr.aisne.hub.fuzz.FuzzMain
fi
seconds="${2:-60}"
# test scope: the Jazzer driver (com.code-intelligence:jazzer) comes with jazzer-junit
../../mvnw ${FUZZ_MVN_FLAGS:--o} -B -q dependency:build-classpath -Dmdep.outputFile=target/jazzer.classpath \
  -Dmdep.includeScope=test
cp="target/classes:$(cat target/jazzer.classpath)"
targets="${3:-$(java -cp "$cp" fr.aisne.hub.fuzz.JazzerTarget list | paste -sd, -)}"
IFS=, read -ra names <<< "$targets"
summary=()
for t in "${names[@]}"; do
  out="$PWD/target/jazzer/$t"
  mkdir -p "$out/corpus" "$out/findings"
  java -cp "$cp" fr.aisne.hub.fuzz.JazzerTarget "$t" "$out"   # seeds made by code, and the dictionary
  committed=()
  [[ -d "$PWD/src/main/corpus/$t" ]] && committed=("$PWD/src/main/corpus/$t")
  echo "== $t: ${seconds}s (log: $out/log.txt)"
  set +e
  # The deserialization sanitizer is off: it breaks Derby's own (trusted) deserialisation of its stored statements
  # (echo.note: "invalid stream header"), and the hub deserialises no partner input with ObjectInputStream.
  # corpus/ first: libFuzzer writes what it keeps there; the committed corpus and the generated seeds are read only
  # the connectors' own logging off (dora.directory writes a WARN line on stderr for every rejected item)
  java -Xmx"${JAZZER_HEAP:-256m}" -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=off -Dfuzz.target="$t" -Dfuzz.out="$out" -Dfuzz.corpus="$PWD/src/main/corpus" -cp "$cp" \
    com.code_intelligence.jazzer.Jazzer --target_class=fr.aisne.hub.fuzz.JazzerTarget \
    --instrumentation_includes='fr.aisne.hub.**:com.fasterxml.jackson.**' \
    --instrumentation_excludes='fr.aisne.hub.fuzz.**' \
    --disabled_hooks=com.code_intelligence.jazzer.sanitizers.Deserialization \
    --keep_going=1000 --reproducer_path="$out/findings" \
    -max_total_time="$seconds" -timeout="${JAZZER_TIMEOUT:-10}" -print_final_stats=1 \
    -artifact_prefix="$out/findings/" -dict="$out/dict.txt" ${JAZZER_FLAGS:-} \
    "$out/corpus" ${committed[@]+"${committed[@]}"} "$out/seeds" > "$out/log.txt" 2>&1
  status=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/log.txt" | grep -o '[0-9]*$' | tail -1 || true)
  last=$(grep -E '^#[0-9]+' "$out/log.txt" | tail -1 || true)
  findings=$(ls "$out/findings" | grep -c '^crash-\|^timeout-\|^oom-\|^leak-' || true)
  summary+=("$(printf '%-22s exit %-3s execs %-9s findings %-3s %s' "$t" "$status" "${execs:-?}" "$findings" "$last")")
done
printf '%s\n' "${summary[@]}"
