"""Map Runs through `sfnsim serve`, driven by boto3 (run by `make test-endpoint`): DescribeMapRun,
ListMapRuns, UpdateMapRun and their errors, and a Map Run redriven inside RedriveExecution."""

import json
import os
import subprocess
import sys
import time
import unittest

from botocore.exceptions import ClientError, ParamValidationError

from test_endpoint import CREDS, ROLE, client, definition, error_code, start_server


def distributed(processor, **fields):
    return {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, **processor},
            "End": True, **fields}


class MapRuns(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.proc, cls.url = start_server()
        cls.sfn = client(cls.url)

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()

    def start(self, name, state, input):
        sm = self.sfn.create_state_machine(name=name, definition=definition({"Work": state}, "Work"), roleArn=ROLE)["stateMachineArn"]
        return self.sfn.start_execution(stateMachineArn=sm, input=json.dumps(input))["executionArn"]

    def wait(self, fn, ok):
        for _ in range(200):
            v = fn()
            if ok(v):
                return v
            time.sleep(0.05)
        return v

    def map_run(self, execution_arn):
        runs = self.wait(lambda: self.sfn.list_map_runs(executionArn=execution_arn)["mapRuns"], lambda r: len(r) > 0)
        self.assertEqual(len(runs), 1)
        return runs[0]["mapRunArn"]

    def tasks(self, activity, n):
        out = []
        for _ in range(n):
            t = self.sfn.get_activity_task(activityArn=activity, workerName="w")
            out.append((json.loads(t["input"]), t["taskToken"]))
        return sorted(out, key=lambda x: json.dumps(x[0]))

    def test_a_finished_map_run(self):
        state = distributed({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, Label="Rows", MaxConcurrency=1)
        arn = self.start("Finished", state, [1, 2])
        d = self.wait(lambda: self.sfn.describe_execution(executionArn=arn), lambda d: d["status"] != "RUNNING")
        self.assertEqual(d["status"], "SUCCEEDED")
        listed = self.sfn.list_map_runs(executionArn=arn)["mapRuns"][0]
        self.assertTrue(listed["mapRunArn"].startswith("arn:aws:states:us-east-1:123456789012:mapRun:Finished/Rows:"))
        self.assertEqual(listed["stateMachineArn"], "arn:aws:states:us-east-1:123456789012:stateMachine:Finished/Rows")
        self.assertEqual(listed["executionArn"], arn)
        self.assertIn("stopDate", listed)
        m = self.sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
        self.assertEqual((m["status"], m["maxConcurrency"], m["toleratedFailureCount"], m["toleratedFailurePercentage"]), ("SUCCEEDED", 1, 0, 0.0))
        for counts in (m["itemCounts"], m["executionCounts"]):
            self.assertEqual((counts["succeeded"], counts["total"], counts["resultsWritten"], counts["failed"]), (2, 2, 2, 0))
        started = [e for e in self.sfn.get_execution_history(executionArn=arn)["events"] if e["type"] == "MapRunStarted"]
        self.assertEqual(started[0]["mapRunStartedEventDetails"]["mapRunArn"], listed["mapRunArn"])

    def test_update_then_redrive(self):
        act = self.sfn.create_activity(name="Item")["activityArn"]
        state = distributed({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "End": True}}}, MaxConcurrency=1)
        arn = self.start("Updated", state, [1, 2, 3])
        mr = self.map_run(arn)
        m = self.wait(lambda: self.sfn.describe_map_run(mapRunArn=mr), lambda m: m["executionCounts"]["running"] == 1)
        self.assertEqual((m["status"], m["executionCounts"]["pending"]), ("RUNNING", 2))

        self.sfn.update_map_run(mapRunArn=mr, maxConcurrency=3)
        m = self.wait(lambda: self.sfn.describe_map_run(mapRunArn=mr), lambda m: m["executionCounts"]["running"] == 3)
        self.assertEqual((m["maxConcurrency"], m["executionCounts"]["running"]), (3, 3))

        (one, t1), (two, t2), (_, t3) = self.tasks(act, 3)
        self.assertEqual((one, two), (1, 2))
        self.sfn.send_task_success(taskToken=t1, output='"done"')
        self.sfn.send_task_failure(taskToken=t2, error="Nope", cause="no")
        d = self.wait(lambda: self.sfn.describe_execution(executionArn=arn), lambda d: d["status"] != "RUNNING")
        self.assertEqual((d["status"], d["error"]), ("FAILED", "States.ExceedToleratedFailureThreshold"))
        m = self.sfn.describe_map_run(mapRunArn=mr)
        self.assertEqual((m["status"], m["executionCounts"]["succeeded"], m["executionCounts"]["failed"], m["executionCounts"]["aborted"]), ("FAILED", 1, 1, 1))

        # The redrive reruns items 2 and 3 only, and this time one failure is tolerated.
        self.sfn.redrive_execution(executionArn=arn)
        self.sfn.update_map_run(mapRunArn=mr, toleratedFailureCount=1)
        m = self.sfn.describe_map_run(mapRunArn=mr)
        self.assertEqual((m["status"], m["redriveCount"], m["toleratedFailureCount"]), ("RUNNING", 1, 1))
        self.assertIn("redriveDate", m)
        (two, t2), (three, t3) = self.tasks(act, 2)
        self.assertEqual((two, three), (2, 3))
        self.sfn.send_task_failure(taskToken=t2, error="Again")
        self.sfn.send_task_success(taskToken=t3, output='"done"')
        d = self.wait(lambda: self.sfn.describe_execution(executionArn=arn), lambda d: d["status"] != "RUNNING")
        self.assertEqual(d["status"], "SUCCEEDED")
        self.assertEqual(json.loads(d["output"]), ["done", {"Error": "Again", "Cause": None}, "done"])
        events = self.sfn.get_execution_history(executionArn=arn)["events"]
        types = [e["type"] for e in events]
        self.assertEqual(types[types.index("ExecutionRedriven"):], ["ExecutionRedriven", "MapRunRedriven", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"])
        redriven = events[types.index("MapRunRedriven")]["mapRunRedrivenEventDetails"]
        self.assertEqual(redriven, {"mapRunArn": mr, "redriveCount": 1})
        children = self.sfn.list_executions(mapRunArn=mr)["executions"]
        self.assertEqual(sorted(c["status"] for c in children), ["FAILED", "SUCCEEDED", "SUCCEEDED"])
        self.assertTrue(all(c["mapRunArn"] == mr and c["itemCount"] == 1 for c in children))
        failed = self.sfn.list_executions(mapRunArn=mr, statusFilter="FAILED")["executions"][0]
        self.assertEqual(failed["redriveCount"], 1)
        child = self.sfn.describe_execution(executionArn=failed["executionArn"])
        self.assertEqual((child["status"], child["error"], child["input"], child["mapRunArn"]), ("FAILED", "Again", "2", mr))
        # The child has a history of its own: its first attempt, then the redriven one.
        own = self.sfn.get_execution_history(executionArn=failed["executionArn"])["events"]
        kinds = [e["type"] for e in own]
        self.assertEqual((kinds[0], kinds[-1]), ("ExecutionStarted", "ExecutionFailed"))
        self.assertEqual(kinds.count("ExecutionRedriven"), 1)
        self.assertEqual(own[0]["executionStartedEventDetails"]["input"], "2")
        self.assertEqual(own[-1]["executionFailedEventDetails"]["error"], "Again")
        self.assertEqual([e["id"] for e in own], list(range(1, len(own) + 1)))
        self.assertNotIn("TaskScheduled", types, "the parent's history holds no child's events")

    def test_aws_cli(self):
        env = {**os.environ, **CREDS}
        aws = [os.path.join(os.path.dirname(sys.executable), "aws"), "--endpoint-url", self.url, "stepfunctions"]

        def run(*args, ok=True):
            out = subprocess.run(aws + list(args), env=env, capture_output=True, text=True)
            self.assertEqual(out.returncode == 0, ok, out.stderr)
            return json.loads(out.stdout) if ok and out.stdout.strip() else out.stderr

        act = self.sfn.create_activity(name="CliItem")["activityArn"]
        state = distributed({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": act, "End": True}}}, MaxConcurrency=1)
        arn = self.start("FromCli", state, [1, 2])
        mr = self.map_run(arn)
        listed = run("list-map-runs", "--execution-arn", arn)["mapRuns"]
        self.assertEqual([m["mapRunArn"] for m in listed], [mr])
        run("update-map-run", "--map-run-arn", mr, "--max-concurrency", "2", "--tolerated-failure-percentage", "50", "--tolerated-failure-count", "1")
        m = run("describe-map-run", "--map-run-arn", mr)
        self.assertEqual((m["maxConcurrency"], m["toleratedFailurePercentage"], m["toleratedFailureCount"]), (2, 50.0, 1))
        self.assertIn("ResourceNotFound", run("describe-map-run", "--map-run-arn", mr[:-4] + "0000", ok=False))

    def test_errors(self):
        missing = "arn:aws:states:us-east-1:123456789012:mapRun:M/L:0f5c1f2e-1111-4111-8111-111111111111"
        with self.assertRaises(ClientError) as e:
            self.sfn.describe_map_run(mapRunArn=missing)
        self.assertEqual(e.exception.response["Error"], {"Code": "ResourceNotFound", "Message": f"Resource not found: '{missing}'"})
        self.assertEqual(error_code(self.sfn.update_map_run, mapRunArn=missing, maxConcurrency=2), "ResourceNotFound")
        with self.assertRaises(ClientError) as e:
            self.sfn.describe_map_run(mapRunArn="nope")
        self.assertEqual(e.exception.response["Error"], {"Code": "InvalidArn", "Message": "Invalid Arn: 'Invalid ARN prefix: nope'"})
        execution = "arn:aws:states:us-east-1:123456789012:execution:M:e"
        self.assertEqual(error_code(self.sfn.describe_map_run, mapRunArn=execution), "InvalidArn")
        self.assertEqual(error_code(self.sfn.list_map_runs, executionArn=execution), "ExecutionDoesNotExist")
        with self.assertRaises(ClientError) as e:
            self.sfn.update_map_run(mapRunArn=missing, toleratedFailurePercentage=101)
        self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
        self.assertIn("at 'toleratedFailurePercentage' failed to satisfy constraint", e.exception.response["Error"]["Message"])
        # botocore checks the minimums itself.
        with self.assertRaises(ParamValidationError):
            self.sfn.update_map_run(mapRunArn=missing, maxConcurrency=-1)


if __name__ == "__main__":
    unittest.main()
