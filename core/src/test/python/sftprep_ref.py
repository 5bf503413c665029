"""Independent Python reference for sftprep's parity tests.

Reads JSONL records, converts each layout to OpenAI-style messages (the normalisations documented in sftprep's
README), then uses Hugging Face transformers for everything a user of transformers would: the chat template render
and the token ids (``apply_chat_template(..., tokenize=True)``), and ``return_assistant_tokens_mask`` for templates
with ``{% generation %}``. For templates without it, the masking rule (sftprep's README, "Loss masks") is
re-implemented here in Python on top of transformers' renders and offsets.

Output: one JSON object per input line: {"line": n, "format": ..., "parts": [{"input_ids", "labels"} | {"reject"}]}.
"""
import argparse
import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

from transformers import AutoTokenizer, PreTrainedTokenizerFast  # noqa: E402

CHAT_ROLES = {"system", "developer", "user", "assistant", "tool", "ipython"}


class Reject(Exception):
    def __init__(self, reason, detail=""):
        super().__init__(detail)
        self.reason = reason


def content_of(c):
    if c is None or isinstance(c, str):
        return c
    if isinstance(c, list):
        out = []
        for p in c:
            if isinstance(p, str):
                out.append(p)
                continue
            if not isinstance(p, dict):
                raise Reject("bad-field")
            if p.get("type") is not None and p.get("type") != "text":
                raise Reject("unsupported-content")
            t = p["text"] if "text" in p else p.get("value")
            if not isinstance(t, str):
                raise Reject("bad-field")
            out.append(t)
        return "".join(out)
    raise Reject("bad-field")


def arguments_of(a):
    if isinstance(a, str) and a.strip().startswith("{"):
        try:
            v = json.loads(a.strip())
            if isinstance(v, dict):
                return v
        except ValueError:
            return a
    return a


def tools_of(v):
    if v is None:
        return None
    if isinstance(v, str):
        if not v.strip():
            return None
        try:
            v = json.loads(v)
        except ValueError:
            raise Reject("bad-field")
    if isinstance(v, dict):
        v = [v]
    if not isinstance(v, list):
        raise Reject("bad-field")
    return v or None


def tool_call_of(fc):
    if not isinstance(fc, dict) or not isinstance(fc.get("name"), str):
        raise Reject("bad-field")
    return {"type": "function", "function": {"name": fc["name"], "arguments": arguments_of(fc.get("arguments", {}))}}


def train_flag(m):
    for k in ("train", "loss_weight", "weight"):
        if k in m and m[k] is not None:
            v = m[k]
            if isinstance(v, bool):
                return v
            if isinstance(v, (int, float)):
                return v != 0
            raise Reject("bad-field")
    return None


def openai_message(m):
    role = m.get("role")
    if not isinstance(role, str):
        raise Reject("bad-field")
    if role == "function":
        role = "tool"
    if role not in CHAT_ROLES:
        raise Reject("unknown-role")
    out = {"role": role, "content": content_of(m.get("content"))}
    for k, v in m.items():
        if k in ("role", "content"):
            continue
        if k == "tool_calls":
            if v is None:
                out[k] = None
                continue
            calls = []
            for c in v:
                c = dict(c)
                if isinstance(c.get("function"), dict):
                    f = dict(c["function"])
                    if "arguments" in f:
                        f["arguments"] = arguments_of(f["arguments"])
                    c["function"] = f
                    if "type" not in c:
                        c["type"] = "function"
                elif "name" in c:
                    f = {"name": c.pop("name")}
                    if "arguments" in c:
                        f["arguments"] = arguments_of(c.pop("arguments"))
                    c["type"] = c.get("type", "function")
                    c["function"] = f
                calls.append(c)
            out[k] = calls
        elif k == "function_call":
            if v is not None:
                out["tool_calls"] = [tool_call_of(v)]
        else:
            out[k] = v
    return out, train_flag(m)


