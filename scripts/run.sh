#!/usr/bin/env bash
# Start Steady: the action server and the Rasa server, stopped together by Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
# Drafts, conversations and keys are private: files this script creates are for us alone.
umask 077
# Rasa's telemetry would send usage and crash reports (Sentry) to Rasa; people's words stay here.
export RASA_TELEMETRY_ENABLED=false
export STEADY_DATA_DIR="${STEADY_DATA_DIR:-$PWD/.steady}"
PORT="${STEADY_PORT:-5005}"
ACTIONS_PORT="${STEADY_ACTIONS_PORT:-5055}"
ACTION_URL="${STEADY_ACTION_ENDPOINT_URL:-http://localhost:$ACTIONS_PORT/webhook}"
mkdir -p "$STEADY_DATA_DIR"

# REST is for the host's own scripts and is off without a token. Unless STEADY_REST_TOKEN is
# set, this machine keeps one of its own in a file only its owner can read (umask 077 above).
if [ -z "${STEADY_REST_TOKEN:-}" ]; then
  TOKEN_FILE="$STEADY_DATA_DIR/rest.token"
  if [ ! -s "$TOKEN_FILE" ]; then
    "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$TOKEN_FILE"
  fi
  chmod 600 "$TOKEN_FILE"
  STEADY_REST_TOKEN="$(cat "$TOKEN_FILE")"
  export STEADY_REST_TOKEN
  REST_AUTH="Authorization: Bearer \$(cat '$TOKEN_FILE')"   # the line printed, not the token
else
  REST_AUTH='Authorization: Bearer $STEADY_REST_TOKEN'
fi

MODEL="$("$BIN/python" scripts/model.py)"
# The server key (created with mode 0600 on first start) and the drafts schema, up front.
"$BIN/python" -m bot.storage.cli migrate
ENDPOINTS="$("$BIN/python" -c 'import sys; from pathlib import Path; from bot.config import write_endpoints; print(write_endpoints(Path("endpoints.yml"), Path(sys.argv[1]), sys.argv[2]))' \
  "$STEADY_DATA_DIR/endpoints.yml" "$ACTION_URL")"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "Stopping Steady…"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

# The action server answers anyone who reaches it with anyone's drafts: this machine only.
SANIC_HOST="${SANIC_HOST:-127.0.0.1}" "$BIN/rasa" run actions --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
"$BIN/python" -m bot.plugins.launch run --model "$MODEL" --port "$PORT" \
  --credentials credentials.yml --endpoints "$ENDPOINTS" &
pids+=($!)

for _ in $(seq 1 180); do
  if curl -fs "http://localhost:$PORT/" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "A server exited during start-up." >&2; exit 1; }; done
  sleep 1
done

if [ -n "${TELEGRAM_TOKEN:-}" ]; then
  if [ -n "${TELEGRAM_WEBHOOK_URL:-}" ]; then TELEGRAM="webhook at $TELEGRAM_WEBHOOK_URL"; else TELEGRAM="on (long polling): message your bot"; fi
else
  TELEGRAM="off (set TELEGRAM_TOKEN to connect a bot)"
fi
cat <<MSG

Steady is running.
  Chat in your browser:          http://localhost:$PORT/chat
  Telegram:                      $TELEGRAM
  Over HTTP:                     curl -s localhost:$PORT/webhooks/rest/webhook -H "$REST_AUTH" -d '{"sender": "me", "message": "hi"}'
  In a terminal:                 .venv/bin/rasa shell -i 127.0.0.1 --port $((PORT + 1)) --endpoints $ENDPOINTS   (in another terminal)
  Drafts and conversations are kept in $STEADY_DATA_DIR
Press Ctrl-C to stop.
MSG
wait -n "${pids[@]}"
