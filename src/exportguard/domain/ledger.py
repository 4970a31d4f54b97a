"""The audit log as a Merkle tree (RFC 9162, Certificate Transparency 2.0, section 2.1).

Events are the leaves, in the order the sequencer sealed them. The tree's root commits to every
leaf and to their order; a signed checkpoint (tree size, root, time) kept outside the database lets
anyone detect a later truncation, an edit (even with every hash recomputed) or a reordering: the
root of the first ``size`` leaves would no longer match. Inclusion and consistency proofs let an
outside auditor check one event, or that a later tree extends an earlier one, from hashes alone.

Pure functions: hashes in, hashes out (hex text at the edges, bytes inside).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

ORIGIN = "exportguard audit log"


def leaf_hash(entry: bytes) -> bytes:
    """RFC 9162 2.1.1: MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 2.1.1: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of the leaf hashes (RFC 9162 2.1.1), by the frontier: O(n) time, O(log n) memory."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.append(leaf)
    return frontier.root()


@dataclass
class Frontier:
    """The roots of the perfect subtrees of a growing tree, largest first: appending a leaf and
    the root are O(log n), so the sequencer never rereads the whole log."""

    size: int = 0
    nodes: list[tuple[int, bytes]] | None = None  # (height, hash)

    def append(self, leaf: bytes) -> None:
        nodes = self.nodes if self.nodes is not None else []
        height, node = 0, leaf
        while nodes and nodes[-1][0] == height:
            _, left = nodes.pop()
            node, height = node_hash(left, node), height + 1
        nodes.append((height, node))
        self.nodes, self.size = nodes, self.size + 1

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        acc = self.nodes[-1][1]
        for _, node in reversed(self.nodes[:-1]):
            acc = node_hash(node, acc)
        return acc

    def dump(self) -> list[list[object]]:
        return [[h, n.hex()] for h, n in (self.nodes or [])]

    @classmethod
    def load(cls, size: int, dumped: Sequence[Sequence[object]]) -> Frontier:
        return cls(size, [(int(str(h)), bytes.fromhex(str(n))) for h, n in dumped])


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 9162 2.1.3.1: the audit path of leaf ``index`` in the tree of ``leaves``."""
    n = len(leaves)
    if n <= 1:
        return []
    k = _split(n)
    if index < k:
        return [*inclusion_proof(index, leaves[:k]), root(leaves[k:])]
    return [*inclusion_proof(index - k, leaves[k:]), root(leaves[:k])]


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes | None:
    """RFC 9162 2.1.3.2: the root the proof leads to, or None if the proof has the wrong shape."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """RFC 9162 2.1.4.1: proof that the first ``old_size`` leaves' tree is a prefix of this one."""
    if old_size == 0 or old_size == len(leaves):
        return []
    return _subproof(old_size, leaves, complete=True)


def _subproof(m: int, leaves: Sequence[bytes], *, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [root(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], complete=complete), root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], complete=False), root(leaves[:k])]


def consistent(
    old_size: int, old_root: bytes, new_size: int, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: does ``proof`` show the old tree is a prefix of the new one?"""
    if old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        path = [old_root, *path]
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn % 2 == 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn % 2 == 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the tree at one moment (the text form of transparency logs' notes)."""

    size: int
    root: bytes
    timestamp: str  # ISO 8601, UTC
    signature: bytes = b""
    key_id: str = ""

    def note(self) -> bytes:
        """The exact bytes signed: origin, size, base64 root, time; one per line."""
        return f"{ORIGIN}\n{self.size}\n{base64.b64encode(self.root).decode()}\n{self.timestamp}\n".encode()

    def to_json(self) -> dict[str, object]:
        return {
            "origin": ORIGIN,
            "size": self.size,
            "root": self.root.hex(),
            "timestamp": self.timestamp,
            "key_id": self.key_id,
            "signature": base64.b64encode(self.signature).decode(),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Checkpoint:
        return cls(
            int(str(data["size"])),
            bytes.fromhex(str(data["root"])),
            str(data["timestamp"]),
            base64.b64decode(str(data["signature"])),
            str(data.get("key_id", "")),
        )
