"""`sfnsim serve` as a drop-in for Step Functions Local in CI, driven by boto3 the way test suites
drive it: a workflow with a Wait, retries with back-off and a Catch, started on a mock test case
and polled with DescribeExecution in a loop. Under `--virtual-clock` the clock moves by itself
(36 virtual seconds pass in well under a second); under `--time-scale 100` they pass in 0.36 s;
`--compat sfn-local` names aws-sdk resources as Step Functions Local does; `--log` and
`--log-executions` say what happened on stderr.

Run by `make test-endpoint`: SFNSIM_BIN names the sfnsim binary.
"""

import json
import os
import tempfile
import time
import unittest

from test_endpoint import ROLE, client, start_server

MOCKS = {
    "StateMachines": {
        "Orders": {
            "TestCases": {
                "FlakyPaymentFailedShipping": {"Charge": "BusyTwiceThenPaid", "Ship": "ShippingFails"},
            }
        }
    },
    "MockedResponses": {
        "BusyTwiceThenPaid": {
            "0-1": {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"}},
            "2": {"Return": {"StatusCode": 200, "Payload": {"receipt": "r-1"}}},
        },
        "ShippingFails": {"0": {"Throw": {"Error": "ShippingFailed", "Cause": "No courier"}}},
    },
}

LAMBDA = "arn:aws:states:::lambda:invoke"
ORDERS = {
    "StartAt": "Pause",
    "States": {
        "Pause": {"Type": "Wait", "Seconds": 30, "Next": "Charge"},
        "Charge": {
            "Type": "Task",
            "Resource": LAMBDA,
            "Parameters": {"FunctionName": "charge", "Payload.$": "$"},
            "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}],
            "ResultPath": "$.payment",
            "Next": "Ship",
        },
        "Ship": {
            "Type": "Task",
            "Resource": LAMBDA,
            "Parameters": {"FunctionName": "ship", "Payload.$": "$"},
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.shipping", "Next": "Refund"}],
            "Next": "Done",
        },
        "Refund": {"Type": "Pass", "Result": "refunded", "ResultPath": "$.refund", "Next": "Done"},
        "Done": {"Type": "Succeed"},
    },
}

SENTIMENT = {
    "StartAt": "Detect",
    "States": {
        "Detect": {
            "Type": "Task",
            "Resource": "arn:aws:states:::aws-sdk:comprehend:detectSentiment",
            "Parameters": {"LanguageCode": "en", "Text": "great"},
            "End": True,
        }
    },
}


def mock_file():
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
    json.dump(MOCKS, f)
    f.close()
    return f.name


def poll(sfn, arn, limit_s=10):
    """DescribeExecution in a loop, as test suites written for Step Functions Local do."""
    t0 = time.time()
    while True:
        d = sfn.describe_execution(executionArn=arn)
        if d["status"] != "RUNNING" or time.time() - t0 > limit_s:
            return d, time.time() - t0
        time.sleep(0.01)


class Server:
    def __init__(self, *flags):
        self.mocks = mock_file()
        self.proc, self.url = start_server("--mock-config", self.mocks, *flags)
        self.sfn = client(self.url)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        os.unlink(self.mocks)
        with self.proc.stderr:
            return self.proc.stderr.read().decode()

    def start(self, definition, test_case=None, name="Orders"):
        sm = self.sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
        target = f"{sm}#{test_case}" if test_case else sm
        return self.sfn.start_execution(stateMachineArn=target, input=json.dumps({"order": 7}))["executionArn"]

    def types(self, arn):
        events = self.sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]
        return [e["type"] for e in events], events


