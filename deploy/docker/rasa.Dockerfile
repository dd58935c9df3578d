# The Rasa server image: Rasa's own image of the version in pyproject.toml, plus Steady's
# library (channels, tracker store, NLU safety component) and the web chat page.
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY web/ ./

FROM rasa/rasa:3.6.21
USER root
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY bot/ bot/
COPY actions/ actions/
# Rasa is in the image already; add what Steady pins besides it, from the same lock file.
RUN pip install --no-cache-dir -c requirements.lock \
      spacy==3.4.4 spacy-lookups-data==1.0.3 python-socketio==5.9.0 jsonschema==3.2.0 \
      SQLAlchemy==1.4.54 alembic==1.19.2 cryptography==50.0.2 psycopg2-binary redis \
 && pip install --no-cache-dir --no-deps .
COPY --from=web /web web/
COPY config.yml domain.yml credentials.yml endpoints.yml ./
COPY models/ models/
COPY scripts/serve-rasa scripts/
ENV RASA_TELEMETRY_ENABLED=false STEADY_DATA_DIR=/app/.steady
USER 1001
ENTRYPOINT ["scripts/serve-rasa"]
