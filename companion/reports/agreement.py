"""Agreement between the two workers of a pair, as the report shows it.

A small adapter: the report asks for one figure per pair and month, whatever computes it.
Until the debriefs' `companion.agreement` is on main, this is plain percentage agreement.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    meetings: int
    percent: float | None  # 0-100
    kappa: float | None


def pair_agreement(
    mark_pairs: Sequence[tuple[Iterable[str], Iterable[str]]], universe: Sequence[str]
) -> Agreement:
    """How often two workers made the same call (ticked or not) on each marker of `universe`."""
    decisions = agreed = 0
    for first, second in mark_pairs:
        first, second = set(first), set(second)
        for marker in universe:
            decisions += 1
            agreed += (marker in first) == (marker in second)
    percent = 100 * agreed / decisions if decisions else None
    return Agreement(meetings=len(mark_pairs), percent=percent, kappa=None)