class SelfMovingVirtualClock(unittest.TestCase):
    def setUp(self):
        self.server = Server("--virtual-clock")

    def tearDown(self):
        self.server.stop()

    def test_waits_retries_and_a_catch_finish_at_once_while_polled(self):
        t0 = time.time()
        arn = self.server.start(ORDERS, "FlakyPaymentFailedShipping")
        d, _ = poll(self.server.sfn, arn)
        wall = time.time() - t0
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertLess(wall, 1.0, "36 virtual seconds should take no wall time")
        self.assertAlmostEqual((d["stopDate"] - d["startDate"]).total_seconds(), 36, places=2)
        output = json.loads(d["output"])
        self.assertEqual(output["payment"]["Payload"], {"receipt": "r-1"})
        self.assertEqual((output["shipping"]["Error"], output["refund"]), ("ShippingFailed", "refunded"))
        types, _ = self.server.types(arn)
        self.assertEqual(types.count("TaskFailed"), 3)
        self.assertEqual(types.count("WaitStateExited"), 1)

    def test_a_task_only_a_client_answers_holds_the_clock(self):
        act = self.server.sfn.create_activity(name="Approve")["activityArn"]
        definition = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": act, "TimeoutSeconds": 60, "End": True}}}
        arn = self.server.start(definition, name="Approval")
        time.sleep(0.05)
        self.assertEqual(self.server.sfn.describe_execution(executionArn=arn)["status"], "RUNNING", "its 60 s timeout must wait for the client")
        task = self.server.sfn.get_activity_task(activityArn=act)
        self.server.sfn.send_task_success(taskToken=task["taskToken"], output='{"ok": true}')
        d, _ = poll(self.server.sfn, arn)
        self.assertEqual((d["status"], json.loads(d["output"])), ("SUCCEEDED", {"ok": True}))


class TimeScale(unittest.TestCase):
    def test_waits_and_back_offs_run_a_hundred_times_faster(self):
        server = Server("--time-scale", "100")
        try:
            t0 = time.time()
            arn = server.start(ORDERS, "FlakyPaymentFailedShipping")
            d, _ = poll(server.sfn, arn)
            wall = time.time() - t0
        finally:
            server.stop()
        self.assertEqual(d["status"], "SUCCEEDED")
        # 36 virtual seconds at 100x: 0.36 s of wall time, really waited.
        self.assertGreater(wall, 0.3)
        self.assertLess(wall, 3.0)
        self.assertGreaterEqual((d["stopDate"] - d["startDate"]).total_seconds(), 36)


class CompatSfnLocal(unittest.TestCase):
    def history_details(self, *flags):
        server = Server("--virtual-clock", *flags)
        try:
            arn = server.start(SENTIMENT, name="Sentiment")
            poll(server.sfn, arn)
            _, events = server.types(arn)
        finally:
            server.stop()
        return [e["taskScheduledEventDetails"] for e in events if e["type"] == "TaskScheduled"][0]

    def test_aws_sdk_resources_are_named_as_step_functions_local_names_them(self):
        local = self.history_details("--compat", "sfn-local")
        self.assertEqual((local["resourceType"], local["resource"]), ("aws-sdk", "comprehend:detectSentiment"))
        aws = self.history_details()
        self.assertEqual((aws["resourceType"], aws["resource"]), ("aws-sdk:comprehend", "detectSentiment"))


class Logs(unittest.TestCase):
    def test_requests_and_execution_events_are_logged_on_stderr(self):
        server = Server("--virtual-clock", "--log", "--log-executions")
        arn = server.start(ORDERS, "FlakyPaymentFailedShipping")
        poll(server.sfn, arn)
        try:
            server.sfn.describe_execution(executionArn=arn + "x")
        except server.sfn.exceptions.ExecutionDoesNotExist:
            pass
        log = server.stop()
        lines = log.splitlines()
        self.assertTrue(any(l.split()[1:3] == ["CreateStateMachine", "200"] for l in lines if len(l.split()) > 3), log)
        self.assertTrue(any(" DescribeExecution 400 ExecutionDoesNotExist " in l for l in lines), log)
        name = arn.rsplit(":", 1)[1]
        self.assertTrue(any(l.startswith(f"execution {name} #1 ExecutionStarted ") for l in lines), log)
        self.assertEqual(sum(1 for l in lines if l.startswith(f"execution {name} ") and " TaskFailed " in l), 3, log)
        self.assertTrue(any(l.startswith(f"execution {name} ") and " ExecutionSucceeded " in l for l in lines), log)


if __name__ == "__main__":
    unittest.main(verbosity=2)
