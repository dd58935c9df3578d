"""Throughput and latency of Steady against a stock `rasa init` assistant, in one run.

Both are started side by side on this machine and driven over the REST channel by the same
number of concurrent simulated users. For Steady each user goes through a whole reflection
to a saved draft; for the stock bot each user has its mood conversation. Prints messages per
second, p50/p95/p99 latency, the Steady/stock ratio, training time and peak memory.

A third bot, "rules-only", is the same stock assistant retrained with only the Memoization
and Rule policies (no TED, no UnexpecTED): the speed a rules-and-forms design should reach.
With ``--unsealed-too``, a second Steady whose tracker store keeps conversations in clear
(``seal: false``, a switch only this script uses) is driven turn about with the first:
what sealing every event costs. With ``--without-speedups`` the second Steady runs with
``STEADY_SPEEDUPS=0`` (Rasa as it is, bot/plugins/speedups.py): what they win.

    .venv/bin/python scripts/bench.py [--users 1 10 50] [--rounds 3] [--skip-stock]
        [--unsealed-too | --without-speedups | --variant-env NAME=VALUE ...]
"""
from __future__ import annotations

import argparse
import os
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
from harness.servers import REST_TOKEN, free_port, model_path, started, wait_for  # noqa: E402

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
    "/affirm",  # "So what happened was: … Is that it?"
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


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system) used so far by processes (``/proc/<pid>/stat``)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def drive(url: str, script: list[str], users: int, rounds: int, tag: str) -> dict:
    latencies: list[float] = []
    errors = 0

    def one_user(index: int) -> None:
        nonlocal errors
        session = requests.Session()
        # Steady's REST channel wants its token; the stock bots' Rasa channel ignores it.
        session.headers["Authorization"] = f"Bearer {REST_TOKEN}"
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
    return summary(latencies, time.perf_counter() - began, errors)


def summary(latencies: list[float], elapsed: float, errors: int) -> dict:
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"messages": len(latencies), "errors": errors, "rate": len(latencies) / elapsed,
            "p50": statistics.median(ordered) * 1000, "p95": pct(0.95), "p99": pct(0.99),
            "latencies": latencies, "elapsed": elapsed}


def merged(runs: list[dict]) -> dict:
    """Several runs as one: every message's latency, over the time all of them took."""
    return summary([latency for run in runs for latency in run["latencies"]],
                   sum(run["elapsed"] for run in runs), sum(run["errors"] for run in runs))


def script_of(bot: str) -> list[str]:
    return STOCK_SCRIPT if bot in ("stock", "rules-only") else STEADY_SCRIPT


def started_unsealed(model: Path, data_dir: Path):
    """Steady with ``seal: false`` under ``tracker_store`` in the endpoints file it is given."""
    import yaml

    import bot.config

    original = bot.config.write_endpoints

    def unsealed(*args, **kwargs) -> Path:
        path = original(*args, **kwargs)
        endpoints = yaml.safe_load(path.read_text())
        endpoints["tracker_store"]["seal"] = False
        path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
        return path

    bot.config.write_endpoints = unsealed
    try:
        return started(model, data_dir)
    finally:
        bot.config.write_endpoints = original


RULES_ONLY_POLICIES = "policies:\n  - name: MemoizationPolicy\n  - name: RulePolicy\n"


def init_stock(workdir: Path) -> float:
    """`rasa init` into workdir (trains the stock model); returns the seconds it took."""
    workdir.mkdir(parents=True)  # rasa init refuses a folder that does not exist
    began = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(workdir)],
                   check=True, capture_output=True)
    return time.monotonic() - began


def make_rules_only(stock: Path, workdir: Path) -> float:
    """The stock project with its policies replaced by Memoization + Rule, trained."""
    shutil.copytree(stock, workdir, ignore=shutil.ignore_patterns("models", "*.log"))
    config = (workdir / "config.yml").read_text()
    (workdir / "config.yml").write_text(config.split("policies:")[0] + RULES_ONLY_POLICIES)
    began = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "train", "--fixed-model-name", "rules-only"],
                   cwd=workdir, check=True, capture_output=True)
    return time.monotonic() - began


