"""`sfnsim serve` driven by the real AWS SDK for Python (boto3) and the AWS CLI.

Run by `make test-endpoint`: SFNSIM_BIN names the sfnsim binary; the script starts its own servers
on free loopback ports (one on the wall clock, one on a virtual clock) and stops them at the end.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.request

import boto3
import botocore.config
from botocore.exceptions import ClientError

BIN = os.environ.get("SFNSIM_BIN", "target/debug/sfnsim")
ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
CREDS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*flags):
    port = free_port()
    proc = subprocess.Popen([BIN, "serve", "--port", str(port), *flags], stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("sfnsim serve did not start: " + proc.stderr.read().decode())


def client(url):
    return boto3.client(
        "stepfunctions",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        # StartSyncExecution otherwise goes to "sync-<host>" (as with Step Functions Local).
        config=botocore.config.Config(read_timeout=70, retries={"max_attempts": 0}, inject_host_prefix=False),
    )


def definition(states, start):
    return json.dumps({"StartAt": start, "States": states})


PASS = definition({"P": {"Type": "Pass", "End": True}}, "P")


def error_code(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"]
    raise AssertionError("expected an error")


class WallClock(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.url = start_server()
        cls.sfn = client(cls.url)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()

    def machine(self, name, states, start, **kw):
        return self.sfn.create_state_machine(name=name, definition=definition(states, start), roleArn=ROLE, **kw)[
            "stateMachineArn"
        ]

    def test_activity_with_a_polling_worker_thread(self):
        act = self.sfn.create_activity(name="Work")["activityArn"]
        sm = self.machine("WithActivity", {"T": {"Type": "Task", "Resource": act, "HeartbeatSeconds": 30, "End": True}}, "T")
        seen = {}

        def worker():
            w = client(self.url)
            task = w.get_activity_task(activityArn=act, workerName="py-worker")
            seen["input"] = json.loads(task["input"])
            w.send_task_heartbeat(taskToken=task["taskToken"])
            w.send_task_success(taskToken=task["taskToken"], output=json.dumps({"doubled": seen["input"]["n"] * 2}))

        t = threading.Thread(target=worker)
        t.start()
        time.sleep(0.3)  # the worker is long-polling before the task exists
        arn = self.sfn.start_execution(stateMachineArn=sm, input='{"n": 21}')["executionArn"]
        t.join(10)
        self.assertFalse(t.is_alive())
        d = self.wait_done(arn)
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), {"doubled": 42})
        events = self.sfn.get_execution_history(executionArn=arn)["events"]
        started = [e for e in events if e["type"] == "ActivityStarted"][0]
        self.assertEqual(started["activityStartedEventDetails"]["workerName"], "py-worker")

    def wait_done(self, arn):
        for _ in range(200):
            d = self.sfn.describe_execution(executionArn=arn)
            if d["status"] != "RUNNING":
                return d
            time.sleep(0.05)
        return d

    def test_callback_with_task_token(self):
        sm = self.machine(
            "Callback",
            {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": {"token.$": "$$.Task.Token"}},
                    "End": True,
                }
            },
            "Ask",
        )
        arn = self.sfn.start_execution(stateMachineArn=sm)["executionArn"]
        events = self.sfn.get_execution_history(executionArn=arn)["events"]
        params = json.loads([e for e in events if e["type"] == "TaskScheduled"][0]["taskScheduledEventDetails"]["parameters"])
        token = params["MessageBody"]["token"]
        self.sfn.send_task_success(taskToken=token, output='{"approved": true}')
        self.assertEqual(json.loads(self.wait_done(arn)["output"]), {"approved": True})
        self.assertEqual(error_code(self.sfn.send_task_success, taskToken=token, output="{}"), "TaskTimedOut")
        self.assertEqual(error_code(self.sfn.send_task_failure, taskToken="not-a-token"), "InvalidToken")

    def test_pagination(self):
        sm = self.machine("Paged", {"P": {"Type": "Pass", "End": True}}, "P")
        for i in range(7):
            self.sfn.start_execution(stateMachineArn=sm, name=f"run-{i}")
        names = []
        for page in self.sfn.get_paginator("list_executions").paginate(stateMachineArn=sm, PaginationConfig={"PageSize": 3}):
            self.assertLessEqual(len(page["executions"]), 3)
            names += [e["name"] for e in page["executions"]]
        self.assertEqual(names, [f"run-{i}" for i in reversed(range(7))])
        self.assertEqual(error_code(self.sfn.list_executions, stateMachineArn=sm, nextToken="bogus"), "InvalidToken")
        arn = self.sfn.list_executions(stateMachineArn=sm)["executions"][0]["executionArn"]
        pages = list(self.sfn.get_paginator("get_execution_history").paginate(executionArn=arn, reverseOrder=True, PaginationConfig={"PageSize": 2}))
        self.assertEqual([e["type"] for p in pages for e in p["events"]], ["ExecutionSucceeded", "PassStateExited", "PassStateEntered", "ExecutionStarted"])

    def test_idempotency(self):
        a = self.sfn.create_state_machine(name="Idem", definition=PASS, roleArn=ROLE)
        b = self.sfn.create_state_machine(name="Idem", definition=PASS, roleArn=ROLE)
        self.assertEqual(a["stateMachineArn"], b["stateMachineArn"])
        self.assertEqual(a["creationDate"], b["creationDate"])
        pretty = json.dumps(json.loads(PASS), indent=4)
        self.assertEqual(error_code(self.sfn.create_state_machine, name="Idem", definition=pretty, roleArn=ROLE), "StateMachineAlreadyExists")
        wait = self.machine("IdemWait", {"W": {"Type": "Wait", "Seconds": 600, "End": True}}, "W")
        x = self.sfn.start_execution(stateMachineArn=wait, name="same", input="{}")
        y = self.sfn.start_execution(stateMachineArn=wait, name="same", input="{}")
        self.assertEqual(x["executionArn"], y["executionArn"])
        self.assertEqual(error_code(self.sfn.start_execution, stateMachineArn=wait, name="same", input='{"a":1}'), "ExecutionAlreadyExists")

    def test_stop(self):
        sm = self.machine("Stoppable", {"W": {"Type": "Wait", "Seconds": 600, "End": True}}, "W")
        arn = self.sfn.start_execution(stateMachineArn=sm)["executionArn"]
        self.sfn.stop_execution(executionArn=arn, error="Manual", cause="stopped by test")
        d = self.sfn.describe_execution(executionArn=arn)
        self.assertEqual((d["status"], d["error"], d["cause"]), ("ABORTED", "Manual", "stopped by test"))
        self.assertEqual(self.sfn.get_execution_history(executionArn=arn, reverseOrder=True)["events"][0]["type"], "ExecutionAborted")

    def test_redrive_execution(self):
        sm = self.machine(
            "Redriven",
            {
                "Ask": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                    "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token", "n.$": "$$.Execution.RedriveCount"}},
                    "End": True,
                }
            },
            "Ask",
        )
        arn = self.sfn.start_execution(stateMachineArn=sm)["executionArn"]
        self.assertEqual(error_code(self.sfn.redrive_execution, executionArn=arn), "ExecutionNotRedrivable")

        def tokens():
            events = self.sfn.get_execution_history(executionArn=arn)["events"]
            return [json.loads(e["taskScheduledEventDetails"]["parameters"])["MessageBody"] for e in events if e["type"] == "TaskScheduled"]

        self.sfn.send_task_failure(taskToken=tokens()[0]["token"], error="Nope")
        self.assertEqual(self.wait_done(arn)["status"], "FAILED")
        self.assertEqual(self.sfn.describe_execution(executionArn=arn)["redriveStatus"], "REDRIVABLE")
        out = self.sfn.redrive_execution(executionArn=arn)
        self.assertIn("redriveDate", out)
        second = tokens()[1]
        self.assertEqual(second["n"], 1)
        self.sfn.send_task_success(taskToken=second["token"], output='{"ok": true}')
        d = self.wait_done(arn)
        self.assertEqual((d["status"], d["redriveCount"]), ("SUCCEEDED", 1))
        self.assertEqual(d["redriveStatusReason"], "Execution is SUCCEEDED and cannot be redriven")
        types = [e["type"] for e in self.sfn.get_execution_history(executionArn=arn)["events"]]
        self.assertEqual(types[types.index("ExecutionFailed") :][:3], ["ExecutionFailed", "ExecutionRedriven", "TaskStateEntered"])
        self.assertEqual(error_code(self.sfn.redrive_execution, executionArn=arn + "-missing"), "ExecutionDoesNotExist")

    def test_update(self):
        sm = self.machine("Updatable", {"P": {"Type": "Pass", "Result": 1, "End": True}}, "P")
        r = self.sfn.update_state_machine(stateMachineArn=sm, definition=definition({"P": {"Type": "Pass", "Result": 2, "End": True}}, "P"))
        self.assertIn("revisionId", r)
        arn = self.sfn.start_execution(stateMachineArn=sm)["executionArn"]
        self.assertEqual(self.wait_done(arn)["output"], "2")
        self.assertEqual(error_code(self.sfn.update_state_machine, stateMachineArn=sm), "MissingRequiredParameter")

    def test_tags(self):
        sm = self.machine("Tagged", {"P": {"Type": "Pass", "End": True}}, "P", tags=[{"key": "team", "value": "core"}])
        self.sfn.tag_resource(resourceArn=sm, tags=[{"key": "env", "value": "test"}])
        self.sfn.untag_resource(resourceArn=sm, tagKeys=["team"])
        self.assertEqual(self.sfn.list_tags_for_resource(resourceArn=sm)["tags"], [{"key": "env", "value": "test"}])

    def test_errors(self):
        self.assertEqual(error_code(self.sfn.describe_state_machine, stateMachineArn="nope"), "InvalidArn")
        self.assertEqual(error_code(self.sfn.create_state_machine, name="bad name", definition=PASS, roleArn=ROLE), "InvalidName")
        self.assertEqual(error_code(self.sfn.create_state_machine, name="Bad", definition="{}", roleArn=ROLE), "InvalidDefinition")
        sm = self.machine("Inputs", {"P": {"Type": "Pass", "End": True}}, "P")
        self.assertEqual(error_code(self.sfn.start_execution, stateMachineArn=sm, input="{oops"), "InvalidExecutionInput")
        missing = "arn:aws:states:us-east-1:123456789012:execution:Inputs:none"
        self.assertEqual(error_code(self.sfn.describe_execution, executionArn=missing), "ExecutionDoesNotExist")
        try:
            self.sfn.describe_activity(activityArn="arn:aws:states:us-east-1:123456789012:activity:none")
        except self.sfn.exceptions.ActivityDoesNotExist as e:
            self.assertIn("Activity Does Not Exist", str(e))

    def test_express_sync_run(self):
        sm = self.sfn.create_state_machine(name="Fast", definition=definition({"P": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.a, $.b)"}, "End": True}}, "P"), roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
        r = self.sfn.start_sync_execution(stateMachineArn=sm, input='{"a": 2, "b": 3}')
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"sum": 5})
        self.assertIn(":express:Fast:", r["executionArn"])
        self.assertEqual(error_code(self.sfn.list_executions, stateMachineArn=sm), "StateMachineTypeNotSupported")

    def test_validate_state_machine_definition(self):
        ok = self.sfn.validate_state_machine_definition(definition=PASS, type="STANDARD")
        self.assertEqual((ok["result"], ok["diagnostics"], ok["truncated"]), ("OK", [], False))
        bad = self.sfn.validate_state_machine_definition(definition="{}")
        self.assertEqual(bad["result"], "FAIL")
        self.assertEqual(bad["diagnostics"][0]["message"], "These fields are required: [States, StartAt]")
        warned = self.sfn.validate_state_machine_definition(
            definition=definition({"P": {"Type": "Pass", "Parameters": {"a": "$.x"}, "End": True}}, "P"), severity="WARNING"
        )
        self.assertEqual((warned["result"], warned["diagnostics"][0]["code"]), ("OK", "NO_DOLLAR"))
        self.assertEqual(error_code(self.sfn.validate_state_machine_definition, definition=PASS, maxResults=101), "ValidationException")

    def test_versions(self):
        created = self.sfn.create_state_machine(name="Versioned", definition=PASS, roleArn=ROLE, publish=True, versionDescription="first")
        sm, v1 = created["stateMachineArn"], created["stateMachineVersionArn"]
        self.assertEqual(v1, sm + ":1")
        self.assertEqual(self.sfn.describe_state_machine(stateMachineArn=v1)["description"], "first")
        updated = self.sfn.update_state_machine(stateMachineArn=sm, definition=definition({"P": {"Type": "Pass", "Result": 2, "End": True}}, "P"))
        self.assertEqual(error_code(self.sfn.publish_state_machine_version, stateMachineArn=sm, revisionId="stale"), "ConflictException")
        v2 = self.sfn.publish_state_machine_version(stateMachineArn=sm, revisionId=updated["revisionId"])["stateMachineVersionArn"]
        self.assertEqual(v2, sm + ":2")
        listed = self.sfn.list_state_machine_versions(stateMachineArn=sm)["stateMachineVersions"]
        self.assertEqual([v["stateMachineVersionArn"] for v in listed], [v2, v1])
        run = self.sfn.start_execution(stateMachineArn=v1)["executionArn"]
        d = self.wait_done(run)
        self.assertEqual((d["stateMachineArn"], d["stateMachineVersionArn"]), (sm, v1))
        self.sfn.delete_state_machine_version(stateMachineVersionArn=v1)
        self.assertEqual(error_code(self.sfn.describe_state_machine, stateMachineArn=v1), "StateMachineDoesNotExist")
        self.assertEqual(error_code(self.sfn.list_state_machine_versions, stateMachineArn=sm, maxResults=1001), "ValidationException")
        self.assertEqual(error_code(self.sfn.delete_state_machine_version, stateMachineVersionArn=sm), "ValidationException")
        self.assertEqual(error_code(self.sfn.update_state_machine, stateMachineArn=sm, definition=PASS, versionDescription="no publish"), "ValidationException")
        self.assertEqual(error_code(self.sfn.update_state_machine, stateMachineArn=v2, definition=PASS), "StateMachineDoesNotExist")

    def test_aliases(self):
        created = self.sfn.create_state_machine(name="Aliased", definition=PASS, roleArn=ROLE, publish=True)
        sm, v1 = created["stateMachineArn"], created["stateMachineVersionArn"]
        v2 = self.sfn.update_state_machine(stateMachineArn=sm, definition=definition({"P": {"Type": "Pass", "Result": 2, "End": True}}, "P"), publish=True)["stateMachineVersionArn"]
        alias = self.sfn.create_state_machine_alias(name="live", description="d", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
        self.assertEqual(alias, sm + ":live")
        self.sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50}, {"stateMachineVersionArn": v2, "weight": 50}])
        d = self.sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual([r["weight"] for r in d["routingConfiguration"]], [50, 50])
        run = self.sfn.start_execution(stateMachineArn=alias)["executionArn"]
        e = self.wait_done(run)
        self.assertEqual(e["stateMachineAliasArn"], alias)
        self.assertIn(e["stateMachineVersionArn"], [v1, v2])
        self.assertEqual([a["stateMachineAliasArn"] for a in self.sfn.list_state_machine_aliases(stateMachineArn=sm)["stateMachineAliases"]], [alias])
        self.assertEqual(error_code(self.sfn.delete_state_machine_version, stateMachineVersionArn=v1), "ConflictException")
        self.assertEqual(error_code(self.sfn.create_state_machine_alias, name="other", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 70}, {"stateMachineVersionArn": v2, "weight": 29}]), "ValidationException")
        self.sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
        self.assertEqual(error_code(self.sfn.describe_state_machine_alias, stateMachineAliasArn=alias), "ResourceNotFound")
        self.assertEqual(error_code(self.sfn.update_state_machine_alias, stateMachineAliasArn=alias, description="x"), "ResourceNotFound")
        self.assertEqual(error_code(self.sfn.list_state_machine_aliases, stateMachineArn=sm, nextToken="bogus"), "InvalidToken")
        self.assertEqual(error_code(self.sfn.delete_state_machine_alias, stateMachineAliasArn="not-an-arn"), "InvalidArn")

    def test_aws_cli(self):
        env = {**os.environ, **CREDS}
        # The AWS CLI installed next to this interpreter (the virtualenv's bin folder).
        aws = [os.path.join(os.path.dirname(sys.executable), "aws"), "--endpoint-url", self.url, "stepfunctions"]
        out = subprocess.run(aws + ["create-state-machine", "--name", "FromCli", "--definition", PASS, "--role-arn", ROLE], env=env, capture_output=True, text=True, check=True)
        sm = json.loads(out.stdout)["stateMachineArn"]
        out = subprocess.run(aws + ["start-execution", "--state-machine-arn", sm, "--input", '{"x": 1}'], env=env, capture_output=True, text=True, check=True)
        arn = json.loads(out.stdout)["executionArn"]
        out = subprocess.run(aws + ["describe-execution", "--execution-arn", arn], env=env, capture_output=True, text=True, check=True)
        self.assertEqual(json.loads(out.stdout)["status"], "SUCCEEDED")
        bad = subprocess.run(aws + ["describe-execution", "--execution-arn", arn + "x"], env=env, capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("ExecutionDoesNotExist", bad.stderr)
        out = subprocess.run(aws + ["validate-state-machine-definition", "--definition", "{}"], env=env, capture_output=True, text=True, check=True)
        self.assertEqual(json.loads(out.stdout)["result"], "FAIL")
        out = subprocess.run(aws + ["publish-state-machine-version", "--state-machine-arn", sm, "--description", "from the CLI"], env=env, capture_output=True, text=True, check=True)
        version = json.loads(out.stdout)["stateMachineVersionArn"]
        routing = f"stateMachineVersionArn={version},weight=100"
        out = subprocess.run(aws + ["create-state-machine-alias", "--name", "cli", "--routing-configuration", routing], env=env, capture_output=True, text=True, check=True)
        alias = json.loads(out.stdout)["stateMachineAliasArn"]
        out = subprocess.run(aws + ["list-state-machine-aliases", "--state-machine-arn", version], env=env, capture_output=True, text=True, check=True)
        self.assertEqual([a["stateMachineAliasArn"] for a in json.loads(out.stdout)["stateMachineAliases"]], [alias])
        bad = subprocess.run(aws + ["delete-state-machine-version", "--state-machine-version-arn", version], env=env, capture_output=True, text=True)
        self.assertIn("ConflictException", bad.stderr)


class VirtualClock(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.url = start_server("--virtual-clock=manual")
        cls.sfn = client(cls.url)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()

    def advance(self, seconds):
        req = urllib.request.Request(
            self.url,
            data=json.dumps({"seconds": seconds}).encode(),
            headers={"X-Amz-Target": "AWSStepFunctions.SfnsimAdvanceClock", "Content-Type": "application/x-amz-json-1.0"},
        )
        return json.loads(urllib.request.urlopen(req).read())

    def test_an_hour_wait_takes_no_time(self):
        sm = self.sfn.create_state_machine(name="Hour", definition=definition({"W": {"Type": "Wait", "Seconds": 3600, "End": True}}, "W"), roleArn=ROLE)["stateMachineArn"]
        arn = self.sfn.start_execution(stateMachineArn=sm)["executionArn"]
        self.assertEqual(self.sfn.describe_execution(executionArn=arn)["status"], "RUNNING")
        t0 = time.time()
        self.advance(3600)
        self.assertLess(time.time() - t0, 2)
        self.assertEqual(self.sfn.describe_execution(executionArn=arn)["status"], "SUCCEEDED")

    def test_empty_long_poll_returns_at_once(self):
        act = self.sfn.create_activity(name="Idle")["activityArn"]
        t0 = time.time()
        r = self.sfn.get_activity_task(activityArn=act)
        self.assertLess(time.time() - t0, 2)
        self.assertNotIn("taskToken", r)



class Retention(unittest.TestCase):
    """--retain-executions N: the finished executions past N go, the first finished first;
    running ones stay."""

    @classmethod
    def setUpClass(cls):
        cls.proc, cls.url = start_server("--retain-executions", "2")
        cls.sfn = client(cls.url)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()

    def test_the_first_finished_go(self):
        sm = self.sfn.create_state_machine(name="Kept", definition=PASS, roleArn=ROLE)["stateMachineArn"]
        act = self.sfn.create_activity(name="Held")["activityArn"]
        held = self.sfn.create_state_machine(
            name="Held", definition=definition({"T": {"Type": "Task", "Resource": act, "End": True}}, "T"), roleArn=ROLE
        )["stateMachineArn"]
        running = self.sfn.start_execution(stateMachineArn=held, name="running")["executionArn"]
        arns = [self.sfn.start_execution(stateMachineArn=sm, name=f"run-{i}")["executionArn"] for i in range(4)]
        names = [e["name"] for p in self.sfn.get_paginator("list_executions").paginate(stateMachineArn=sm) for e in p["executions"]]
        self.assertEqual(names, ["run-3", "run-2"])
        self.assertEqual(error_code(self.sfn.describe_execution, executionArn=arns[0]), "ExecutionDoesNotExist")
        self.assertEqual(self.sfn.describe_execution(executionArn=running)["status"], "RUNNING")



if __name__ == "__main__":
    unittest.main(verbosity=2)
