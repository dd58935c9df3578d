"""Start the real action server and Rasa server on free ports, for end-to-end tests."""
from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AUTH_TOKEN = "e2e-test-token"  # Rasa's HTTP API (tracker reads), as an operator would
REST_TOKEN = "e2e-rest-token-0123456789abcdef"  # STEADY_REST_TOKEN of every test server
TELEGRAM_SECRET = "e2e-webhook-secret_0123456789"  # of the shared pair's Telegram webhook
TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram/webhook"
#: One person's way from a situation to the composed draft, answered plainly (the next turn
#: would be "/save_draft").
TO_THE_DRAFT = [
    "my partner didn't text me back all evening",
    "/done_pausing",
    '/inform_feeling{"feeling": "scared"}',
    "that they're losing interest",
    "/affirm",
    '/inform_need{"need": "reassurance"}',
    "/skip",
    "/affirm",   # "So what happened was: … Is that it?"
]


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A port free on every address, below the range the system hands to outgoing
    connections: a port the system chose (bind to 0) could be given to a connection to the
    database or between the servers before the server binds it ("address already in use")."""
    high = min(_ephemeral_low(), 65536) - 1
    for _ in range(200):
        port = random.randint(min(10000, high - 1000), high)
        with socket.socket() as sock:
            try:
                sock.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not come up:\n{log.read_text()[-3000:]}")


@dataclass
class Steady:
    """One action server plus one Rasa server (or several) sharing a data directory."""

    model: Path
    data_dir: Path
    env_extra: dict = field(default_factory=dict)
    rasa_servers: int = 1
    action_servers: int = 1  # Rasa server i calls action server i % action_servers
    rasa_port: int = 0
    actions_port: int = 0
    actions_ports: list = field(default_factory=list)
    rasa_ports: list = field(default_factory=list)
    processes: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def url_of(self, server: int) -> str:
        return f"http://127.0.0.1:{self.rasa_ports[server]}"

    def _env(self) -> dict:
        # A developer's own Telegram bot or web settings must not leak into a test server.
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("TELEGRAM_", "STEADY_"))}
        env["STEADY_DATA_DIR"] = str(self.data_dir)
        env["STEADY_REST_TOKEN"] = REST_TOKEN
        env["RASA_TELEMETRY_ENABLED"] = "false"
        # Values may name the Rasa port, which is only chosen at start: "{rasa_port}".
        env.update({key: value.format(rasa_port=self.rasa_port)
                    for key, value in self.env_extra.items()})
        return env

    def start(self, attempts: int = 3) -> "Steady":
        """Start the pair; if another process took a chosen port first, again on new ports."""
        for attempt in range(attempts):
            try:
                return self._start()
            except RuntimeError as error:
                if "address already in use" not in str(error) or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _start(self) -> "Steady":
        from bot.config import write_endpoints

        self.rasa_ports = [free_port() for _ in range(self.rasa_servers)]
        self.actions_ports = [free_port() for _ in range(self.action_servers)]
        self.rasa_port, self.actions_port = self.rasa_ports[0], self.actions_ports[0]
        endpoints = [
            write_endpoints(
                ROOT / "endpoints.yml",
                self.data_dir / ("endpoints.yml" if index == 0 else f"endpoints-{index}.yml"),
                f"http://127.0.0.1:{port}/webhook", self._env(),
            )
            for index, port in enumerate(self.actions_ports)
        ]
        logs = self.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.processes, waits = [], []
        for index, port in enumerate(self.actions_ports):
            actions_log = logs / ("actions.log" if index == 0 else f"actions-{index}.log")
            actions = subprocess.Popen(
                [str(BIN / "rasa"), "run", "actions", "--actions", "actions",
                 "--port", str(port)],
                cwd=ROOT, env=self._env(), stdout=actions_log.open("ab"),
                stderr=subprocess.STDOUT, start_new_session=True,
            )
            self.processes.append(actions)
            waits.append((f"http://127.0.0.1:{port}/health", actions, actions_log))
        for index, port in enumerate(self.rasa_ports):
            rasa_log = logs / ("rasa.log" if index == 0 else f"rasa-{index}.log")
            rasa = subprocess.Popen(
                [str(BIN / "python"), "-m", "bot.plugins.launch", "run", "--model",
                 str(self.model), "--port", str(port), "--credentials",
                 str(ROOT / "credentials.yml"), "--endpoints",
                 str(endpoints[index % len(endpoints)]),
                 "--enable-api", "--auth-token", AUTH_TOKEN],
                cwd=ROOT, env=self._env(), stdout=rasa_log.open("ab"), stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            self.processes.append(rasa)
            waits.append((f"http://127.0.0.1:{port}/status?token={AUTH_TOKEN}", rasa, rasa_log))
        try:
            for url, process, log in waits:
                wait_for(url, process, log)
        except BaseException:
            self.stop()  # never leave a half-started pair behind
            raise
        return self

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def kill_rasa(self, server: int) -> None:
        """Kill one Rasa server at once (SIGKILL: no goodbye), as a crash would."""
        process = self.processes[self.action_servers + server]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def post_rest(self, body: object, token: Optional[str] = REST_TOKEN,
                  server: int = 0) -> requests.Response:
        """One raw request to the REST channel, with the token (or another, or none)."""
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return requests.post(
            f"{self.url_of(server) if self.rasa_ports else self.url}/webhooks/rest/webhook",
            json=body, headers=headers, timeout=60,
        )

    def say(self, sender: str, message: str, server: int = 0) -> list[dict]:
        """Send one message over the REST channel; return the bot's replies."""
        response = self.post_rest({"sender": sender, "message": message}, server=server)
        response.raise_for_status()
        return response.json()

    def parse(self, text: str) -> dict:
        """What the NLU (with the safety layer) makes of a message, without a conversation."""
        response = requests.post(f"{self.url}/model/parse", params={"token": AUTH_TOKEN},
                                 json={"text": text}, timeout=30)
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = requests.get(
            f"{self.url}/conversations/{sender}/tracker",
            params={"token": AUTH_TOKEN}, timeout=30,
        )
        response.raise_for_status()
        return response.json()