def start_stock(workdir: Path) -> tuple[subprocess.Popen, str]:
    model = max((workdir / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    port = free_port()
    log = workdir / "server.log"
    process = subprocess.Popen(
        [str(BIN / "rasa"), "run", "--model", str(model), "--port", str(port)],
        cwd=workdir, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/", process, log)
    return process, url


def train_steady_from_scratch(workdir: Path) -> float:
    """`rasa train` of Steady's config, domain and data in an empty folder (no cache)."""
    workdir.mkdir(parents=True)
    for name in ("config.yml", "domain.yml", "data"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, workdir / name)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # the safety rules component
    began = time.monotonic()
    subprocess.run([str(BIN / "rasa"), "train", "--fixed-model-name", "scratch"],
                   cwd=workdir, env=env, check=True, capture_output=True)
    return time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--rounds", type=int, default=2, help="conversations per user")
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--skip-training", action="store_true",
                        help="do not time a from-scratch training of Steady")
    parser.add_argument("--unsealed-too", action="store_true",
                        help="also drive a Steady that stores conversations in clear")
    parser.add_argument("--without-speedups", action="store_true",
                        help="also drive a Steady with STEADY_SPEEDUPS=0")
    parser.add_argument("--variant-env", nargs="+", metavar="NAME=VALUE",
                        help="also drive a Steady started with these environment variables")
    args = parser.parse_args()

    model = model_path()
    workdir = Path(tempfile.mkdtemp(prefix="steady-bench-"))
    trained: dict[str, float] = {}
    servers: dict[str, subprocess.Popen] = {}
    urls: dict[str, str] = {}
    steady = unsealed = None
    variant = "unsealed" if args.unsealed_too else \
        "no-speedups" if args.without_speedups else "variant"
    try:
        # One at a time, before any load: training uses both cores.
        if not args.skip_training:
            trained["Steady (from scratch)"] = train_steady_from_scratch(workdir / "train")
        if not args.skip_stock:
            trained["stock rasa init (incl. generating it)"] = init_stock(workdir / "stock")
            trained["rules-only (its NLU from the cache)"] = make_rules_only(
                workdir / "stock", workdir / "rules-only")
            for bot in ("stock", "rules-only"):
                servers[bot], urls[bot] = start_stock(workdir / bot)
        clock = time.perf_counter()
        steady = started(model, workdir / "steady")
        ready = {"steady": time.perf_counter() - clock}
        servers["steady"], urls["steady"] = steady.processes[1], steady.url
        if args.unsealed_too:
            unsealed = started_unsealed(model, workdir / "steady-unsealed")
        elif args.without_speedups:
            clock = time.perf_counter()
            unsealed = started(model, workdir / "steady-plain", {"STEADY_SPEEDUPS": "0"})
            ready["plain"] = time.perf_counter() - clock
        elif args.variant_env:
            unsealed = started(model, workdir / "steady-variant",
                               dict(pair.split("=", 1) for pair in args.variant_env))
        if unsealed:
            servers[variant], urls[variant] = unsealed.processes[1], unsealed.url

        # a Rasa server and an action server, started side by side, until both answer (with
        # STEADY_SPEEDUPS=0 DIET is loaded Rasa's way, by a step of training)
        print("ready to answer: " + ", ".join(f"{bot} {secs:.1f} s" for bot, secs in ready.items())
              + (f" ({ready['steady'] / ready['plain']:.2f}x)" if "plain" in ready else ""))
        for bot, url in urls.items():  # first requests trace TensorFlow functions, open files
            drive(url, script_of(bot), 2, 1, "warm-up")
        results: dict[tuple[str, int], dict] = {}
        cpu: dict[tuple[str, int], list] = {}  # ms of CPU per message: action, Rasa server
        for users in args.users:
            for bot, url in urls.items():
                if not (unsealed and bot in ("steady", variant)):
                    results[(bot, users)] = drive(url, script_of(bot), users, args.rounds, bot)
            if unsealed:  # turn about, a conversation per user each, so both see the same minutes
                rounds: dict[str, list] = {variant: [], "steady": []}
                pids = {variant: [p.pid for p in unsealed.processes],
                        "steady": [p.pid for p in steady.processes]}  # action, Rasa
                used = {bot: [0.0, 0.0] for bot in rounds}
                for index in range(args.rounds):  # who goes first alternates as well
                    for bot in list(rounds)[::1 if index % 2 == 0 else -1]:
                        before = [cpu_seconds([pid]) for pid in pids[bot]]
                        rounds[bot].append(drive(urls[bot], STEADY_SCRIPT, users, 1, bot))
                        for server, pid in enumerate(pids[bot]):
                            used[bot][server] += cpu_seconds([pid]) - before[server]
                for bot, runs in rounds.items():
                    results[(bot, users)] = merged(runs)
                    cpu[(bot, users)] = [seconds / results[(bot, users)]["messages"] * 1000
                                         for seconds in used[bot]]

        print(f"\n{'bot':10} {'users':>5} {'msgs':>6} {'err':>4} {'msg/s':>7} "
              f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        for (bot, users), r in results.items():
            print(f"{bot:10} {users:5d} {r['messages']:6d} {r['errors']:4d} {r['rate']:7.1f} "
                  f"{r['p50']:7.0f} {r['p95']:7.0f} {r['p99']:7.0f}")
        for other in ("stock", "rules-only", variant):
            if other in urls:
                print(f"\nSteady/{other} throughput ratio:")
                for users in args.users:
                    ratio = results[("steady", users)]["rate"] / results[(other, users)]["rate"]
                    print(f"  {users:3d} users: {ratio:.2f}x")
        for (bot, users), (action_ms, rasa_ms) in cpu.items():
            print(f"CPU a message at {users} users, {bot}: Rasa server {rasa_ms:.1f} ms, "
                  f"action server {action_ms:.1f} ms")
        print()
        for what, seconds in trained.items():
            print(f"Training: {what} {seconds:.0f} s")
        memory = [f"Steady Rasa server {peak_rss_mb(steady.processes[1].pid):.0f} MB",
                  f"Steady action server {peak_rss_mb(steady.processes[0].pid):.0f} MB"]
        memory += [f"{bot} Rasa server {peak_rss_mb(servers[bot].pid):.0f} MB"
                   for bot in ("stock", "rules-only", variant) if bot in servers]
        print("Peak memory: " + ", ".join(memory))
    finally:
        for kept in (steady, unsealed):
            if kept:
                kept.stop()
        for bot, process in servers.items():
            if bot not in ("steady", variant):
                process.terminate()
                process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
