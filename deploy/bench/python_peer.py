"""The common Python route, as sftprep's benchmark peer: datasets.load_dataset("json") + Dataset.map(num_proc=N)
with transformers' apply_chat_template and sftprep's assistant-mask rule (README, "Loss masks"), then to_parquet.

    python python_peer.py --input CORPUS.jsonl --tokenizer DIR --output OUT.parquet --num-proc N
                          [--max-length 4096] [--cache-dir DIR]

One row per conversation: input_ids and labels (-100 = no loss), no packing. Like sftprep's default config, a chat
longer than --max-length tokens is dropped as soon as its rendering is tokenized (before its prefixes are rendered),
and a chat without a trained token is dropped. The openai-messages layout of the benchmark corpus only: None values
that Arrow's schema inference puts in absent fields are removed, `tools` given as a JSON string is parsed, tool-call
arguments given as a JSON string holding an object become that object (sftprep's normalisations).

Prints one JSON line: conversations, samples, dropped, tokens (of every rendered chat), written_tokens, trained.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import datasets  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402

TOK = None
EOT = None


def clean(v):
    """Drops the None fields Arrow adds for keys a record does not have."""
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [clean(x) for x in v]
    return v


def normalise(messages, tools):
    msgs = []
    for m in messages:
        m = clean(m)
        for c in m.get("tool_calls") or []:
            f = c.get("function") or {}
            a = f.get("arguments")
            if isinstance(a, str) and a.strip().startswith("{"):
                try:
                    v = json.loads(a)
                    if isinstance(v, dict):
                        f["arguments"] = v
                except ValueError:
                    pass
        msgs.append(m)
    if isinstance(tools, str):
        tools = json.loads(tools) if tools.strip() else None
    return msgs, (tools or None)


def detect_eot(tok):
    probe = "sftprep-probe-7f3a"
    text = tok.apply_chat_template([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": probe}],
                                   tokenize=False)
    at = text.find(probe) + len(probe)
    specials = [t.content for t in tok.added_tokens_decoder.values() if t.special]
    found = sorted((text.find(s, at), -len(s), s) for s in specials if text.find(s, at) >= 0)
    return [found[0][2]] if found else [tok.eos_token]


def assistant_spans(tok, msgs, tools, full):
    """sftprep's rule: a turn starts where render(msgs[:i], add_generation_prompt=True) ends and ends after the
    first end-of-turn token following its content, never past render(msgs[:i+1]) when that is a prefix."""
    spans = []
    for i, m in enumerate(msgs):
        if m["role"] != "assistant":
            continue
        prefix = tok.apply_chat_template(msgs[:i], tools=tools, tokenize=False, add_generation_prompt=True)
        if not full.startswith(prefix):
            return None  # template-rewrites-history
        start, bound = len(prefix), len(full)
        if i + 1 < len(msgs):
            q = tok.apply_chat_template(msgs[: i + 1], tools=tools, tokenize=False)
            if len(q) > start and full.startswith(q):
                bound = len(q)
        content = m.get("content") if isinstance(m.get("content"), str) else None
        scan, located = start, False
        for c in (content, content.strip(" \t\n\r\x0b\x0c") if content else None):
            at = full.find(c, start) if c else -1
            if not located and at >= 0 and at + len(c) <= bound:
                scan, located = at + len(c), True
        if not located and content and any(e in content for e in EOT):
            return None  # ambiguous-end-of-turn
        ends = sorted((p, e) for p, e in ((full.find(e, scan), e) for e in EOT) if 0 <= p < bound)
        end = min(bound, ends[0][0] + len(ends[0][1])) if ends else bound
        spans.append((start, max(start, end)))
    return spans


def process(batch, tokenizer_dir, max_length):
    if TOK is None:  # a worker started without the parent's globals (spawn)
        init(tokenizer_dir)
    out = {"input_ids": [], "labels": [], "keep": [], "rendered_tokens": []}
    for messages, tools in zip(batch["messages"], batch["tools"]):
        msgs, tools = normalise(messages, tools)
        full = TOK.apply_chat_template(msgs, tools=tools, tokenize=False)
        enc = TOK(full, add_special_tokens=False, return_offsets_mapping=True)
        ids = enc["input_ids"]
        n = len(ids)
        spans = None if n > max_length else assistant_spans(TOK, msgs, tools, full)
        labels = None
        if spans is not None:
            labels = [t if any((a < e and s < b) if e > s else (a <= s < b) for a, b in spans) else -100
                      for t, (s, e) in zip(ids, enc["offset_mapping"])]
            if all(x == -100 for x in labels):
                labels = None
        out["input_ids"].append(ids if labels is not None else [])
        out["labels"].append(labels if labels is not None else [])
        out["keep"].append(labels is not None)
        out["rendered_tokens"].append(n)
    return out


def init(tokenizer_dir):
    global TOK, EOT
    TOK = PreTrainedTokenizerFast.from_pretrained(tokenizer_dir)
    EOT = detect_eot(TOK)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--num-proc", type=int, default=os.cpu_count())
    ap.add_argument("--max-length", type=int, default=4096)
    ap.add_argument("--cache-dir")
    args = ap.parse_args()
    t0 = time.time()
    init(args.tokenizer)
    ds = datasets.load_dataset("json", data_files=args.input, split="train", cache_dir=args.cache_dir)
    if "tools" not in ds.column_names:
        ds = ds.add_column("tools", [None] * len(ds))
    mapped = ds.map(process, batched=True, batch_size=256, num_proc=args.num_proc, remove_columns=ds.column_names,
                    fn_kwargs={"tokenizer_dir": args.tokenizer, "max_length": args.max_length})
    tokens = pc.sum(mapped.data.column("rendered_tokens")).as_py() or 0
    kept = mapped.filter(lambda keep: keep, input_columns="keep", batched=True, num_proc=args.num_proc)
    kept = kept.remove_columns(["keep", "rendered_tokens"])
    kept.to_parquet(args.output)
    # dropped rows hold empty lists, so the totals over every mapped row are those of the kept rows
    written = pc.sum(pc.list_value_length(mapped.data.column("input_ids"))).as_py() or 0
    trained = pc.sum(pc.not_equal(pc.list_flatten(mapped.data.column("labels")), -100)).as_py() or 0
    print(json.dumps({"conversations": len(ds), "samples": len(kept), "dropped": len(ds) - len(kept),
                      "tokens": tokens, "written_tokens": written, "trained": trained,
                      "seconds": round(time.time() - t0, 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
