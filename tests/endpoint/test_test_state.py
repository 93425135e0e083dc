"""TestState through `sfnsim serve`, driven by boto3 and the AWS CLI (run by `make test-endpoint`)."""

import json
import os
import subprocess
import sys
import unittest

from botocore.exceptions import ClientError

from test_endpoint import CREDS, ROLE, client, start_server

TASK = json.dumps({
    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "f", "Payload.$": "$"},
    "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "MaxAttempts": 2}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}],
    "End": True,
})


class TestState(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.url = start_server()
        cls.sfn = client(cls.url)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()

    def test_mocked_result_with_debug_stages(self):
        r = self.sfn.test_state(definition=TASK, roleArn=ROLE, input='{"a": 1}', inspectionLevel="DEBUG",
                                mock={"result": '{"Payload": 2}'})
        self.assertEqual(r["status"], "SUCCEEDED")
        self.assertEqual(json.loads(r["output"]), {"Payload": 2})
        self.assertEqual(json.loads(r["inspectionData"]["afterParameters"]), {"FunctionName": "f", "Payload": {"a": 1}})

    def test_retriable_then_caught(self):
        mock = {"errorOutput": {"error": "Boom", "cause": "no"}}
        r = self.sfn.test_state(definition=TASK, roleArn=ROLE, mock=mock, inspectionLevel="DEBUG")
        self.assertEqual(r["status"], "RETRIABLE")
        self.assertEqual(r["inspectionData"]["errorDetails"], {"retryIndex": 0, "retryBackoffIntervalSeconds": 2})
        r = self.sfn.test_state(definition=TASK, roleArn=ROLE, mock=mock, stateConfiguration={"retrierRetryCount": 2})
        self.assertEqual((r["status"], r["nextState"], r["error"]), ("CAUGHT_ERROR", "Handle", "Boom"))

    def test_errors(self):
        with self.assertRaises(ClientError) as e:
            self.sfn.test_state(definition=json.dumps({"Type": "Pass", "End": True}), mock={"result": "{}"})
        self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
        with self.assertRaises(ClientError) as e:
            self.sfn.test_state(definition="{", roleArn=ROLE)
        self.assertEqual(e.exception.response["Error"]["Code"], "InvalidDefinition")

    def test_aws_cli(self):
        # The CLI sends TestState to "sync-<host>" and has no option to turn the host prefix off, so
        # it runs in-process with botocore's prefix turned off (CLI_SHIM).
        env = {**os.environ, **CREDS}
        machine = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1, "Next": "B"}, "B": {"Type": "Succeed"}}})
        out = subprocess.run(
            [sys.executable, "-c", CLI_SHIM, self.url, machine], env=env, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(out.returncode, 0, out.stderr)
        r = json.loads(out.stdout)
        self.assertEqual((r["status"], r["output"], r["nextState"]), ("SUCCEEDED", "1", "B"))


# Runs `aws stepfunctions test-state` in-process with botocore's host prefix turned off.
CLI_SHIM = r"""
import sys, botocore.client
from awscli.clidriver import main
orig = botocore.client.BaseClient._make_api_call
def call(self, op, params):
    self.meta.config.inject_host_prefix = False
    return orig(self, op, params)
botocore.client.BaseClient._make_api_call = call
url, machine = sys.argv[1], sys.argv[2]
sys.argv = ["aws", "stepfunctions", "test-state", "--endpoint-url", url, "--definition", machine,
            "--state-name", "A", "--output", "json"]
sys.exit(main())
"""


if __name__ == "__main__":
    unittest.main(verbosity=2)
