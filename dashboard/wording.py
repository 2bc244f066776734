"""Counts in words: a number and its noun and verb always agree ('1 unit has', '3 units have')."""

from __future__ import annotations

from dashboard.rules import plural


def count(number: int, singular: str, plural_form: str | None = None) -> str:
    """'1 funding figure', '3 funding figures' (the rules module's `plural`, re-exported)."""
    return plural(number, singular, plural_form)


def verb(number: int, singular: str = "has", plural_form: str = "have") -> str:
    """The verb that agrees with a count: has/have, is/are, states/state."""
    return singular if number == 1 else plural_form


def count_with_verb(number: int, singular: str, verb_singular: str = "has") -> str:
    """'1 unit has', '2 units have', '0 units have'."""
    forms = {"has": "have", "is": "are", "was": "were", "states": "state"}
    plural_verb = forms.get(verb_singular, verb_singular)
    return f"{count(number, singular)} {verb(number, verb_singular, plural_verb)}"
