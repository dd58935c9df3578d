"""``rasa data validate``, told which responses the custom actions say (``make validate``).

Steady's copy lives in domain.yml's responses, and most of them are said by the custom
actions (``dispatcher.utter_message(response="utter_…")``), not by a rule. Rasa's validator
looks for responses only in the stories and rules, so it would warn "The utterance '…' is
not used in any story or rule" for every one of them. This runs Rasa's own command, with the
arguments given, after taking out of that one check the responses the code names and no
story or rule uses. Every other check, and that one for every other response, is Rasa's,
unchanged. ``tests/test_copy.py`` checks the other way round: every response the code names
is in the domain.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Set

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.responses import asked_by_forms, said_by_code  # noqa: E402


def _tell_the_validator() -> None:
    from rasa.shared.core.events import ActionExecuted
    from rasa.validator import Validator

    gather = Validator._gather_utterance_actions

    def gather_for_rules(self: Any) -> Set[str]:
        in_rules = {event.action_name for story in self.story_graph.story_steps
                    for event in story.events if isinstance(event, ActionExecuted)}
        return gather(self) - ((said_by_code() | asked_by_forms()) - in_rules)

    Validator._gather_utterance_actions = gather_for_rules


if __name__ == "__main__":
    from rasa.__main__ import main

    _tell_the_validator()
    sys.argv = ["rasa", "data", "validate", *sys.argv[1:]]
    main()