def sharegpt(r):
    msgs, flags = [], []
    if isinstance(r.get("system"), str) and r["system"]:
        msgs.append({"role": "system", "content": r["system"]})
        flags.append(None)
    for m in r["conversations"]:
        frm, val = m.get("from"), content_of(m.get("value"))
        if frm in ("human", "user"):
            msg = {"role": "user", "content": val}
        elif frm in ("gpt", "assistant", "model", "chatgpt", "bard", "bing"):
            msg = {"role": "assistant", "content": val}
        elif frm == "system":
            msg = {"role": "system", "content": val}
        elif frm in ("function_call", "tool_call"):
            parsed = json.loads(val)
            calls = [tool_call_of(c) for c in (parsed if isinstance(parsed, list) else [parsed])]
            msg = {"role": "assistant", "content": "", "tool_calls": calls}
        elif frm in ("observation", "function", "tool"):
            msg = {"role": "tool", "content": val}
        else:
            raise Reject("unknown-role")
        msgs.append(msg)
        flags.append(train_flag(m))
    if not msgs:
        raise Reject("empty-conversation")
    return [("chat", msgs, flags, tools_of(r.get("tools")), -1)]


def alpaca(r):
    msgs = []
    if isinstance(r.get("system"), str) and r["system"]:
        msgs.append({"role": "system", "content": r["system"]})
    for q, a in r.get("history") or []:
        msgs += [{"role": "user", "content": q}, {"role": "assistant", "content": a}]
    user = r["instruction"] if not r.get("input") else r["instruction"] + "\n" + r["input"]
    msgs += [{"role": "user", "content": user}, {"role": "assistant", "content": r["output"]}]
    return [("chat", msgs, [None] * len(msgs), None, -1)]


def oasst(r):
    paths = []

    def cut(path):
        last = max((i for i, m in enumerate(path) if m["role"] == "assistant"), default=-1)
        if last >= 0:
            p = path[: last + 1]
            if p not in paths:
                paths.append(p)

    def walk(node, path):
        if node.get("deleted"):
            cut(path)
            return
        role = {"prompter": "user", "user": "user", "assistant": "assistant"}.get(node.get("role"))
        if role is None:
            raise Reject("unknown-role")
        here = path + [{"role": role, "content": node["text"]}]
        kids = [k for k in node.get("replies") or [] if isinstance(k, dict) and not k.get("deleted")]
        for k in kids:
            walk(k, here)
        if not kids:
            cut(here)

    walk(r["prompt"], [])
    if not paths:
        raise Reject("no-assistant-turn")
    return [("chat", p, [None] * len(p), None, -1) for p in paths]


def convert(r, messages_field="messages"):
    if isinstance(r.get(messages_field), list):
        legacy = "functions" in r or any(isinstance(m, dict) and ("function_call" in m or m.get("role") == "function")
                                         for m in r[messages_field])
        msgs, flags = zip(*[openai_message(m) for m in r[messages_field]]) if r[messages_field] else ([], [])
        if not msgs:
            raise Reject("empty-conversation")
        tools = tools_of(r.get("tools"))
        if tools is None and r.get("functions") is not None:
            fns = tools_of(r.get("functions"))
            tools = None if fns is None else [f if isinstance(f, dict) and "function" in f
                                              else {"type": "function", "function": f} for f in fns]
        return ("openai-functions" if legacy else "openai-messages"), [("chat", list(msgs), list(flags), tools, -1)]
    conv = r.get("conversations")
    if isinstance(conv, list):
        if any(isinstance(m, dict) and ("from" in m or "value" in m) for m in conv) or not conv:
            return "sharegpt", sharegpt(r)
        msgs, flags = zip(*[openai_message(m) for m in conv])
        return "conversations", [("chat", list(msgs), list(flags), tools_of(r.get("tools")), -1)]
    p = r.get("prompt")
    if isinstance(p, dict) and ("replies" in p or "role" in p):
        return "oasst", oasst(r)
    for key, fmt in (("completion", "prompt-completion"), ("response", "prompt-response")):
        if "prompt" in r and key in r:
            c = r[key]
            if isinstance(p, str) and isinstance(c, str):
                return fmt, [("text", p, c)]
            msgs = [openai_message(m) for m in p] + [openai_message(m) for m in c]
            return fmt, [("chat", [m for m, _ in msgs], [f for _, f in msgs], tools_of(r.get("tools")), len(p))]
    if "instruction" in r and "output" in r:
        return "alpaca", alpaca(r)
    if isinstance(r.get("text"), str):
        return "text", [("text", "", r["text"])]
    raise Reject("unknown-format")


