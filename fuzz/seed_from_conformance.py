"""Seeds the fuzz corpora, so each fuzzer starts from real inputs instead of random bytes:
- parse_validate_run: recorded definitions (input line, then definition), from
  ../shared/conformance/aws-recorded.jsonl;
- budgets: "0" + a JSONata expression (the official suite's, ../shared/jsonata-test-suite) and
  "1" + an intrinsic call (the recorded definitions'), plus a few runaway expressions;
- share_decode: share-link payloads of the recorded definitions (format 1: a version byte, then
  raw DEFLATE of the JSON, in base64url);
- history_import: the recorded histories, as GetExecutionHistory prints them;
- console_line: `aws stepfunctions` lines;
- lesson_parse: the built-in lessons (www/lessons/*.md)."""
import base64
import glob
import hashlib
import json
import os
import zlib

here = os.path.dirname(os.path.abspath(__file__))
shared = os.path.join(here, "..", "..", "shared")
corpus = os.path.join(here, "corpus")


def put(target, text):
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    folder = os.path.join(corpus, target)
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(text.encode("utf-8")).hexdigest()
    with open(os.path.join(folder, name), "w", encoding="utf-8", errors="replace") as f:
        f.write(text)


def strings(v):
    if isinstance(v, str):
        yield v
    elif isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, dict):
        for x in v.values():
            yield from strings(x)


def share_payload(definition, input_text):
    raw = json.dumps({"definition": definition, "input": input_text, "seed": 0}).encode("utf-8")
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = deflate.compress(raw) + deflate.flush()
    return base64.urlsafe_b64encode(bytes([1]) + body).decode("ascii").rstrip("=")


recorded = os.path.join(shared, "conformance", "aws-recorded.jsonl")
if os.path.exists(recorded):
    for n, line in enumerate(open(recorded, encoding="utf-8")):
        case = json.loads(line)
        if case.get("kind") != "execution":
            continue
        definition = json.dumps(case["definition"])
        put("parse_validate_run", json.dumps(case.get("input", {})) + "\n" + definition)
        put("share_decode", share_payload(definition, json.dumps(case.get("input", {}))))
        if case.get("events"):
            put("history_import", json.dumps({"events": case["events"]}))
        for s in strings(case["definition"]):
            if s.startswith("States."):
                put("budgets", "1" + s)
else:
    print(f"no recordings at {recorded}: those corpora start empty")

for f in glob.glob(os.path.join(shared, "jsonata-test-suite", "groups", "*", "*.json")):
    cases = json.load(open(f, encoding="utf-8"))
    for case in cases if isinstance(cases, list) else [cases]:
        if isinstance(case.get("expr"), str) and len(case["expr"]) < 512:
            put("budgets", "0" + case["expr"])

for runaway in [
    "0$reduce([1..40], function($a, $i) { [$a, $a] }, [1])",
    "0$reduce([1..40], function($o, $i) { {'l': $o, 'r': $o} }, {})",
    "0$reduce([1..40], function($s, $i) { $s & $s }, 'ab')",
    "0$join([1..1000].($pad('', 1000, 'x')))",
    "1States.StringSplit(States.Format('{}{}{}{}', $.big, $.big, $.big, $.big), ',')",
    "1States.ArrayRange(0, 1000000000, 1)",
]:
    put("budgets", runaway)

for line in [
    "aws stepfunctions list-state-machines",
    "aws stepfunctions create-state-machine --name M --definition '{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}' --role-arn arn:aws:iam::123456789012:role/R",
    "aws stepfunctions start-execution --state-machine-arn arn:aws:states:us-east-1:123456789012:stateMachine:M --input '{\"a\": 1}'",
    "aws stepfunctions describe-execution --execution-arn arn:aws:states:us-east-1:123456789012:execution:M:x",
    "aws stepfunctions get-execution-history --execution-arn arn:aws:states:us-east-1:123456789012:execution:M:x --max-results 10 --reverse-order",
    "aws stepfunctions send-task-success --task-token t --output \"{\\\"ok\\\": true}\"",
    "aws stepfunctions tag-resource --resource-arn a --tags key=k,value=v",
]:
    put("console_line", line)

for f in glob.glob(os.path.join(here, "..", "www", "lessons", "*.md")):
    put("lesson_parse", open(f, encoding="utf-8").read())

for target in sorted(os.listdir(corpus)) if os.path.isdir(corpus) else []:
    print(f"{target}: {len(os.listdir(os.path.join(corpus, target)))} seeds")
