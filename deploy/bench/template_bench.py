"""Python's side of the chat-template benchmark: renders/s of jinja2 as transformers sets it up.

    python template_bench.py WORKLOAD.json

Started once by TemplateBench (deploy/bench/template-bench.sh), which wrote WORKLOAD.json. Reads lines
"TEMPLATE SECONDS" on stdin and answers each with one JSON line {"template", "renders_per_s"}: the template
compiled once as transformers compiles it (_compile_jinja_template: the immutable sandbox, trim_blocks,
lstrip_blocks, loop controls, the generation extension, tojson, raise_exception, strftime_now), every
conversation rendered with and without the generation prompt on this one thread, warmed up first. Waits idle
while the Java side measures.
"""

import json
import sys
import time
from datetime import datetime

from transformers.utils import chat_template_utils
from transformers.utils.chat_template_utils import _compile_jinja_template


def renders_per_second(compiled, conversations, seconds):
    def one_pass():
        n = 0
        for c in conversations:
            for agp in (False, True):
                try:
                    compiled.render(messages=c["messages"], tools=c["tools"], documents=None,
                                    add_generation_prompt=agp, **c["kwargs"])
                except Exception:  # noqa: BLE001 - an error is a render too, as on the Java side
                    pass
                n += 1
        return n

    end = time.perf_counter() + seconds / 2
    while time.perf_counter() < end:  # warm-up
        one_pass()
    renders = 0
    t0 = time.perf_counter()
    end = t0 + seconds
    while time.perf_counter() < end:
        renders += one_pass()
    return renders / (time.perf_counter() - t0)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        workload = json.load(f)
    now = datetime.fromisoformat(workload["now"])

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return now

    chat_template_utils.datetime = Frozen
    for line in sys.stdin:
        name, seconds = line.split()
        rate = renders_per_second(_compile_jinja_template(workload["templates"][name]), workload["conversations"],
                                  float(seconds))
        print(json.dumps({"template": name, "renders_per_s": rate}), flush=True)


if __name__ == "__main__":
    main()
