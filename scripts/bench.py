"""Throughput and latency of Steady against a stock `rasa init` assistant, in one run.

Both are started side by side on this machine and driven over the REST channel by the same
number of concurrent simulated users. For Steady each user goes through a whole reflection
to a saved draft; for the stock bot each user has its mood conversation. Prints messages per
second, p50/p95/p99 latency, the Steady/stock ratio, training time and peak memory.

    .venv/bin/python scripts/bench.py [--users 1 10 50] [--rounds 3] [--skip-stock]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import free_port, model_path, started, wait_for  # noqa: E402

BIN = Path(sys.executable).parent

STEADY_SCRIPT = [
    "hi",
    "my boyfriend said he would be home by seven and walked in at eleven without a text",
    "/done_pausing",
    "scared",
    "that he's losing interest in me",
    "/affirm",
    '/inform_need{"need": "reassurance"}',
    "text me when he's running late",
    "/save_draft",
]
STOCK_SCRIPT = ["hi", "i am sad", "yes", "great", "bye"]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (VmHWM), in MB."""
    total = 0
    pids = [pid] + [int(p) for p in subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def drive(url: str, script: list[str], users: int, rounds: int, tag: str) -> dict:
    latencies: list[float] = []
    errors = 0

    def one_user(index: int) -> None:
        nonlocal errors
        session = requests.Session()
        for round_ in range(rounds):
            sender = f"{tag}-{users}-{index}-{round_}-{time.monotonic_ns()}"
            for message in script:
                started_at = time.perf_counter()
                try:
                    response = session.post(f"{url}/webhooks/rest/webhook",
                                            json={"sender": sender, "message": message},
                                            timeout=120)
                    response.raise_for_status()
                except requests.RequestException:
                    errors += 1
                latencies.append(time.perf_counter() - started_at)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=users) as pool:
        list(pool.map(one_user, range(users)))
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"messages": len(latencies), "errors": errors, "rate": len(latencies) / elapsed,
            "p50": statistics.median(ordered) * 1000, "p95": pct(0.95), "p99": pct(0.99)}


def start_stock(workdir: Path) -> tuple[subprocess.Popen, str, float, Path]:
    workdir.mkdir(parents=True)  # rasa init refuses a folder that does not exist
    began = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(workdir)],
                   check=True, capture_output=True)
    train_seconds = time.monotonic() - began
    model = next((workdir / "models").glob("*.tar.gz"))
    port = free_port()
    log = workdir / "server.log"
    process = subprocess.Popen(
        [str(BIN / "rasa"), "run", "--model", str(model), "--port", str(port)],
        cwd=workdir, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/", process, log)
    return process, url, train_seconds, model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--rounds", type=int, default=2, help="conversations per user")
    parser.add_argument("--skip-stock", action="store_true")
    args = parser.parse_args()

    began = time.monotonic()
    model = model_path()
    steady_train = time.monotonic() - began  # 0-ish when the model was already trained
    workdir = Path(tempfile.mkdtemp(prefix="steady-bench-"))
    steady = started(model, workdir / "steady")
    stock = None
    try:
        results: dict[tuple[str, int], dict] = {}
        if not args.skip_stock:
            stock, stock_url, stock_train, _ = start_stock(workdir / "stock")
        for users in args.users:
            results[("steady", users)] = drive(steady.url, STEADY_SCRIPT, users, args.rounds, "s")
            if stock:
                results[("stock", users)] = drive(stock_url, STOCK_SCRIPT, users, args.rounds, "b")

        print(f"\n{'bot':8} {'users':>5} {'msgs':>6} {'err':>4} {'msg/s':>7} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        for (bot, users), r in results.items():
            print(f"{bot:8} {users:5d} {r['messages']:6d} {r['errors']:4d} {r['rate']:7.1f} "
                  f"{r['p50']:7.0f} {r['p95']:7.0f} {r['p99']:7.0f}")
        if stock:
            print("\nSteady/stock throughput ratio:")
            for users in args.users:
                ratio = results[("steady", users)]["rate"] / results[("stock", users)]["rate"]
                print(f"  {users:3d} users: {ratio:.2f}x")
            print(f"\nTraining: stock rasa init {stock_train:.0f} s (incl. project generation)")
        print(f"Training: Steady {steady_train:.0f} s "
              f"({'reused an up-to-date model' if steady_train < 5 else 'trained now'})")
        rasa_pid, actions_pid = steady.processes[1].pid, steady.processes[0].pid
        print(f"Peak memory: Steady Rasa server {peak_rss_mb(rasa_pid):.0f} MB, "
              f"action server {peak_rss_mb(actions_pid):.0f} MB"
              + (f", stock Rasa server {peak_rss_mb(stock.pid):.0f} MB" if stock else ""))
    finally:
        steady.stop()
        if stock:
            stock.terminate()
            stock.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
