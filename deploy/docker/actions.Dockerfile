# The action server image: rasa-sdk's own image of the version in pyproject.toml, plus
# Steady's library (drafting, safety, storage). It needs no Rasa.
FROM rasa/rasa-sdk:3.6.2
USER root
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
COPY bot/ bot/
COPY actions/ actions/
RUN pip install --no-cache-dir -c requirements.lock \
      spacy==3.4.4 spacy-lookups-data==1.0.3 SQLAlchemy==1.4.54 alembic==1.19.2 \
      cryptography==50.0.2 psycopg2-binary pyyaml scikit-learn \
 && pip install --no-cache-dir --no-deps .
ENV STEADY_DATA_DIR=/app/.steady
USER 1001
CMD ["start", "--actions", "actions", "--port", "5055"]
