"""Train the Rasa model only when its inputs changed; print the model's path (harness.model).

    .venv/bin/python scripts/model.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.model import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
