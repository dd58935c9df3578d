"""The deployment files, checked as far as a machine without containers can:
they parse, their images and versions match the pins, and every STEADY_* / TELEGRAM_*
variable they set is one the code reads."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PINS = dict(re.findall(r'"([\w-]+)(?:\[\w+\])?==([\d.]+)"', (ROOT / "pyproject.toml").read_text()))
LOCK = dict(line.split("==") for line in (ROOT / "requirements.lock").read_text().split()
            if "==" in line)


def variables_the_code_reads() -> set[str]:
    names = set()
    for path in list((ROOT / "bot").rglob("*.py")) + [ROOT / "scripts" / "serve-rasa"]:
        names |= set(re.findall(r'"((?:STEADY|TELEGRAM)_[A-Z_]+)"', path.read_text()))
    return names


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def k8s() -> list[dict]:
    return [doc for doc in yaml.safe_load_all((ROOT / "deploy/k8s/steady.yaml").read_text()) if doc]


def test_compose_runs_two_rasa_replicas_behind_a_proxy_with_postgres_and_redis():
    services = compose()["services"]
    assert {"rasa-1", "rasa-2", "actions", "proxy", "postgres", "redis"} <= set(services)
    nginx = (ROOT / "deploy/nginx.conf").read_text()
    assert "server rasa-1:5005" in nginx and "server rasa-2:5005" in nginx and "ip_hash" in nginx
    assert services["rasa-1"]["environment"]["STEADY_LOCK_STORE_URL"].startswith("redis://")


def test_images_are_the_pinned_rasa_and_rasa_sdk_versions():
    rasa = (ROOT / "deploy/docker/rasa.Dockerfile").read_text()
    actions = (ROOT / "deploy/docker/actions.Dockerfile").read_text()
    assert f"FROM rasa/rasa:{PINS['rasa']}" in rasa
    assert f"FROM rasa/rasa-sdk:{PINS['rasa-sdk']}" in actions
    for dockerfile in (rasa, actions):
        for package, version in re.findall(r"([\w-]+)==([\d.]+)", dockerfile):
            assert LOCK.get(package, PINS.get(package)) == version, package
    assert compose()["services"]["rasa-1"]["image"].endswith(PINS["rasa"])
    assert compose()["services"]["actions"]["image"].endswith(PINS["rasa-sdk"])
    for doc in k8s():
        if doc["kind"] == "Deployment":
            [container] = doc["spec"]["template"]["spec"]["containers"]
            expected = PINS["rasa"] if container["name"] == "rasa" else PINS["rasa-sdk"]
            assert container["image"].endswith(expected)


def test_every_variable_the_deployments_set_is_read_by_the_code():
    known = variables_the_code_reads()
    set_here = set()
    for service in compose()["services"].values():
        set_here |= set(service.get("environment") or {})
    for doc in k8s():
        if doc["kind"] == "Deployment":
            for container in doc["spec"]["template"]["spec"]["containers"]:
                set_here |= {entry["name"] for entry in container.get("env", [])}
    ours = {name for name in set_here if name.startswith(("STEADY_", "TELEGRAM_"))}
    assert ours and ours <= known, ours - known


def test_secrets_are_never_written_into_the_files():
    text = (ROOT / "docker-compose.yml").read_text() + (ROOT / "deploy/k8s/steady.yaml").read_text()
    assert "${POSTGRES_PASSWORD}" in text and "secretKeyRef" in text
    assert not re.search(r"STEADY_SECRET_KEY:\s*[A-Za-z0-9_-]{40,}", text)


def test_rasa_servers_share_the_keys_and_server_key_of_the_action_servers():
    """Rasa servers seal conversations with keys in the keys database, wrapped by the server
    key: with a key of their own they would make keys no other server can unwrap."""
    services = compose()["services"]
    for name in ("rasa-1", "rasa-2"):
        for variable in ("STEADY_KEYS_URL", "STEADY_SECRET_KEY"):
            assert services[name]["environment"][variable] == services["actions"]["environment"][variable]
    containers = {container["name"]: {entry["name"]: entry for entry in container["env"]}
                  for doc in k8s() if doc["kind"] == "Deployment"
                  for container in doc["spec"]["template"]["spec"]["containers"]}
    for variable in ("STEADY_KEYS_URL", "STEADY_SECRET_KEY"):
        assert containers["rasa"][variable] == containers["actions"][variable]