def argument_text(m):
    """template.tool-arguments=string: each tool call's non-string arguments as json.dumps text."""
    if not isinstance(m.get("tool_calls"), list):
        return m
    calls = []
    for c in m["tool_calls"]:
        fn = c.get("function") if isinstance(c, dict) else None
        if isinstance(fn, dict) and fn.get("arguments") is not None and not isinstance(fn["arguments"], str):
            c = dict(c, function=dict(fn, arguments=json.dumps(fn["arguments"], ensure_ascii=False)))
        calls.append(c)
    return dict(m, tool_calls=calls)


class Reference:
    def __init__(self, tokenizer_dir, chat_template=None, policy="assistant", train_eot=True, max_length=None,
                 loader="tokenizer-json", roles=("assistant",), eot_tokens=None, tok=None, tool_arguments="object"):
        # "tokenizer-json": transformers' own class for a tokenizer defined by its tokenizer.json (what sftprep and
        # DJL load). "auto": AutoTokenizer, which in transformers 5 rebuilds some classes from the vocabulary
        # (DeepSeek-V3's config names LlamaTokenizerFast, and v5's Llama class swaps its byte-level pre-tokenizer
        # for Metaspace, changing the ids).
        if tok is not None:
            self.tok = tok
        elif loader == "auto":
            self.tok = AutoTokenizer.from_pretrained(tokenizer_dir)
        else:
            self.tok = PreTrainedTokenizerFast.from_pretrained(tokenizer_dir)
        self.template = chat_template or self.tok.chat_template
        self.tool_arguments = tool_arguments
        self.policy = policy
        self.train_eot = train_eot
        self.max_length = max_length
        self.roles = set(roles)
        self.special = [t.content for t in self.tok.added_tokens_decoder.values() if t.special]
        self.eot = list(eot_tokens) if eot_tokens else self.detect_eot()
        self.has_generation = "{% generation %}" in self.template or "{%- generation %}" in self.template \
            or "generation -%}" in self.template or "{%- generation -%}" in self.template

    def render(self, msgs, tools, agp):
        return self.tok.apply_chat_template(msgs, tools=tools, tokenize=False, add_generation_prompt=agp,
                                            chat_template=self.template)

    def detect_eot(self):
        probe = "sftprep-probe-7f3a"
        try:
            text = self.render([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": probe}], None,
                               False)
        except Exception:
            return [self.tok.eos_token]
        at = text.find(probe)
        if at < 0:
            return [self.tok.eos_token]
        best = None
        for s in self.special:
            p = text.find(s, at + len(probe))
            if p >= 0 and (best is None or p < best[0] or (p == best[0] and len(s) > len(best[1]))):
                best = (p, s)
        return [best[1]] if best else [self.tok.eos_token]

    def trained_messages(self, msgs, flags, completion_start):
        last = max((i for i, m in enumerate(msgs) if m["role"] == "assistant"), default=-1)
        out = []
        for i, m in enumerate(msgs):
            if self.policy == "assistant":
                t = m["role"] == "assistant"
            elif self.policy == "last-assistant":
                t = i == last
            elif self.policy == "completion":
                t = i >= completion_start if completion_start >= 0 else i == last
            elif self.policy == "roles":
                t = m["role"] in self.roles
            else:
                t = True
            if flags[i] is not None:
                t = flags[i]
            out.append(t)
        return out

    def spans(self, msgs, trained, tools):
        full = self.render(msgs, tools, False)
        out = []
        for i, m in enumerate(msgs):
            if not trained[i]:
                continue
            if m["role"] != "assistant":
                a = self.render(msgs[:i], tools, False) if i else ""  # nothing precedes the first message
                b = self.render(msgs[: i + 1], tools, False) if i + 1 < len(msgs) else full
                if not full.startswith(a) or not full.startswith(b):
                    raise Reject("template-rewrites-history")
                out.append((len(a), max(len(a), len(b))))
                continue
            try:
                prefix = self.render(msgs[:i], tools, True) if i else self.render([], tools, True)
            except Exception:
                raise Reject("template-rewrites-history")
            if not full.startswith(prefix):
                raise Reject("template-rewrites-history")
            start, bound = len(prefix), len(full)
            if i + 1 < len(msgs):
                try:
                    q = self.render(msgs[: i + 1], tools, False)
                    if len(q) > start and full.startswith(q):
                        bound = len(q)
                except Exception:
                    pass
            content = m.get("content") if isinstance(m.get("content"), str) else None
            scan, located = start, False
            if content:
                at = full.find(content, start)
                if at >= 0 and at + len(content) <= bound:
                    scan, located = at + len(content), True
                else:
                    stripped = content.strip(" \t\n\r\x0b\x0c")
                    if stripped and stripped != content:
                        at = full.find(stripped, start)
                        if at >= 0 and at + len(stripped) <= bound:
                            scan, located = at + len(stripped), True
            if not located and content and any(e in content for e in self.eot):
                raise Reject("ambiguous-end-of-turn")
            best = None
            for e in self.eot:
                p = full.find(e, scan)
                if 0 <= p < bound and (best is None or p < best[0]):
                    best = (p, e)
            if best is None:
                end = bound
            else:
                end = best[0] + len(best[1]) if self.train_eot else best[0]
            out.append((start, max(start, min(end, bound))))
        return full, out

    def labels_from_spans(self, text, spans, ids):
        enc = self.tok(text, add_special_tokens=False, return_offsets_mapping=True)
        assert enc["input_ids"] == ids, "tokenizing the rendered text differs from apply_chat_template"
        labels = []
        for tid, (s, e) in zip(ids, enc["offset_mapping"]):
            hit = any((a < e and s < b) if e > s else (a <= s < b) for a, b in spans)
            labels.append(tid if hit else -100)
        return labels

    def check_length(self, ids):
        # README: a chat longer than max-length is dropped as soon as its tokens are known (overflow=drop)
        if self.max_length is not None and len(ids) > self.max_length:
            raise Reject("too-long")

    def chat_part(self, msgs, flags, tools, completion_start):
        if self.tool_arguments == "string":
            msgs = [argument_text(m) for m in msgs]

        def ids_of():
            return self.tok.apply_chat_template(msgs, tools=tools, tokenize=True, return_dict=True,
                                                chat_template=self.template)["input_ids"]

        if self.policy == "all":
            ids = ids_of()
            self.check_length(ids)
            text = self.render(msgs, tools, False)
            return ids, self.labels_from_spans(text, [(0, len(text))], ids)
        trained = self.trained_messages(msgs, flags, completion_start)
        # README: generation blocks decide when the policy is assistant, the flags select exactly the assistant
        # turns, and end-of-turn tokens are trained (blocks hold them)
        use_gen = self.has_generation and self.policy == "assistant" and self.train_eot \
            and trained == [m["role"] == "assistant" for m in msgs]
        if use_gen:
            out = self.tok.apply_chat_template(msgs, tools=tools, tokenize=True, return_dict=True,
                                               return_assistant_tokens_mask=True, chat_template=self.template)
            ids = out["input_ids"]
        else:
            ids = ids_of()
        self.check_length(ids)
        if not any(trained):
            raise Reject("no-assistant-turn")
        if use_gen:
            labels = [t if m else -100 for t, m in zip(ids, out["assistant_masks"])]
        else:
            text, spans = self.spans(msgs, trained, tools)
            labels = self.labels_from_spans(text, spans, ids)
        return ids, labels

    def text_part(self, prompt, completion):
        text = prompt + completion
        enc = self.tok(text, add_special_tokens=True, return_offsets_mapping=True)
        ids, offsets = list(enc["input_ids"]), list(enc["offset_mapping"])
        eos = self.tok.eos_token_id
        if eos is not None and (not ids or ids[-1] != eos):
            ids.append(eos)
            offsets.append((len(text), len(text) + 1))
        if self.policy == "all" or not prompt:
            return ids, list(ids)
        a, b = len(prompt), len(text) + 1
        labels = [t if ((s < b and a < e) if e > s else (a <= s < b)) else -100 for t, (s, e) in zip(ids, offsets)]
        return ids, labels

    def process(self, record):
        fmt, convs = convert(record)
        parts = []
        for c in convs:
            try:
                if c[0] == "chat":
                    _, msgs, flags, tools, cs = c
                    ids, labels = self.chat_part(msgs, flags, tools, cs)
                else:
                    ids, labels = self.text_part(c[1], c[2])
                if all(l == -100 for l in labels):
                    raise Reject("no-trainable-tokens")
                if self.max_length is not None and len(ids) > self.max_length:
                    raise Reject("too-long")
                parts.append({"input_ids": ids, "labels": labels})
            except Reject as r:
                parts.append({"reject": r.reason})
            except Exception as e:  # the template (or transformers) raised
                parts.append({"reject": "template-error", "error": f"{type(e).__name__}: {e}"})
        return fmt, parts


def read_records(path):
    """(line, raw) pairs: non-blank lines of a .jsonl file, or the elements of a .json document (1-based)."""
    with open(path, encoding="utf-8") as f:
        if path.endswith(".json"):
            doc = json.load(f)
            return [(i + 1, r) for i, r in enumerate(doc if isinstance(doc, list) else [doc])]
        return [(n, line) for n, line in enumerate(f, 1) if line.strip()]


def run_file(ref, path, out, extra=None):
    for n, rec in read_records(path):
        try:
            if isinstance(rec, str):
                try:
                    r = json.loads(rec.lstrip("\ufeff"))
                except ValueError as e:
                    raise Reject("invalid-json", str(e))
            else:
                r = rec
            if not isinstance(r, dict):
                raise Reject("not-an-object")
            fmt, parts = ref.process(r)
        except Reject as r:
            fmt, parts = None, [{"reject": r.reason}]
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            fmt, parts = None, [{"reject": "bad-input", "error": f"{type(e).__name__}: {e}"}]
        row = {"line": n, "format": fmt, "parts": parts}
        if extra:
            row.update(extra)
        out.write(json.dumps(row) + "\n")


def run_jobs(path):
    """Several tokenizers, templates, options and inputs in one process (transformers' import dominates a run).

    The jobs file is a JSON list of {"tokenizer", "chat_template"?, "policy"?, "roles"?, "train_eot"?,
    "eot_tokens"?, "max_length"?, "tool_arguments"?, "inputs": [...], "output"}; each output gets one line per record of each input,
    with "input" naming the file."""
    with open(path, encoding="utf-8") as f:
        jobs = json.load(f)
    toks = {}
    for job in jobs:
        d = job["tokenizer"]
        if d not in toks:
            toks[d] = PreTrainedTokenizerFast.from_pretrained(d)
        template = None
        if job.get("chat_template"):
            with open(job["chat_template"], encoding="utf-8") as t:
                template = t.read()
        ref = Reference(d, template, job.get("policy", "assistant"), job.get("train_eot", True),
                        job.get("max_length"), roles=job.get("roles", ["assistant"]),
                        eot_tokens=job.get("eot_tokens"), tok=toks[d],
                        tool_arguments=job.get("tool_arguments", "object"))
        with open(job["output"] + ".part", "w", encoding="utf-8") as out:
            for inp in job["inputs"]:
                run_file(ref, inp, out, {"input": inp})
        os.replace(job["output"] + ".part", job["output"])  # a waiting reader sees whole files only
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", help="a JSON file of jobs (see run_jobs); the other options are then ignored")
    ap.add_argument("--tokenizer")
    ap.add_argument("--input")
    ap.add_argument("--output")
    ap.add_argument("--chat-template")
    ap.add_argument("--policy", default="assistant")
    ap.add_argument("--max-length", type=int)
    ap.add_argument("--loader", default="tokenizer-json", choices=["tokenizer-json", "auto"])
    args = ap.parse_args()
    if args.jobs:
        return run_jobs(args.jobs)
    template = open(args.chat_template).read() if args.chat_template else None
    ref = Reference(args.tokenizer, template, args.policy, True, args.max_length, args.loader)
    with open(args.output, "w", encoding="utf-8") as out:
        run_file(ref, args.input, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
