"""Seeds the fuzz corpus with recorded definitions (input line, then definition), so the fuzzer starts
from valid state machines instead of random bytes. Reads ../shared/conformance/aws-recorded.jsonl."""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
source = os.path.join(here, "..", "..", "shared", "conformance", "aws-recorded.jsonl")
target = os.path.join(here, "corpus", "parse_validate_run")
if not os.path.exists(source):
    sys.exit(f"no corpus at {source}: fuzzing from scratch")
os.makedirs(target, exist_ok=True)
count = 0
for n, line in enumerate(open(source, encoding="utf-8")):
    case = json.loads(line)
    if case.get("kind") != "execution":
        continue
    with open(os.path.join(target, f"recorded-{n}.txt"), "w", encoding="utf-8") as f:
        f.write(json.dumps(case.get("input", {})) + "\n" + json.dumps(case["definition"]))
    count += 1
print(f"seeded {count} definitions into {target}")
