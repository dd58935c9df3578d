"""Train the Rasa model only when its inputs changed; print the model's path.

The model is named after a hash of config.yml, domain.yml and everything under
data/, so an unchanged project reuses its model instantly (Rasa's own check
still loads the old model, which takes longer than this).
"""
from __future__ import annotations

import fcntl
import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Optional

ROOT = Path(__file__).resolve().parent.parent
# What the model is trained from: Rasa's own inputs, our classifiers' example files and
# the code of the components that train on them.
INPUTS = ["config.yml", "domain.yml", "data", "bot/data/understanding",
          "bot/plugins/understanding.py", "bot/language/classifier.py"]
KEEP = 3  # older models kept for a quick roll-back


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def ensure_model(root: Path = ROOT, validate: bool = True) -> Path:
    """The model for the project as it is, trained first if need be. Callers at the same
    time (``make test`` trains while the unit tests run; a test that needs the model waits)
    train it once: the second waits on a lock, then finds it. ``validate=False`` leaves out
    Rasa's check of the domain and data before training (``make test`` runs it beside)."""
    models = root / "models"
    target = models / f"steady-{fingerprint(root)}.tar.gz"
    if target.exists():
        print(f"Model is up to date: {target.relative_to(root)}", file=sys.stderr)
        return target
    models.mkdir(exist_ok=True)
    with (models / ".training.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            print(f"Model trained meanwhile: {target.relative_to(root)}", file=sys.stderr)
            return target
        return _train(root, models, target, validate)


def _train(root: Path, models: Path, target: Path, validate: bool = True) -> Path:
    print("Training the model (config, domain or data changed)…", file=sys.stderr)
    started = time.monotonic()
    # Trained under another name and renamed when whole: a caller that finds the model
    # without taking the lock never reads a half-written file.
    partial = target.name[: -len(".tar.gz")] + "-partial"
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--out", str(models),
         "--fixed-model-name", partial, *([] if validate else ["--skip-validation"])],
        # Rasa prints its banner ("Your Rasa model is trained and saved at …") to stdout;
        # this script's stdout is the model path alone, which run.sh and make read.
        cwd=root, check=True, stdout=sys.stderr,
    )
    (models / f"{partial}.tar.gz").replace(target)
    print(f"Trained in {time.monotonic() - started:.0f} s: {target.relative_to(root)}",
          file=sys.stderr)
    old = sorted(models.glob("steady-*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-KEEP]
    for path in old:
        path.unlink()
    return target


def main(argv: Optional[List[str]] = None) -> int:
    """Print the model's path (alone on stdout: ``scripts/run.sh`` and ``make`` read it).
    ``--skip-validation``: train without Rasa's check of the data first."""
    args = sys.argv[1:] if argv is None else argv
    print(ensure_model(validate="--skip-validation" not in args))
    return 0
