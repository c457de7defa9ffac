"""rumod — moderation of Russian comments (clause 8 categories) from Python.

    >>> import rumod
    >>> engine = rumod.Engine.default()
    >>> v = engine.classify("ну ты и дебил")
    >>> v.labels
    ('insult',)
    >>> m = v.matches[0]
    >>> (m.rule, m.start, m.end, m.text)
    ('ins.debil', 8, 13, 'дебил')
    >>> [x.labels for x in engine.classify_batch(["привет", "ну ты и дебил"], threads=2)]
    [(), ('insult',)]

The package is a thin layer over the C++ library (``rumod._rumod``):

* :class:`Engine` — compiled rules; immutable and thread-safe, share one.
  ``classify`` and ``classify_batch`` release the GIL while scanning.
* :class:`Verdict` / :class:`Match` — results; ``start``/``end`` are ``str``
  indices (code points) into the classified text.
* :class:`BlacklistStore` and :class:`Policy` — the book of violations and
  bans (SQLite) and the escalation policy.
* :class:`Error` and subclasses — failures mapped from absl status codes.

Full reference: docs/python.md.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _rumod
from ._rumod import (  # noqa: F401  (re-exported)
    CATEGORIES,
    FLAGS,
    TRAITS,
    AlreadyExistsError,
    DataLossError,
    Engine,
    Error,
    Explanation,
    FailedPreconditionError,
    FakeClock,
    InternalError,
    InvalidArgumentError,
    Match,
    NotFoundError,
    OutOfRangeError,
    PermissionDeniedError,
    ResourceExhaustedError,
    SpamTracker,
    UnavailableError,
    UnimplementedError,
    Verdict,
    legal_basis,
    masked_excerpt,
    sha256_hex,
)

__version__: str = _rumod.__version__

__all__ = [
    "CATEGORIES", "TRAITS", "FLAGS", "Engine", "Verdict", "Match", "Explanation",
    "Policy", "Decision", "BlacklistStore", "RecordResult", "Violation", "Ban",
    "BanLift", "AuthorHistory", "CommentRef", "FakeClock", "SpamTracker", "Error",
    "InvalidArgumentError", "NotFoundError", "AlreadyExistsError",
    "FailedPreconditionError", "DataLossError", "UnavailableError",
    "OutOfRangeError", "PermissionDeniedError", "ResourceExhaustedError",
    "UnimplementedError", "InternalError", "legal_basis", "masked_excerpt",
    "sha256_hex", "version",
]

TimeLike = Union[_dt.datetime, float, int]


def _unpickle_engine(kind: str, data: bytes) -> Engine:
    """Pickle support: "default" -> Engine.default(), "bytes" -> Engine.from_bytes()."""
    return _rumod._unpickle_engine(kind, data)


def version() -> str:
    """Version of the C++ library the module was built from ("MAJOR.MINOR.PATCH")."""
    return _rumod.__version__


# --------------------------------------------------------------------------
# Time conversion: the native layer speaks Unix seconds (float).


def _as_float(x: Union[int, float], name: str) -> float:
    """float(x); an int beyond the float range (10**400) is InvalidArgumentError,
    like the infinities the native layer refuses, not OverflowError."""
    try:
        return float(x)
    except OverflowError:
        raise InvalidArgumentError(f"{name}: an integer of {x.bit_length()} bits is out of range") from None


def _to_seconds(t: Optional[TimeLike], name: str) -> Optional[float]:
    if t is None:
        return None
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:  # naive datetimes are UTC
            t = t.replace(tzinfo=_dt.timezone.utc)
        return t.timestamp()
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        raise TypeError(f"{name} must be a datetime or Unix seconds, not {type(t).__name__}")
    return _as_float(t, name)


def _to_duration(d: Union[_dt.timedelta, float, int, None], name: str) -> Optional[float]:
    if d is None:
        return None
    if isinstance(d, _dt.timedelta):
        return d.total_seconds()
    if isinstance(d, bool) or not isinstance(d, (int, float)):
        raise TypeError(f"{name} must be a timedelta or seconds, not {type(d).__name__}")
    return _as_float(d, name)


def _dt_or_none(s: Optional[float]) -> Optional[_dt.datetime]:
    if s is None:
        return None
    return _dt.datetime.fromtimestamp(s, tz=_dt.timezone.utc)


def _check_str(value: Any, name: str) -> str:
    """`value` itself; TypeError when it is not a str, InvalidArgumentError when
    it holds a lone surrogate (not valid Unicode, so it has no UTF-8 form)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be str, not {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as ex:
        raise InvalidArgumentError(
            f"{name}: lone surrogate U+{ord(value[ex.start]):04X} at index {ex.start} "
            "is not valid Unicode") from None
    return value


def _ids(platform: Any, page_id: Any, author_id: Any) -> Tuple[str, str, str]:
    """The three ids of an author, each checked by _check_str."""
    return (_check_str(platform, "platform"), _check_str(page_id, "page_id"),
            _check_str(author_id, "author_id"))


_INT64_MAX = 2**63 - 1


def _check_count(value: Any, name: str, top: int = _INT64_MAX) -> int:
    """`value` as an int in 0..top; TypeError for a non-int (bool included),
    InvalidArgumentError out of range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be int, not {type(value).__name__}")
    if not 0 <= value <= top:
        raise InvalidArgumentError(f"{name} must be in 0..{top}, got {value}")
    return value


# --------------------------------------------------------------------------
# Records (plain frozen dataclasses built from the native dicts).


@dataclasses.dataclass(frozen=True)
class CommentRef:
    """Identifies one comment: platform ("vk", "ok"), page, author and comment ids."""

    platform: str
    page_id: str
    author_id: str
    comment_id: str
    created_at: Optional[_dt.datetime] = None

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "CommentRef":
        return cls(d["platform"], d["page_id"], d["author_id"], d["comment_id"],
                   _dt_or_none(d["created_at"]))


@dataclasses.dataclass(frozen=True)
class Decision:
    """What to do about one comment (Policy.decide / the store).

    ``action`` is "keep", "review", "delete" or "ban" (delete + ban the
    author). For "ban", ``ban_until`` is the end of the ban (None and
    ``permanent`` True for a permanent ban); for "review" with
    ``proposed_ban`` the policy proposes that ban to a moderator.
    """

    action: str
    ban_until: Optional[_dt.datetime]
    permanent: bool
    proposed_ban: bool
    basis: Optional[str]
    reasons: Tuple[str, ...]
    actor: str

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "Decision":
        return cls(d["action"], _dt_or_none(d["ban_until"]), d["permanent"],
                   d["proposed_ban"], d["basis"], tuple(d["reasons"]), d["actor"])


@dataclasses.dataclass(frozen=True)
class BanLift:
    """How a ban ended early or was marked expired: kind "expired" or "unban"."""

    lifted_at: _dt.datetime
    kind: str
    actor: str
    reason: str


@dataclasses.dataclass(frozen=True)
class Ban:
    """A recorded ban. ``end`` None means permanent; ``lift`` is set once lifted."""

    id: int
    platform: str
    page_id: str
    author_id: str
    start: _dt.datetime
    end: Optional[_dt.datetime]
    category: str
    vk_reason: int
    reason: str
    actor: str
    violation_id: int
    lift: Optional[BanLift]

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "Ban":
        lift = d["lift"]
        return cls(d["id"], d["platform"], d["page_id"], d["author_id"],
                   _dt_or_none(d["start"]), _dt_or_none(d["end"]), d["category"],
                   d["vk_reason"], d["reason"], d["actor"], d["violation_id"],
                   BanLift(_dt_or_none(lift["lifted_at"]), lift["kind"], lift["actor"],
                           lift["reason"]) if lift else None)

    @property
    def permanent(self) -> bool:
        """True when the ban has no end."""
        return self.end is None


@dataclasses.dataclass(frozen=True)
class Violation:
    """A recorded violation (the store keeps a hash and a masked excerpt, not the text)."""

    id: int
    comment: CommentRef
    recorded_at: _dt.datetime
    categories: Tuple[str, ...]
    rule_ids: Tuple[str, ...]
    scores: Dict[str, float]
    text_sha256: str
    excerpt: str
    full_text: str
    action: str
    actor: str
    legal_basis: str
    reasons: Tuple[str, ...]

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "Violation":
        return cls(d["id"], CommentRef._from(d["comment"]), _dt_or_none(d["recorded_at"]),
                   tuple(d["categories"]), tuple(d["rule_ids"]), d["scores"],
                   d["text_sha256"], d["excerpt"], d["full_text"], d["action"], d["actor"],
                   d["legal_basis"], tuple(d["reasons"]))


@dataclasses.dataclass(frozen=True)
class AuthorHistory:
    """An author's record on one page: violations and bans, newest first."""

    violations: Tuple[Violation, ...]
    bans: Tuple[Ban, ...]
    active_ban: Optional[Ban]
    _native: Any = dataclasses.field(default=None, repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class RecordResult:
    """Result of recording a decision: ids are 0 when nothing was written."""

    violation_id: int
    ban_id: int
    decision: Decision

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "RecordResult":
        return cls(d["violation_id"], d["ban_id"], Decision._from(d["decision"]))


# --------------------------------------------------------------------------
# Policy.


class Policy:
    """Escalation policy: verdict + author history -> :class:`Decision`.

    ``Policy()`` has the defaults of include/rumod/policy.h (first violation
    in 30 days -> delete, the second -> ban 7 days, then 30 days, then
    permanent; insult below 0.7 -> review; 3 spam comments within an hour ->
    ban). ``Policy.load(path)`` / ``Policy.parse(text)`` read the file format
    of docs/blacklist.md. Immutable and thread-safe; picklable (as its text).
    """

    __slots__ = ("_p",)

    def __init__(self) -> None:
        self._p = _rumod._Policy()

    @classmethod
    def _wrap(cls, p: Any) -> "Policy":
        obj = cls.__new__(cls)
        obj._p = p
        return obj

    @classmethod
    def parse(cls, text: str, file_name: str = "<policy>") -> "Policy":
        """Parses policy text. InvalidArgumentError names file:line."""
        return cls._wrap(_rumod._Policy.parse(_check_str(text, "text"),
                                              _check_str(file_name, "file_name")))

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "Policy":
        """Reads a policy file. NotFoundError if missing, InvalidArgumentError if invalid."""
        return cls._wrap(_rumod._Policy.load(path))

    def to_text(self) -> str:
        """The policy in the file format (round-trips through parse())."""
        return self._p.to_text()

    def decide(self, verdict: Verdict, history: Optional[AuthorHistory] = None,
               now: Optional[TimeLike] = None,
               posted_at: Optional[TimeLike] = None) -> Decision:
        """The decision for one comment by an author with ``history``.

        ``history`` comes from :meth:`BlacklistStore.history` (None = a first
        offender); ``now`` defaults to the current time, ``posted_at`` to
        ``now``. Pure: records nothing (see BlacklistStore.decide_and_record).
        """
        if not isinstance(verdict, Verdict):
            raise TypeError(f"verdict must be rumod.Verdict, not {type(verdict).__name__}")
        native = None
        if history is not None:
            if not isinstance(history, AuthorHistory) or history._native is None:
                raise TypeError("history must be an AuthorHistory from BlacklistStore.history()")
            native = history._native
        n = _to_seconds(now, "now")
        if n is None:
            n = _dt.datetime.now(tz=_dt.timezone.utc).timestamp()
        return Decision._from(self._p._decide(verdict, native, n, _to_seconds(posted_at, "posted_at")))

    def __reduce__(self):
        return (Policy.parse, (self.to_text(),))

    def __repr__(self) -> str:
        return "<rumod.Policy>"


# --------------------------------------------------------------------------
# Blacklist store.


class BlacklistStore:
    """The book of violations and bans of official pages, in SQLite.

    Thread-safe: share one store between threads; several processes may open
    the same file (WAL; writers wait up to ``busy_timeout_ms``, then
    :class:`UnavailableError`). Every call releases the GIL while SQLite works.
    Use as a context manager or call :meth:`close`. Not picklable.

        store = rumod.BlacklistStore.open("bl.db")
        v = engine.classify(text)
        r = store.decide_and_record(v, platform="vk", page_id="42",
                                    author_id="777", comment_id="9001")
        r.decision.action        # "keep" | "review" | "delete" | "ban"
        store.is_banned("vk", "42", "777")
    """

    __slots__ = ("_s",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("use rumod.BlacklistStore.open(path, ...)")

    @classmethod
    def open(cls, path: Union[str, "os.PathLike[str]"], *, busy_timeout_ms: int = 5000,
             store_full_text: bool = False, excerpt_chars: int = 80,
             history_limit: int = 50, durable: bool = True,
             create_if_missing: bool = True,
             clock: Optional[FakeClock] = None) -> "BlacklistStore":
        """Opens (creating and migrating as needed) an SQLite database.

        Options are those of rumod::BlacklistStoreOptions. ``clock`` injects a
        :class:`FakeClock` (tests, replays); default is the system clock.
        Errors: InvalidArgumentError (bad options), NotFoundError (missing and
        not create_if_missing), FailedPreconditionError (newer schema),
        InternalError/UnavailableError (SQLite).
        """
        obj = cls.__new__(cls)
        int_max = 2**31 - 1
        obj._s = _rumod._BlacklistStore.open(
            path, _check_count(busy_timeout_ms, "busy_timeout_ms", int_max), store_full_text,
            _check_count(excerpt_chars, "excerpt_chars", int_max),
            _check_count(history_limit, "history_limit", int_max), durable,
            create_if_missing, clock)
        return obj

    def close(self) -> None:
        """Closes the database; later calls raise FailedPreconditionError."""
        self._s.close()

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._s.closed

    def __enter__(self) -> "BlacklistStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __reduce__(self):
        raise TypeError("rumod.BlacklistStore cannot be pickled; open the file in each process")

    @property
    def schema_version(self) -> int:
        """Schema version of the open database."""
        return self._s.schema_version

    def decide_and_record(self, verdict: Verdict, *, platform: str, page_id: str,
                          author_id: str, comment_id: str,
                          created_at: Optional[TimeLike] = None,
                          policy: Optional[Policy] = None) -> RecordResult:
        """Reads the author's history, lets ``policy`` decide and records the
        violation (and ban) in ONE transaction.

        ``verdict`` is the classification of the comment (its text is taken
        from ``verdict.text``); ``created_at`` is when the comment was posted
        (default: now); ``policy`` defaults to ``Policy()``. Nothing is
        written for a clean comment. InvalidArgumentError for empty ids.
        """
        self._check_verdict(verdict)
        p = None
        if policy is not None:
            if not isinstance(policy, Policy):
                raise TypeError(f"policy must be rumod.Policy, not {type(policy).__name__}")
            p = policy._p
        return RecordResult._from(self._s.decide_and_record(
            verdict, _check_str(platform, "platform"), _check_str(page_id, "page_id"),
            _check_str(author_id, "author_id"), _check_str(comment_id, "comment_id"),
            _to_seconds(created_at, "created_at"), p))

    def record(self, verdict: Verdict, *, platform: str, page_id: str, author_id: str,
               comment_id: str, action: str, actor: str,
               created_at: Optional[TimeLike] = None,
               ban_until: Optional[TimeLike] = None,
               reasons: Tuple[str, ...] = ()) -> RecordResult:
        """Records a decision already made (e.g. by a moderator: actor
        "moderator:<name>"). ``action`` is keep/review/delete/ban; a "ban"
        without ``ban_until`` is permanent."""
        self._check_verdict(verdict)
        return RecordResult._from(self._s.record(
            verdict, _check_str(platform, "platform"), _check_str(page_id, "page_id"),
            _check_str(author_id, "author_id"), _check_str(comment_id, "comment_id"),
            _to_seconds(created_at, "created_at"), _check_str(action, "action"),
            _to_seconds(ban_until, "ban_until"), _check_str(actor, "actor"),
            [_check_str(r, "reasons[]") for r in reasons]))

    def active_ban(self, platform: str, page_id: str, author_id: str) -> Optional[Ban]:
        """The ban in force now, or None."""
        d = self._s.active_ban(*_ids(platform, page_id, author_id))
        return Ban._from(d) if d is not None else None

    def is_banned(self, platform: str, page_id: str, author_id: str) -> bool:
        """True if a ban of the author on the page is in force now."""
        return self._s.active_ban(*_ids(platform, page_id, author_id)) is not None

    def history(self, platform: str, page_id: str, author_id: str) -> AuthorHistory:
        """The author's violations (newest first, at most history_limit) and bans."""
        h = self._s.history(*_ids(platform, page_id, author_id))
        d = h.to_dict()
        return AuthorHistory(tuple(Violation._from(v) for v in d["violations"]),
                             tuple(Ban._from(b) for b in d["bans"]),
                             Ban._from(d["active_ban"]) if d["active_ban"] else None, h)

    def ban_manually(self, platform: str, page_id: str, author_id: str, *, category: str,
                     reason: str, actor: str,
                     duration: Union[_dt.timedelta, float, None] = None) -> int:
        """A moderator's ban; ``duration`` None = permanent. Returns the ban id.
        InvalidArgumentError without reason/actor or for an unknown category."""
        return self._s.ban_manually(*_ids(platform, page_id, author_id),
                                    _check_str(category, "category"),
                                    _to_duration(duration, "duration"),
                                    _check_str(reason, "reason"), _check_str(actor, "actor"))

    def unban(self, platform: str, page_id: str, author_id: str, *, actor: str,
              reason: str) -> int:
        """Lifts every ban in force; returns how many. NotFoundError if none was."""
        return self._s.unban(*_ids(platform, page_id, author_id), _check_str(actor, "actor"),
                             _check_str(reason, "reason"))

    def record_expired_bans(self) -> int:
        """Records an "expired" lift for every ended ban; returns how many."""
        return self._s.record_expired_bans()

    def list_bans(self, *, platform: str = "", page_id: str = "", author_id: str = "",
                  since: Optional[TimeLike] = None, until: Optional[TimeLike] = None,
                  limit: int = 0, active_only: bool = False) -> List[Ban]:
        """Bans matching the filter (empty strings match everything)."""
        return [Ban._from(b) for b in self._s.list_bans(
            *_ids(platform, page_id, author_id), _to_seconds(since, "since"),
            _to_seconds(until, "until"), _check_count(limit, "limit"), active_only)]

    def list_violations(self, *, platform: str = "", page_id: str = "", author_id: str = "",
                        since: Optional[TimeLike] = None, until: Optional[TimeLike] = None,
                        limit: int = 0) -> List[Violation]:
        """Violations matching the filter, by comment creation time in [since, until)."""
        return [Violation._from(v) for v in self._s.list_violations(
            *_ids(platform, page_id, author_id), _to_seconds(since, "since"),
            _to_seconds(until, "until"), _check_count(limit, "limit"))]

    def export(self, format: str = "jsonl", path: Union[str, "os.PathLike[str]", None] = None,
               *, platform: str = "", page_id: str = "", author_id: str = "",
               since: Optional[TimeLike] = None, until: Optional[TimeLike] = None,
               limit: int = 0) -> str:
        """Violations and bans as "jsonl" (one object per line with "type") or
        "csv" (two sections). Returns the text; also writes it to ``path``
        (UTF-8) when given."""
        text = self._s.export(_check_str(format, "format"), *_ids(platform, page_id, author_id),
                              _to_seconds(since, "since"), _to_seconds(until, "until"),
                              _check_count(limit, "limit"))
        if path is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        return text

    @staticmethod
    def _check_verdict(verdict: Any) -> None:
        if not isinstance(verdict, Verdict):
            raise TypeError(f"verdict must be rumod.Verdict, not {type(verdict).__name__}")

    def __repr__(self) -> str:
        return "<rumod.BlacklistStore closed>" if self.closed else "<rumod.BlacklistStore>"
