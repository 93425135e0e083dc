"""Load test of `sfnsim serve`: N concurrent keep-alive clients for a bounded time, on loopback.

    python tests/endpoint/load.py [--clients 8,32,128] [--seconds 10] [--bin PATH | --url URL]

Each client holds one HTTP/1.1 connection (keep-alive) and loops over StartExecution,
DescribeExecution and ListActivities; all clients start at the same instant. Per client count it
prints requests per second, latency percentiles, errors, stalls (a request slower than --stall
seconds, or one that timed out) and the server's memory (resident now and at peak, read from
/proc when this script started the server). Exits 1 on any error or stall.

`make load` runs the full version; `make test-endpoint` a short one.
"""

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time

ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(conn, operation, body, timeout):
    conn.sock is not None and conn.sock.settimeout(timeout)
    conn.request(
        "POST",
        "/",
        body=json.dumps(body),
        headers={"X-Amz-Target": f"AWSStepFunctions.{operation}", "Content-Type": "application/x-amz-json-1.0"},
    )
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"{operation}: HTTP {response.status} {data[:200]!r}")
    return json.loads(data)


def memory_kib(pid):
    """(resident, peak resident) in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def cpu_seconds(pid):
    """The server's user + system CPU time so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def run_round(host, port, machine, clients, seconds, stall, timeout):
    latencies = [[] for _ in range(clients)]
    errors = [0] * clients
    stalls = [0] * clients
    first_error = []
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(i):
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        start.wait()
        n = 0
        execution = None
        while time.monotonic() < stop_at[0]:
            if n % 3 == 0:
                operation, body = "StartExecution", {"stateMachineArn": machine}
            elif n % 3 == 1 and execution:
                operation, body = "DescribeExecution", {"executionArn": execution}
            else:
                operation, body = "ListActivities", {"maxResults": 10}
            n += 1
            began = time.monotonic()
            try:
                answer = call(conn, operation, body, timeout)
                if operation == "StartExecution":
                    execution = answer["executionArn"]
            except Exception as e:  # noqa: BLE001 — every failure counts, whatever it is
                errors[i] += 1
                if not first_error:
                    first_error.append(f"{operation}: {type(e).__name__}: {e}")
                if isinstance(e, (socket.timeout, TimeoutError)):
                    stalls[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=timeout)
                continue
            took = time.monotonic() - began
            latencies[i].append(took)
            if took > stall:
                stalls[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + seconds
    start.wait()
    began = time.monotonic()
    for t in threads:
        t.join(seconds + timeout + 5)
    elapsed = time.monotonic() - began
    hung = sum(t.is_alive() for t in threads)
    all_latencies = sorted(x for per in latencies for x in per)
    return {
        "clients": clients,
        "requests": len(all_latencies),
        "rps": len(all_latencies) / elapsed if elapsed else 0.0,
        "errors": sum(errors),
        "stalls": sum(stalls) + hung,
        "p50_ms": percentile(all_latencies, 50) * 1000,
        "p90_ms": percentile(all_latencies, 90) * 1000,
        "p99_ms": percentile(all_latencies, 99) * 1000,
        "max_ms": (all_latencies[-1] if all_latencies else 0.0) * 1000,
        "first_error": first_error[0] if first_error else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="8,32,128")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--stall", type=float, default=2.0, help="a request slower than this is a stall")
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request socket timeout")
    parser.add_argument("--bin", default=os.environ.get("SFNSIM_BIN", "target/debug/sfnsim"))
    parser.add_argument("--url", help="an already running server (no memory figures then)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON lines")
    args = parser.parse_args()

    proc = None
    if args.url:
        host, _, port = args.url.removeprefix("http://").rstrip("/").partition(":")
        port = int(port or 80)
    else:
        host, port = "127.0.0.1", free_port()
        proc = subprocess.Popen([args.bin, "serve", "--port", str(port)], stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection((host, port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
    failed = False
    try:
        setup = http.client.HTTPConnection(host, port, timeout=args.timeout)
        machine = call(
            setup,
            "CreateStateMachine",
            {"name": f"load-{os.getpid()}", "definition": PASS, "roleArn": ROLE},
            args.timeout,
        )["stateMachineArn"]
        setup.close()
        for clients in [int(c) for c in args.clients.split(",")]:
            cpu_before = cpu_seconds(proc.pid) if proc is not None else 0.0
            figures = run_round(host, port, machine, clients, args.seconds, args.stall, args.timeout)
            if proc is not None:
                spent = cpu_seconds(proc.pid) - cpu_before
                figures["server_cpu_ms_per_request"] = spent * 1000 / max(1, figures["requests"])
                figures["rss_mib"], figures["peak_rss_mib"] = (k / 1024 for k in memory_kib(proc.pid))
                figures["server_exited"] = proc.poll() is not None
                failed |= figures["server_exited"]
            failed |= figures["errors"] > 0 or figures["stalls"] > 0
            if args.json:
                print(json.dumps(figures), flush=True)
            else:
                memory = (
                    f"  server {figures['rss_mib']:.1f} MiB (peak {figures['peak_rss_mib']:.1f}),"
                    f" {figures['server_cpu_ms_per_request']:.2f} ms CPU/request"
                    if proc is not None
                    else ""
                )
                print(
                    f"{clients:4d} clients: {figures['requests']:7d} requests {figures['rps']:8.0f}/s"
                    f"  p50 {figures['p50_ms']:.1f} ms  p90 {figures['p90_ms']:.1f}  p99 {figures['p99_ms']:.1f}"
                    f"  max {figures['max_ms']:.1f}  errors {figures['errors']}  stalls {figures['stalls']}{memory}",
                    flush=True,
                )
                if figures["first_error"]:
                    print(f"      first error: {figures['first_error']}", flush=True)
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
