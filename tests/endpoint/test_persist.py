"""`sfnsim serve --state-dir DIR`: state machines, activities, executions (a running one with its
timer, one waiting on an activity task) and task tokens survive a kill -9 and a SIGTERM restart;
the restarted server goes on where the old one stopped. Also: a journal line cut short by the kill
is dropped, a different --account is refused, and the cost per request is measured.

Run by `make test-endpoint`: SFNSIM_BIN names the sfnsim binary.
"""

import json
import os
import shutil
import signal
import tempfile
import time
import unittest

from test_endpoint import ROLE, client, start_server

WAIT_THEN_WORK = {
    "StartAt": "Nap",
    "States": {
        "Nap": {"Type": "Wait", "Seconds": 2, "Next": "Work"},
        "Work": {"Type": "Task", "Resource": None, "TimeoutSeconds": 600, "End": True},
    },
}


def wait_status(sfn, arn, want, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        status = sfn.describe_execution(executionArn=arn)["status"]
        if status == want:
            return status
        time.sleep(0.05)
    return sfn.describe_execution(executionArn=arn)["status"]


class Persist(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sfnsim-state-")
        self.procs = []

    def tearDown(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait()
            p.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def serve(self, *flags):
        proc, url = start_server("--state-dir", self.dir, *flags)
        self.procs.append(proc)
        return proc, client(url)

    def test_state_survives_kill_9_and_sigterm(self):
        proc, sfn = self.serve()
        activity = sfn.create_activity(name="worker")["activityArn"]
        definition = dict(WAIT_THEN_WORK)
        definition["States"] = json.loads(json.dumps(WAIT_THEN_WORK["States"]))
        definition["States"]["Work"]["Resource"] = activity
        machine = sfn.create_state_machine(name="Kept", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
        # One execution reaches its task before the kill; its token is taken by a worker.
        first = sfn.start_execution(stateMachineArn=machine, name="first", input='{"n": 1}')["executionArn"]
        self.assertEqual(wait_status(sfn, first, "RUNNING"), "RUNNING")
        deadline = time.time() + 10
        token = None
        while token is None and time.time() < deadline:
            task = sfn.get_activity_task(activityArn=activity, workerName="w1")
            token = task.get("taskToken")
        self.assertIsNotNone(token, "the worker got the first execution's task")
        # Another is still in its Wait when the server dies.
        second = sfn.start_execution(stateMachineArn=machine, name="second", input='{"n": 2}')["executionArn"]
        before = sfn.describe_execution(executionArn=first)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

        proc, sfn = self.serve()
        self.assertEqual([m["name"] for m in sfn.list_state_machines()["stateMachines"]], ["Kept"])
        self.assertEqual([a["name"] for a in sfn.list_activities()["activities"]], ["worker"])
        after = sfn.describe_execution(executionArn=first)
        for key in ("executionArn", "name", "status", "startDate", "input"):
            self.assertEqual(after[key], before[key], key)
        # The token taken before the kill is still the task's: answering it ends the execution.
        sfn.send_task_success(taskToken=token, output='{"done": 1}')
        self.assertEqual(wait_status(sfn, first, "SUCCEEDED"), "SUCCEEDED")
        self.assertEqual(json.loads(sfn.describe_execution(executionArn=first)["output"]), {"done": 1})
        # The second one's Wait ends after the restart; its task is then offered to a worker.
        token2, task2 = None, {}
        deadline = time.time() + 10
        while token2 is None and time.time() < deadline:
            task2 = sfn.get_activity_task(activityArn=activity, workerName="w2")
            token2 = task2.get("taskToken")
        self.assertIsNotNone(token2)
        self.assertEqual(json.loads(task2["input"]), {"n": 2})
        self.assertNotEqual(token2, token)

        # A graceful stop and a start: the same state again, the first run's history whole.
        events_before = sfn.get_execution_history(executionArn=first, maxResults=1000)["events"]
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=10), 0)
        proc, sfn = self.serve()
        events_after = sfn.get_execution_history(executionArn=first, maxResults=1000)["events"]
        self.assertEqual([e["type"] for e in events_after], [e["type"] for e in events_before])
        self.assertEqual(events_after[-1]["type"], "ExecutionSucceeded")
        sfn.send_task_success(taskToken=token2, output='{"done": 2}')
        self.assertEqual(wait_status(sfn, second, "SUCCEEDED"), "SUCCEEDED")
        # New names and tokens do not repeat those from before the restarts.
        third = sfn.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
        self.assertNotIn(third, (first, second))

    def test_a_line_cut_by_a_kill_is_dropped(self):
        proc, sfn = self.serve()
        sfn.create_activity(name="kept")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with open(os.path.join(self.dir, "journal.jsonl"), "a") as f:
            f.write('{"at": 1, "op": "CreateActivity", "input": {"name": "hal')  # no newline
        proc, sfn = self.serve()
        self.assertEqual([a["name"] for a in sfn.list_activities()["activities"]], ["kept"])
        sfn.create_activity(name="after")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc, sfn = self.serve()
        self.assertEqual(sorted(a["name"] for a in sfn.list_activities()["activities"]), ["after", "kept"])

    def test_other_flags_are_refused_with_a_reason(self):
        proc, sfn = self.serve()
        sfn.create_activity(name="kept")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        try:
            self.serve("--account", "999999999999")
            self.fail("a different --account must be refused")
        except RuntimeError as e:
            self.assertIn("--account", str(e))

    def test_cost_per_request(self):
        """StartExecution + DescribeExecution with and without --state-dir, same run (printed)."""
        times = {}
        for label, flags in (("memory", ()), ("state-dir", ("--state-dir", self.dir))):
            proc, url = start_server(*flags)
            self.procs.append(proc)
            sfn = client(url)
            machine = sfn.create_state_machine(
                name="Cost", definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}), roleArn=ROLE
            )["stateMachineArn"]
            started = time.perf_counter()
            for _ in range(300):
                arn = sfn.start_execution(stateMachineArn=machine)["executionArn"]
                sfn.describe_execution(executionArn=arn)
            times[label] = (time.perf_counter() - started) / 300 * 1000
            proc.kill()
        size = os.path.getsize(os.path.join(self.dir, "journal.jsonl"))
        print(
            f"\nper StartExecution+DescribeExecution: {times['memory']:.2f} ms in memory, "
            f"{times['state-dir']:.2f} ms with --state-dir; journal {size} bytes for 301 changes"
        )
        self.assertLess(times["state-dir"], times["memory"] * 3 + 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
