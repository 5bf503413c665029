#!/usr/bin/env bash
# Chat-template renders/s: the Java engine against Python's jinja2 as transformers sets it up, in one run, on the
# same templates (4 npm tokenizers' + 5 TRL) and the same conversations (seeded random ones + the golden battery),
# each side on one thread, taking turns per template (two rounds, the better of each kept).
#   deploy/bench/template-bench.sh [SECONDS_PER_TURN] [CONVERSATIONS]      (defaults: 5, 1000)
# Prints one JSON line per template: java_renders_per_s, python_renders_per_s, java_over_python.
# Needs the reference venv (deploy/bin/sftprep python-env) and ../shared/fixtures/chat_templates.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECONDS_EACH="${1:-5}"
COUNT="${2:-1000}"
VENV="$("$ROOT/deploy/bin/sftprep" python-env)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
mvn -q -o -pl core test-compile
mvn -q -o -pl core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
export HF_HUB_OFFLINE=1
java -Xmx2g -XX:+UseSerialGC -cp "core/target/classes:core/target/test-classes:$(cat "$WORK/cp.txt")" \
  io.sftprep.core.template.TemplateBench "$WORK/workload.json" "$SECONDS_EACH" "$COUNT" \
  "$VENV/bin/python" "$ROOT/deploy/bench/template_bench.py"
