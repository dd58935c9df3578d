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


# ------------------------------------------------------------------ only public doors are public

# What the internet may reach: the chat page and its assets, the chat socket, Telegram's
# webhook. (No /partner page exists.) Everything else a Rasa server answers is for the host.
PUBLIC = {("=", "/chat"), ("", "/chat/"), ("", "/socket.io/"), ("=", "/webhooks/telegram/webhook")}
REACHABLE = ["/chat", "/chat/", "/chat/webchat.js", "/chat/steady.css",
             "/socket.io/?EIO=4&transport=polling", "/webhooks/telegram/webhook"]
NOT_REACHABLE = ["/", "/webhooks/rest/webhook", "/webhooks/rest/", "/webhooks/telegram/",
                 "/webhooks/webchat/", "/status", "/version", "/model/parse",
                 "/conversations/tg-5151/tracker", "/conversations/tg-5151/messages",
                 "/chatty", "/socket.iox", "/webhooks/telegram/webhook/x"]


def nginx_blocks(text: str) -> list:
    """nginx.conf as nested (name, args, children) tuples; children is None for a simple
    directive. Enough of nginx's syntax for this file: words, quotes, comments, braces."""
    tokens = re.findall(r'"[^"]*"|\'[^\']*\'|#[^\n]*|[{};]|[^\s{};"\'#]+', text)
    tokens = [t for t in tokens if not t.startswith("#")]
    position = 0

    def block() -> list:
        nonlocal position
        directives, words = [], []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ";":
                directives.append((words[0], words[1:], None))
                words = []
            elif token == "{":
                directives.append((words[0], words[1:], block()))
                words = []
            elif token == "}":
                assert not words, f"unterminated directive {words}"
                return directives
            else:
                words.append(token.strip("\"'"))
        assert not words, f"unterminated directive {words}"
        return directives

    return block()


def nginx_locations() -> dict:
    """(modifier, path) -> the location's directives, for the one server block."""
    [server] = [d for d in nginx_blocks((ROOT / "deploy/nginx.conf").read_text())
                if d[0] == "server"]
    locations = {}
    for name, args, children in server[2]:
        if name == "location":
            key = (args[0], args[1]) if len(args) == 2 else ("", args[0])
            assert key[0] in ("", "="), f"regex locations make routing hard to check: {key}"
            locations[key] = children
    return locations, server[2]


def nginx_route(path: str) -> tuple:
    """The location nginx picks for ``path``: an exact match, else the longest prefix."""
    path = path.split("?")[0]
    locations, _ = nginx_locations()
    if ("=", path) in locations:
        return ("=", path)
    prefixes = [key for key in locations if key[0] == "" and path.startswith(key[1])]
    return max(prefixes, key=lambda key: len(key[1])) if prefixes else None


def proxied(directives) -> bool:
    return any(name == "proxy_pass" for name, _, _ in directives)


def test_nginx_routes_only_the_public_doors_and_answers_404_for_everything_else():
    locations, _ = nginx_locations()
    routed = {key for key, directives in locations.items() if proxied(directives)}
    assert routed == PUBLIC
    for key, directives in locations.items():
        if key not in PUBLIC:  # a catch-all may exist, but only to say 404
            assert [(n, a) for n, a, _ in directives] == [("return", ["404"])], key
    for path in REACHABLE:
        assert nginx_route(path) in PUBLIC, path
    for path in NOT_REACHABLE:
        route = nginx_route(path)
        assert route is None or not proxied(locations[route]), path


def test_nginx_passes_normalised_paths_and_the_clients_real_address():
    locations, server = nginx_locations()
    server_headers = [a for n, a, _ in server if n == "proxy_set_header"]
    for key in PUBLIC:
        directives = locations[key]
        [target] = [a[0] for n, a, _ in directives if n == "proxy_pass"]
        # With a path after the upstream, nginx sends the normalised path ("/chat/../x" is
        # "/x", which is not routed), never the raw one the client wrote.
        assert target == "http://rasa" + key[1], key
        # A location with proxy_set_header of its own inherits none of the server's.
        headers = [a for n, a, _ in directives if n == "proxy_set_header"] or server_headers
        assert ["X-Real-IP", "$remote_addr"] in headers, key


def k8s_ingress_paths() -> set:
    [ingress] = [doc for doc in k8s() if doc["kind"] == "Ingress"]
    return {(path["path"], path["pathType"]) for rule in ingress["spec"]["rules"]
            for path in rule["http"]["paths"]}


def k8s_route(path: str):
    """Kubernetes' rule: an Exact path, else the longest Prefix matching whole segments."""
    path = path.split("?")[0]
    paths = k8s_ingress_paths()
    if (path, "Exact") in paths:
        return path
    matches = [p for p, kind in paths if kind == "Prefix" and
               (path == p.rstrip("/") or path.startswith(p.rstrip("/") + "/"))]
    return max(matches, key=len) if matches else None


