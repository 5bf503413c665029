#!/usr/bin/env bash
# Packing fill of sftprep's BFD against TRL's pack_dataset(strategy="bfd") on the same sample lengths, in one run.
#   deploy/bench/packing-bench.sh [INPUT_GLOB] [SEQ_LENGTH] [TOKENIZER]
# Default input: every dataset of ../shared/fixtures/datasets (all formats), 4096, qwen3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SFTPREP="$ROOT/deploy/bin/sftprep"
FIX="${SFTPREP_FIXTURES:-$ROOT/../shared/fixtures}"
INPUT="${1:-$FIX/datasets/*/*.jsonl}"
SEQ="${2:-4096}"
TOK="$("$SFTPREP" fetch-tokenizer "${3:-qwen3}")"
VENV="$("$SFTPREP" python-env)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
common=(--input "$INPUT" --tokenizer "$TOK" --set pack.seq-length="$SEQ" --set max-reject-fraction=1 --set template.now=2026-01-01T00:00)
"$SFTPREP" run "${common[@]}" --output "$WORK/none" --set pack.strategy=none >/dev/null
for shards in auto 1 8; do
  "$SFTPREP" run "${common[@]}" --output "$WORK/bfd$shards" --set output.num-shards=$shards >/dev/null
  "$VENV/bin/python" - "$WORK/bfd$shards" "$shards" <<'PY'
import json, os, sys
out = sys.argv[1]; v = open(os.path.join(out, "_LATEST")).read().strip()
p = json.load(open(os.path.join(out, v, "_manifest.json")))["packing"]
print(json.dumps({"packer": "sftprep bfd, %s shard(s)" % sys.argv[2], "tokens": p["tokens"], "rows": p["rows"], "fill": p["fill"]}))
PY
done
"$VENV/bin/python" "$ROOT/deploy/bench/packing_trl.py" "$WORK/none" "$SEQ" | sed 's/^{/{"packer": "trl pack_dataset bfd", /'
