"""`sfnsim serve` under hostile input, on loopback only, bounded in count and time.

Run by `make test-endpoint` (SFNSIM_BIN names the binary). The server runs under a file-descriptor
limit of 1,024, a common default. It gets huge and half-sent bodies, thousands of idle
connections, malformed requests, runaway expressions and clients that vanish mid long poll; after
each, a well-formed request must be answered within BOUND seconds and the server must still run.
"""

import json
import os
import resource
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import boto3
import botocore.config
from botocore.exceptions import ClientError

BIN = os.environ.get("SFNSIM_BIN", "target/debug/sfnsim")
ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
BOUND = 5.0  # seconds within which a well-formed request must be answered
FD_LIMIT = 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def limit_fds():
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def start_server(*flags):
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [BIN, "serve", "--port", str(port), *flags], stderr=log, preexec_fn=limit_fds
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port, log
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("sfnsim serve did not start")


def server_log(log):
    log.seek(0)
    return log.read().decode(errors="replace")


def client(port, read_timeout=BOUND):
    return boto3.client(
        "stepfunctions",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=botocore.config.Config(
            connect_timeout=BOUND,
            read_timeout=read_timeout,
            retries={"max_attempts": 0},
            inject_host_prefix=False,
        ),
    )


def request_head(port, operation, length, extra=""):
    return (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: AWSStepFunctions.{operation}\r\n"
        f"Content-Type: application/x-amz-json-1.0\r\nContent-Length: {length}\r\n{extra}\r\n"
    ).encode()


