"""The action registry: the YAML key of each action → its implementation.

To add an action: write one module with its spec, `timing`, `refs`, `effect` and
`animate`, list it here, and add its test in tests/actions/.
"""

from __future__ import annotations

from vidgen.actions.base import ActionKind, ActionSpec
from vidgen.actions.emphasis import IndicateKind
from vidgen.actions.flow import FlowKind
from vidgen.actions.highlight import HighlightKind, UnhighlightKind
from vidgen.actions.move import MoveKind
from vidgen.actions.replace import ReplaceKind
from vidgen.actions.show import GrowKind, HideKind, ShowKind
from vidgen.actions.transform import TransformKind
from vidgen.actions.values import CountKind, SetKind, WriteKind
from vidgen.actions.wait import WaitKind

ACTION_KINDS: dict[str, ActionKind] = {
    kind.spec.kind: kind
    for kind in (
        ShowKind(),
        HideKind(),
        GrowKind(),
        MoveKind(),
        FlowKind(),
        HighlightKind(),
        UnhighlightKind(),
        IndicateKind(),
        TransformKind(),
        ReplaceKind(),
        SetKind(),
        WriteKind(),
        CountKind(),
        WaitKind(),
    )
}

__all__ = ["ACTION_KINDS", "ActionKind", "ActionSpec"]