def stored_drafts(data_dir: Path) -> list[tuple[str, str, str]]:
    """(channel, user_id, text) of every saved draft, read the way the action server does
    (decrypted with the keys under the data directory); and no draft text is in the file."""
    import sqlite3

    from bot.storage import DraftStore

    db = data_dir / "steady.db"
    owners = sqlite3.connect(db).execute("select channel, user_id from identities").fetchall()
    store = DraftStore(f"sqlite:///{db}")
    found = [(channel, user_id, draft.text) for channel, user_id in owners
             for draft in store.list_drafts(channel, user_id)]
    store.engine.dispose()
    raw = db.read_bytes()
    assert not any(text.encode() in raw for _, _, text in found), "a draft is stored in clear"
    return found


def texts(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def buttons(replies: list[dict]) -> list[str]:
    return [b["title"] for reply in replies for b in reply.get("buttons", [])]


def model_path() -> Path:
    """The model for the current config and data, trained now if it is missing."""
    from harness.model import ensure_model

    return ensure_model()


def started(model: Path, data_dir: Path, env_extra: Optional[dict] = None,
            rasa_servers: int = 1, action_servers: int = 1) -> Steady:
    return Steady(model=model, data_dir=data_dir, env_extra=env_extra or {},
                  rasa_servers=rasa_servers, action_servers=action_servers).start()


def bring_checkins_due(data_dir: Path, user_id: str, database_url: Optional[str] = None) -> int:
    """Time passes for one person's check-ins: each still to come is due now (the stored
    time moved back by whole weeks, so a weekly one keeps its weekday and hour; the
    servers then deliver it as they would have at its time). Returns how many.

    Moved back by 520 weeks, not to one fixed date: 2000-01-01 was a Saturday at midnight,
    and the next weekly check-in, counted from it, fell on a Saturday at 8am (after the
    quiet hours), under five days ahead on a Monday morning."""
    back = "520 weeks"  # 3,640 days
    if database_url is None:
        import sqlite3

        with sqlite3.connect(data_dir / "steady.db") as connection:
            return connection.execute(
                "update checkins set due_at = strftime('%Y-%m-%d %H:%M:%S', due_at, '-3640 days')"
                " || '.000000'"
                " where user_id = ? and status = 'pending'",
                (user_id,),
            ).rowcount
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url, future=True)
    try:
        with engine.begin() as connection:
            return connection.execute(text(
                f"update checkins set due_at = due_at - interval '{back}' "
                "where user_id = :user and status = 'pending'"), {"user": user_id}).rowcount
    finally:
        engine.dispose()
