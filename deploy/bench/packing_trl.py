"""Packs the same sample lengths with TRL's pack_dataset(strategy="bfd") and reports its fill.

Usage: packing_trl.py UNPACKED_OUTPUT_DIR SEQ_LENGTH
UNPACKED_OUTPUT_DIR is an `sftprep run --set pack.strategy=none` output (one sample per row).
"""
import glob
import json
import os
import sys

import pyarrow.parquet as pq
from datasets import Dataset
from trl.data_utils import pack_dataset


def main():
    out, seq = sys.argv[1], int(sys.argv[2])
    version = open(os.path.join(out, "_LATEST")).read().strip()
    lengths = []
    for f in sorted(glob.glob(os.path.join(out, version, "data", "*.parquet"))):
        lengths += pq.read_table(f, columns=["num_tokens"]).column("num_tokens").to_pylist()
    ds = Dataset.from_dict({"input_ids": [[1] * n for n in lengths]})
    packed = pack_dataset(ds, seq, strategy="bfd")
    rows = packed.num_rows
    tokens = sum(len(r) for r in packed["input_ids"])
    print(json.dumps({"samples": len(lengths), "tokens": tokens, "rows": rows,
                      "fill": tokens / (rows * seq) if rows else 0.0}))


if __name__ == "__main__":
    main()