def test_the_kubernetes_ingress_routes_only_the_public_doors():
    assert k8s_ingress_paths() == {("/chat", "Prefix"), ("/socket.io", "Prefix"),
                                   ("/webhooks/telegram/webhook", "Exact")}
    for path in REACHABLE:
        assert k8s_route(path), path
    for path in NOT_REACHABLE:
        assert k8s_route(path) is None, path


def test_rasas_http_api_stays_off_and_never_opens_without_a_token():
    import subprocess

    started_with = [(ROOT / "scripts/run.sh").read_text()]
    for dockerfile in (ROOT / "deploy/docker").glob("*.Dockerfile"):
        started_with.append(dockerfile.read_text())
    for service in compose()["services"].values():
        started_with.append(str(service.get("command", "")) + str(service.get("entrypoint", "")))
    for doc in k8s():
        if doc["kind"] == "Deployment":
            for container in doc["spec"]["template"]["spec"]["containers"]:
                started_with.append(str(container.get("command", "")) + str(container.get("args", "")))
    assert not [text for text in started_with if "--enable-api" in text]
    # Whoever adds --enable-api to the container's command is stopped with a reason.
    refused = subprocess.run([str(ROOT / "scripts/serve-rasa"), "--enable-api"],
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode == 2 and "--auth-token" in refused.stderr


def test_the_action_server_is_reachable_from_the_rasa_servers_only():
    # compose: no published port; Kubernetes: a NetworkPolicy; make run: this machine only.
    assert "ports" not in compose()["services"]["actions"]
    [policy] = [doc for doc in k8s() if doc["kind"] == "NetworkPolicy"]
    assert policy["spec"]["podSelector"]["matchLabels"] == {"app": "steady", "part": "actions"}
    [rule] = policy["spec"]["ingress"]
    assert rule["from"] == [{"podSelector": {"matchLabels": {"app": "steady", "part": "rasa"}}}]
    assert 'SANIC_HOST="${SANIC_HOST:-127.0.0.1}"' in (ROOT / "scripts/run.sh").read_text()


def test_behind_the_proxy_the_rasa_servers_read_the_clients_address_from_it():
    assert compose()["services"]["rasa-1"]["environment"]["SANIC_REAL_IP_HEADER"] == "X-Real-IP"
    for doc in k8s():
        if doc["kind"] == "Deployment" and doc["metadata"]["name"] == "steady-rasa":
            [container] = doc["spec"]["template"]["spec"]["containers"]
            env = {entry["name"]: entry.get("value") for entry in container["env"]}
            assert env["SANIC_REAL_IP_HEADER"] == "X-Real-IP"


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


# What the action server imports (actions/ and the plain-Python parts of bot/), by the pip
# package that provides it; the rasa-sdk image already has rasa_sdk and sanic.
_ACTION_SERVER_PACKAGES = {
    "alembic": "alembic", "cryptography": "cryptography", "spacy": "spacy",
    "spacy_lookups_data": "spacy-lookups-data",  # bot/language/verbs.py reads its tables
    "sqlalchemy": "SQLAlchemy", "yaml": "pyyaml", "sklearn": "scikit-learn",
    "numpy": "spacy", "scipy": "scikit-learn",  # numpy comes with spaCy, scipy with sklearn
    "rasa_sdk": None, "sanic": None,  # the base image
}


def _action_server_imports() -> set[str]:
    import ast
    import sys

    found = set()
    for path in list((ROOT / "actions").rglob("*.py")) + list((ROOT / "bot").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "plugins" in parts or "channels" in parts or "migrations" in parts or \
                path.name == "tracker_store.py":  # loaded by the Rasa server only
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and \
                node.level == 0 else []
            found |= {name.split(".")[0] for name in names}
    return {name for name in found
            if name not in sys.stdlib_module_names and name not in ("bot", "actions", "__future__")}


def test_the_action_server_image_installs_everything_the_action_server_imports():
    dockerfile = (ROOT / "deploy/docker/actions.Dockerfile").read_text()
    imported = _action_server_imports()
    unknown = imported - set(_ACTION_SERVER_PACKAGES)
    assert not unknown, f"add these to _ACTION_SERVER_PACKAGES and the image: {unknown}"
    missing = {_ACTION_SERVER_PACKAGES[name] for name in imported
               if _ACTION_SERVER_PACKAGES[name] and
               not re.search(rf"\b{re.escape(_ACTION_SERVER_PACKAGES[name])}\b", dockerfile, re.I)}
    assert not missing, f"actions.Dockerfile does not install {missing}"


def test_the_installed_package_carries_every_data_file_bot_reads():
    package_data = re.search(r"bot = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.S).group(1)
    globs = re.findall(r'"([^"]+)"', package_data)
    for path in (ROOT / "bot" / "data").rglob("*.yml"):
        relative = path.relative_to(ROOT / "bot").as_posix()
        assert any(Path(relative).match(pattern) and
                   relative.count("/") == pattern.count("/") for pattern in globs), relative
