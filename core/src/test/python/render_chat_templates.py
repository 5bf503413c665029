"""Renders chat templates with transformers' own ``render_jinja_template``, the reference for the Java engine.

    python render_chat_templates.py --input CASES.json --output RESULTS.jsonl

CASES.json::

    {"now": "2024-07-26T12:00:00",                       # what strftime_now sees
     "templates": {"qwen3": "{%- if tools %}..."},
     "conversations": [{"messages": [...], "tools": [...] or null, "kwargs": {"bos_token": "<s>", ...}}],
     "cases": [["qwen3", 0, false], ...]}                # template, conversation index, add_generation_prompt

RESULTS.jsonl has one line per case, in order: ``{"output": TEXT}``, or ``{"error": TYPE, "message": MESSAGE}``
where Python raised (the template's own ``raise_exception`` is a ``TemplateError``). Everything runs in this one
process; each template is compiled once (transformers caches it).
"""

import argparse
import json
import os
from datetime import datetime

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from transformers.utils import chat_template_utils  # noqa: E402
from transformers.utils.chat_template_utils import render_jinja_template  # noqa: E402


def freeze_clock(now):
    """strftime_now reads chat_template_utils.datetime.now(); make that a fixed instant."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return cls.fromisoformat(now)

    chat_template_utils.datetime = Frozen


def render(source, conversation, add_generation_prompt):
    try:
        rendered, _ = render_jinja_template(
            conversations=[conversation["messages"]],
            tools=conversation.get("tools"),
            documents=None,
            chat_template=source,
            add_generation_prompt=add_generation_prompt,
            **conversation.get("kwargs", {}),
        )
        return {"output": rendered[0]}
    except Exception as e:  # noqa: BLE001 - every Python error is an expected outcome to compare
        return {"error": type(e).__name__, "message": str(e)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    a = ap.parse_args()
    with open(a.input, encoding="utf-8") as f:
        job = json.load(f)
    freeze_clock(job.get("now", "2024-07-26T12:00:00"))
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for name, conv, agp in job["cases"]:
            result = render(job["templates"][name], job["conversations"][conv], agp)
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
