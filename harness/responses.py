"""The response names the code says (``utter_…`` quoted in the actions and ``bot/``).

``scripts/validate.py`` tells Rasa's validator about them, ``tests/test_copy.py`` checks
each is in the domain.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Set

ROOT = Path(__file__).resolve().parent.parent
# Where the code names responses: the actions, and the plain-Python modules that choose one.
CODE = ("actions/*.py", "bot/*.py")
_NAMED = re.compile(r"""["'](utter_[a-z0-9_]+)["']""")


def said_by_code(root: Path = ROOT) -> Set[str]:
    """Every response name written out, quoted, in the code (no name is built from parts)."""
    return {name for pattern in CODE for path in sorted(root.glob(pattern))
            for name in _NAMED.findall(path.read_text(encoding="utf-8"))}


def asked_by_forms(root: Path = ROOT) -> Set[str]:
    """``utter_ask_<slot>`` of every form's required slots: Rasa's form says them itself."""
    import yaml

    forms = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8")).get("forms") or {}
    return {f"utter_ask_{slot}" for form in forms.values()
            for slot in (form or {}).get("required_slots", [])}
