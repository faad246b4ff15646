"""The action registry: the YAML key of each action → its implementation.

To add an action: write one module with its spec, `timing`, `refs`, `effect` and
`animate`, list it here, and add its test in tests/actions/.
"""

from __future__ import annotations

from vidgen.actions.base import ActionKind, ActionSpec
from vidgen.actions.flow import FlowKind
from vidgen.actions.highlight import HighlightKind, UnhighlightKind
from vidgen.actions.move import MoveKind
from vidgen.actions.show import HideKind, ShowKind
from vidgen.actions.transform import TransformKind
from vidgen.actions.wait import WaitKind

ACTION_KINDS: dict[str, ActionKind] = {
    kind.spec.kind: kind
    for kind in (
        ShowKind(),
        HideKind(),
        MoveKind(),
        FlowKind(),
        HighlightKind(),
        UnhighlightKind(),
        TransformKind(),
        WaitKind(),
    )
}

__all__ = ["ACTION_KINDS", "ActionKind", "ActionSpec"]
