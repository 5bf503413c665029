"""Reads sftprep shards the way a Python trainer would and checks them against the unpacked output.

Usage: read_shards.py PACKED_DIR UNPACKED_DIR TOKENIZER_DIR INPUT_JSONL
Both dirs are `--output` folders of `sftprep run` (the second with pack.strategy=none). Prints one JSON summary.
"""
import glob
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pyarrow.parquet as pq  # noqa: E402
from datasets import load_dataset  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402


def version_dir(out):
    with open(os.path.join(out, "_LATEST")) as f:
        return os.path.join(out, f.read().strip())


def main():
    packed, unpacked, tok_dir, input_path = sys.argv[1:5]
    pdir, udir = version_dir(packed), version_dir(unpacked)
    manifest = json.load(open(os.path.join(pdir, "_manifest.json")))
    files = sorted(glob.glob(os.path.join(pdir, "data", "*.parquet")))
    assert [os.path.join(pdir, s["file"]) for s in manifest["shards"]] == files, "manifest lists every shard"
    for f in files:
        md = pq.read_metadata(f)
        assert md.metadata[b"sftprep.schema_version"] == b"1"
    table = pq.read_table(os.path.join(pdir, "data"))
    ds = load_dataset("parquet", data_files=files, split="train")
    assert ds.num_rows == table.num_rows == manifest["packing"]["rows"]
    assert set(ds.column_names) >= {"input_ids", "labels", "position_ids", "seq_lens", "sample_ids"}

    unpacked_rows = {}
    for row in load_dataset("parquet", data_files=sorted(glob.glob(os.path.join(udir, "data", "*.parquet"))),
                            split="train"):
        assert len(row["sample_ids"]) == 1
        unpacked_rows[row["sample_ids"][0]] = row

    tok = PreTrainedTokenizerFast.from_pretrained(tok_dir)
    records = {}
    with open(input_path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    records[n] = json.loads(line)
                except ValueError:
                    pass

    samples = 0
    trained_text_checked = 0
    for row in ds:
        at = 0
        assert sum(row["seq_lens"]) == len(row["input_ids"]) == row["num_tokens"]
        for k, n in enumerate(row["seq_lens"]):
            sid = row["sample_ids"][k]
            ids = row["input_ids"][at:at + n]
            labels = row["labels"][at:at + n]
            assert row["position_ids"][at:at + n] == list(range(n))
            assert labels[0] == -100
            u = unpacked_rows.pop(sid)
            assert u["input_ids"] == ids, f"sample {sid}: ids differ from the unpacked output"
            assert u["labels"] == labels, f"sample {sid}: labels differ from the unpacked output"
            # every assistant message's text is among the decoded trained tokens of its sample
            rec = records[row["source_lines"][k]]
            trained = tok.decode([t for t, l in zip(ids, labels) if l != -100])
            for m in rec.get("messages", []):
                if m.get("role") == "assistant":
                    assert m["content"].strip() in trained, (sid, m["content"], trained)
                    trained_text_checked += 1
            samples += 1
            at += n
    assert not unpacked_rows, f"{len(unpacked_rows)} unpacked samples are missing from the packed output"
    print(json.dumps({"rows": ds.num_rows, "samples": samples, "assistant_turns_checked": trained_text_checked}))


if __name__ == "__main__":
    main()
