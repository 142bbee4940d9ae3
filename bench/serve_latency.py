#!/usr/bin/env python3
"""Edit-to-page latency of `gongkai serve` on a large generated site.

Generates N reports with examples/gensite.rs (default 10,000), starts
`gongkai serve` on a free loopback port, then 20 times: changes one number
of a report with write-then-rename (as editors save) and polls the report's
page until it shows the new number. Prints the median and spread of those
latencies, the start-up time (process start to "serving": serve renders in
memory, on request, so this is reading and checking the site), and the
server's memory (VmRSS now, VmHWM peak) from /proc. With --timings the
server runs with GONGKAI_TIMINGS=1 and its phase timings of the last edits
are printed.

Usage: python3 bench/serve_latency.py [--reports N] [--edits K] [--keep] [--timings]
Run from the repository root; it builds the release binary first.
"""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "gongkai")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except Exception:
        return ""


def vm(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) // 1024  # MiB
    return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--timings", action="store_true")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "gensite"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="gongkai-serve-bench-")
    site = os.path.join(work, "site")
    gensite = os.path.join(ROOT, "target", "release", "examples", "gensite")
    subprocess.run([gensite, "--out", site, "--reports", str(args.reports)], check=True)

    port = free_port()
    t0 = time.monotonic()
    env = dict(os.environ)
    if args.timings:
        env["GONGKAI_TIMINGS"] = "1"
    proc = subprocess.Popen(
        [BIN, "serve", "--root", site, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE if args.timings else subprocess.DEVNULL,
        text=True,
        env=env,
    )
    timings = []
    if args.timings:
        def err_reader():
            for line in proc.stderr:
                if line.startswith("timing:"):
                    timings.append(line.rstrip())

        threading.Thread(target=err_reader, daemon=True).start()
    ready = threading.Event()
    lines = []

    def reader():
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.startswith("serving "):
                ready.set()

    threading.Thread(target=reader, daemon=True).start()
    if not ready.wait(600):
        proc.kill()
        sys.exit("serve did not start")
    initial = time.monotonic() - t0
    base = f"http://127.0.0.1:{port}/"

    reports = []
    for dirpath, _, files in os.walk(os.path.join(site, "content", "reports")):
        for f in files:
            if f.endswith(".md"):
                reports.append(os.path.join(dirpath, f))
    rng = random.Random(7)
    latencies = []
    for k in range(args.edits):
        path = rng.choice(reports)
        text = open(path, encoding="utf-8").read()
        value = 900000 + k
        # 行政许可 (licensing) is a single number outside the balance checks.
        new = re.sub(r"^  licensing: \d+", f"  licensing: {value}", text, count=1, flags=re.M)
        slug = os.path.basename(os.path.dirname(path))
        year = os.path.basename(path)[:-3]
        url = f"{base}reports/{slug}/{year}/"
        tmp = path + ".tmp~"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(new)
        start = time.monotonic()
        os.replace(tmp, path)
        needle = f">{value}<"
        while needle not in fetch(url):
            if time.monotonic() - start > 30:
                proc.kill()
                sys.exit(f"edit {k}: page never updated")
            time.sleep(0.002)
        latencies.append((time.monotonic() - start) * 1000)
        time.sleep(0.3)  # let the debouncer settle between edits

    rss, hwm = vm(proc.pid, "VmRSS"), vm(proc.pid, "VmHWM")
    proc.terminate()
    proc.wait(10)
    print(f"reports: {args.reports}")
    print(f"start-up (process start to serving): {initial:.2f} s")
    print(f"edit → updated page served, {len(latencies)} edits: median {statistics.median(latencies):.0f} ms, "
          f"min {min(latencies):.0f} ms, max {max(latencies):.0f} ms")
    print(f"server memory: {rss} MiB resident now, {hwm} MiB peak")
    print("rebuild lines:", *[l for l in lines if l.startswith("changed")][-3:], sep="\n  ")
    if args.timings:
        print("last timings:", *timings[-12:], sep="\n  ")
    target = statistics.median(latencies) <= 50
    print("target (median ≤ 50 ms):", "PASS" if target else "FAIL")
    if args.keep:
        print("site kept in", work)
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