def read_response(sock, timeout):
    """Status and JSON body of one response (Content-Length framed)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response")
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:])}
    while len(body) < int(headers.get("content-length", 0)):
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(lines[0].split()[1]), headers, json.loads(body or b"{}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # This process needs descriptors for its thousands of idle connections.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        cls.proc, cls.port, cls.log = start_server()
        cls.sfn = client(cls.port)
        cls.activity = cls.sfn.create_activity(name="hostile")["activityArn"]

    @classmethod
    def tearDownClass(cls):
        cls.proc.kill()
        cls.proc.wait()
        cls.log.close()

    def assert_serving(self):
        """A fresh client is answered within BOUND, and the server still runs."""
        self.assertIsNone(self.proc.poll(), "the server exited: " + server_log(self.log)[-2000:])
        started = time.monotonic()
        client(self.port).list_activities()
        self.assertLess(time.monotonic() - started, BOUND)

    def raw(self, operation, body):
        with socket.create_connection(("127.0.0.1", self.port), timeout=BOUND) as s:
            s.sendall(request_head(self.port, operation, len(body)) + body)
            return read_response(s, BOUND)

    def test_huge_declared_body_is_refused_before_it_is_read(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=BOUND) as s:
            started = time.monotonic()
            s.sendall(request_head(self.port, "StartExecution", 200 * 1024 * 1024) + b"x" * 65536)
            status, headers, body = read_response(s, BOUND)
            self.assertLess(time.monotonic() - started, 1.0)
        self.assertEqual(status, 413)
        self.assertTrue(body["__type"].endswith("#RequestEntityTooLargeException"), body)
        self.assertEqual(headers.get("connection"), "close")
        self.assertIn("x-amzn-requestid", headers)
        self.assert_serving()

    def test_huge_chunked_body_is_cut_off(self):
        sent = 0
        with socket.create_connection(("127.0.0.1", self.port), timeout=BOUND) as s:
            s.sendall(
                f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\n"
                f"Transfer-Encoding: chunked\r\n\r\n".encode()
            )
            chunk = b"%x\r\n%s\r\n" % (1024 * 1024, b"x" * 1024 * 1024)
            try:
                while sent < 200 * 1024 * 1024:
                    s.sendall(chunk)
                    sent += 1024 * 1024
            except OSError:
                pass  # the server stopped reading and closed: what we want
            status, _, body = read_response(s, BOUND)
        self.assertEqual(status, 413)
        self.assertLess(sent, 64 * 1024 * 1024, "the server read far past its limit")
        self.assert_serving()

    def test_half_sent_requests_hold_nobody_up(self):
        held = []
        try:
            for i in range(100):
                s = socket.create_connection(("127.0.0.1", self.port), timeout=BOUND)
                if i % 2:
                    s.sendall(request_head(self.port, "ListActivities", 1000) + b'{"maxRes')
                else:
                    s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar")
                held.append(s)
            for _ in range(5):
                self.assert_serving()
        finally:
            for s in held:
                s.close()

    def test_thousands_of_idle_connections(self):
        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        count = max(0, min(3000, hard - 200))
        idle = []
        try:
            for _ in range(count):
                s = socket.socket()
                s.setblocking(False)
                s.connect_ex(("127.0.0.1", self.port))
                idle.append(s)
            time.sleep(1.0)
            for _ in range(5):
                self.assert_serving()
            self.assertNotIn("accept failed", server_log(self.log))
        finally:
            for s in idle:
                s.close()
        self.assert_serving()

    def test_malformed_requests_get_fast_errors(self):
        cases = [
            (b"{not json", "SerializationException"),
            (b"\xff\xfe{}", "SerializationException"),
            (b"[" * 100_000 + b"]" * 100_000, "SerializationException"),
        ]
        for body, code in cases:
            status, headers, answer = self.raw("ListActivities", body)
            self.assertEqual(status, 400)
            self.assertTrue(answer["__type"].endswith("#" + code), answer)
        with socket.create_connection(("127.0.0.1", self.port), timeout=BOUND) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            status, _, answer = read_response(s, BOUND)
        self.assertEqual(status, 400)
        self.assertTrue(answer["__type"].endswith("#UnknownOperationException"), answer)
        self.assert_serving()

    def test_runaway_expressions_end_and_the_server_goes_on(self):
        expressions = [
            "($f := function($n){ $f($n+1) }; $f(0))",
            "($f := function($n){ $n + $f($n+1) }; $f(0))",
            "$count([1..10000000])",
            "$reduce([1..100000000], function($a, $b){ $a + $b })",
            "($f := function($x, $n){ $n = 0 ? $x : $f($append($x, $x), $n - 1) }; $count($f([1], 20)))",
        ]
        sfn = client(self.port, read_timeout=30)
        for i, expr in enumerate(expressions):
            definition = {
                "QueryLanguage": "JSONata",
                "StartAt": "P",
                "States": {"P": {"Type": "Pass", "Output": "{% " + expr + " %}", "End": True}},
            }
            arn = sfn.create_state_machine(
                name=f"runaway-{i}", definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS"
            )["stateMachineArn"]
            started = time.monotonic()
            run = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
            self.assertLess(time.monotonic() - started, 10.0, expr)
            self.assertIn(run["status"], ("SUCCEEDED", "FAILED"), expr)
            self.assert_serving()

    def test_deep_definitions_and_huge_ones(self):
        def nested(levels):
            state = {"Type": "Pass", "Result": "bottom", "End": True}
            for i in range(levels):
                state = {"Type": "Parallel", "End": True,
                         "Branches": [{"StartAt": f"L{i}", "States": {f"L{i}": state}}]}
            return json.dumps({"StartAt": "Top", "States": {"Top": state}})

        sfn = client(self.port, read_timeout=30)
        arn = sfn.create_state_machine(name="deep", definition=nested(32), roleArn=ROLE, type="EXPRESS")[
            "stateMachineArn"
        ]
        run = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        self.assertEqual(run["status"], "SUCCEEDED")
        self.assertEqual(json.loads(run["output"]), json.loads("[" * 32 + '"bottom"' + "]" * 32))
        with self.assertRaises(ClientError) as caught:
            sfn.create_state_machine(name="deeper", definition=nested(64), roleArn=ROLE)
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidDefinition")
        self.assertIn("Document nesting depth (257) exceeds", caught.exception.response["Error"]["Message"])
        # A definition over 1 MiB is refused without being echoed back.
        huge = json.dumps({"Comment": "x" * 2_000_000, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
        with self.assertRaises(ClientError) as caught:
            sfn.create_state_machine(name="huge", definition=huge, roleArn=ROLE)
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")
        self.assertLess(len(caught.exception.response["Error"]["Message"]), 300)
        self.assert_serving()

    def test_a_long_poll_whose_client_has_gone_takes_no_task(self):
        body = json.dumps({"activityArn": self.activity}).encode()
        for _ in range(3):
            s = socket.create_connection(("127.0.0.1", self.port), timeout=BOUND)
            s.sendall(request_head(self.port, "GetActivityTask", len(body)) + body)
            time.sleep(0.1)
            s.close()
        time.sleep(0.2)
        definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": self.activity, "End": True}}}
        arn = self.sfn.create_state_machine(name="gone", definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
        execution = self.sfn.start_execution(stateMachineArn=arn, input='{"n": 1}')["executionArn"]
        time.sleep(0.3)
        events = self.sfn.get_execution_history(executionArn=execution)["events"]
        self.assertEqual(events[-1]["type"], "ActivityScheduled", "a vanished poller took the task")
        started = time.monotonic()
        task = client(self.port, read_timeout=70).get_activity_task(activityArn=self.activity)
        self.assertLess(time.monotonic() - started, 2.0)
        self.assertEqual(json.loads(task["input"]), {"n": 1})
        self.sfn.send_task_success(taskToken=task["taskToken"], output="{}")
        self.assertEqual(self.sfn.describe_execution(executionArn=execution)["status"], "SUCCEEDED")

    def test_idle_long_pollers_cost_no_cpu(self):
        # 300 executions wait on another activity, so that each re-check has work to do.
        other = self.sfn.create_activity(name="other")["activityArn"]
        definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": other, "End": True}}}
        arn = self.sfn.create_state_machine(name="busy", definition=json.dumps(definition), roleArn=ROLE)[
            "stateMachineArn"
        ]
        for _ in range(300):
            self.sfn.start_execution(stateMachineArn=arn)
        body = json.dumps({"activityArn": self.activity}).encode()
        pollers = []
        try:
            for _ in range(50):
                s = socket.create_connection(("127.0.0.1", self.port), timeout=BOUND)
                s.sendall(request_head(self.port, "GetActivityTask", len(body)) + body)
                pollers.append(s)
            time.sleep(0.5)
            before = cpu_seconds(self.proc.pid)
            time.sleep(3)
            spent = cpu_seconds(self.proc.pid) - before
            # A 100 ms wake loop re-checks 500 times a second here.
            self.assertLess(spent, 0.15, f"{spent:.2f} s of CPU in 3 s with 50 idle pollers")
            self.assert_serving()
        finally:
            for s in pollers:
                s.close()


class Stop(unittest.TestCase):
    def test_sigterm_stops_gracefully_even_with_a_long_poll_open(self):
        proc, port, log = start_server()
        sfn = client(port)
        activity = sfn.create_activity(name="a")["activityArn"]
        body = json.dumps({"activityArn": activity}).encode()
        s = socket.create_connection(("127.0.0.1", port), timeout=BOUND)
        s.sendall(request_head(port, "GetActivityTask", len(body)) + body)
        time.sleep(0.2)
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=10)
        finally:
            proc.kill()
            s.close()
        self.assertEqual(code, 0)
        self.assertIn("SIGTERM; stopping", server_log(log))
        log.close()

    def test_ctrl_c_stops(self):
        proc, port, log = start_server()
        client(port).list_activities()
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=10)
        finally:
            proc.kill()
        self.assertEqual(code, 0)
        self.assertIn("interrupted; stopping", server_log(log))
        log.close()


class Identities(unittest.TestCase):
    def run_once(self, *flags):
        proc, port, log = start_server(*flags)
        try:
            sfn = client(port)
            activity = sfn.create_activity(name="w")["activityArn"]
            definition = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": activity, "End": True}}}
            arn = sfn.create_state_machine(name="m", definition=json.dumps(definition), roleArn=ROLE)[
                "stateMachineArn"
            ]
            execution = sfn.start_execution(stateMachineArn=arn)["executionArn"]
            token = client(port, read_timeout=70).get_activity_task(activityArn=activity)["taskToken"]
            return execution, token
        finally:
            proc.kill()
            proc.wait()
            log.close()

    def test_restarts_issue_new_names_and_tokens(self):
        first, second = self.run_once(), self.run_once()
        self.assertNotEqual(first[0], second[0])
        self.assertNotEqual(first[1], second[1])

    def test_a_seed_repeats_them_exactly(self):
        self.assertEqual(self.run_once("--seed", "7"), self.run_once("--seed", "7"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
