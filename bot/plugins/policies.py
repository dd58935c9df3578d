"""Steady's dialogue policy: Rasa's ``RulePolicy``, registered as a component of its own
(``config.yml``: ``bot.plugins.policies.SteadyRulePolicy``) instead of patched in place.

Which rules fit a conversation depends only on its last few states, as many as the longest
rule has, so ``_get_possible_keys`` tests the rules on those states and remembers the answer
per such tail of states (``bot.plugins.speedups.get_possible_keys``, where the reasoning and
its equivalence test live). With ``STEADY_SPEEDUPS=0`` it is Rasa's own search, for
comparing the two (``scripts/bench.py``).
"""

from __future__ import annotations

from typing import Any, Dict, List, Set, Text

from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from bot.plugins import speedups


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class SteadyRulePolicy(RulePolicy):
    """``RulePolicy``, finding the rules that fit on the states a rule can see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._remembered = speedups.enabled()

    def _get_possible_keys(
        self, lookup: Dict[Text, Text], states: List[Dict[Text, Any]]
    ) -> Set[Text]:
        if not self._remembered:
            return super()._get_possible_keys(lookup, states)
        return speedups.get_possible_keys(self, lookup, states)
