"""YAML as people write it, and nothing more (issue 11): policy files and application files.

``yaml.safe_load`` builds no objects, but it still follows aliases (``*a``), which let a few lines
stand for billions of values once validated, and recurses once per level of nesting. Here an alias
is refused, and so is nesting deeper than Python can follow, each at its line.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import Node
from yaml.reader import ReaderError

from exportguard.domain.errors import InvalidInput, Problem


class _PlainLoader(yaml.SafeLoader):
    """The safe loader without aliases."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise ComposerError(None, None, "an alias (*name) is not allowed here", mark)
        node: Node | None = super().compose_node(parent, index)
        return node


def load_yaml(text: str, field: str = "file") -> Any:
    """The document in ``text``; malformed YAML is InvalidInput naming ``field`` and the line."""
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader, with aliases refused
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"{field} line {mark.line + 1}" if mark is not None else field
        message = "not YAML: " + " ".join(str(exc.problem or exc).split())
        raise InvalidInput(f"{at}: {message}", [Problem(at, message)]) from None
    except ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
        at = f"{field} line {text.count(chr(10), 0, exc.position) + 1}"
        message = f"character {exc.character!r} is not allowed in YAML"
        raise InvalidInput(f"{at}: {message}", [Problem(at, message)]) from None
    except yaml.YAMLError as exc:
        raise InvalidInput.of(field, f"not YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise InvalidInput.of(field, "nested too deeply to be a policy or an application") from None
