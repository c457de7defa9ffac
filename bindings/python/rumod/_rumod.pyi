"""Type stubs of the native module rumod._rumod (bindings/python/src/_rumod.cc).

Use the public names through ``import rumod``; names starting with ``_`` are
internal to the package.
"""

import datetime
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

__version__: str
CATEGORIES: Tuple[str, ...]
"""The five clause 8 categories: spam, profanity, insult, hate, discrimination."""
TRAITS: Tuple[str, ...]
"""Protected traits: sex, age, race, nationality, language, religion, profession,
residence, work, politics, other."""
FLAGS: Tuple[str, ...]
"""Input flag names a Verdict may carry."""

_Path = Union[str, "os.PathLike[str]"]

class Error(Exception):
    """Base class of every error rumod raises for a failed operation."""

    status_code: str
    """absl status code name of this error, e.g. 'NOT_FOUND'."""

class InvalidArgumentError(Error, ValueError):
    """An argument or input file is invalid (absl INVALID_ARGUMENT)."""
    code: str

class NotFoundError(Error, LookupError):
    """A file, record or ban does not exist (absl NOT_FOUND)."""
    code: str

class AlreadyExistsError(Error):
    """The object already exists (absl ALREADY_EXISTS)."""
    code: str

class FailedPreconditionError(Error):
    """Wrong state: engine file from another platform, newer schema, closed store."""
    code: str

class DataLossError(Error):
    """Unrecoverable data corruption (absl DATA_LOSS)."""
    code: str

class UnavailableError(Error):
    """Transient failure, e.g. the SQLite database stayed locked (absl UNAVAILABLE)."""
    code: str

class OutOfRangeError(Error, ValueError):
    """A value is outside the valid range (absl OUT_OF_RANGE)."""
    code: str

class PermissionDeniedError(Error):
    """The caller lacks permission (absl PERMISSION_DENIED)."""
    code: str

class ResourceExhaustedError(Error):
    """Out of memory or disk (absl RESOURCE_EXHAUSTED)."""
    code: str

class UnimplementedError(Error):
    """The operation is not implemented (absl UNIMPLEMENTED)."""
    code: str

class InternalError(Error):
    """An internal invariant failed, e.g. an SQLite error (absl INTERNAL)."""
    code: str

class Match:
    """One rule hit, located in the classified str. Immutable; not picklable."""

    @property
    def rule(self) -> str:
        """Stable dictionary rule id, e.g. 'ins.debil'."""
    @property
    def category(self) -> str:
        """Category of the rule: one of CATEGORIES."""
    @property
    def trait(self) -> Optional[str]:
        """Protected trait (hate/discrimination rules) or None."""
    @property
    def start(self) -> int:
        """Start index (code points) in the original str."""
    @property
    def end(self) -> int:
        """End index (exclusive, code points) in the original str."""
    @property
    def byte_start(self) -> int:
        """Start offset in the UTF-8 encoding of the str."""
    @property
    def byte_end(self) -> int:
        """End offset (exclusive) in the UTF-8 encoding."""
    @property
    def text(self) -> str:
        """The matched slice of the original str: verdict.text[start:end]."""
    @property
    def form(self) -> str:
        """The matched normalized form."""
    @property
    def view(self) -> str:
        """Normalized view it was found in: 'text' or 'translit'."""
    @property
    def weight(self) -> float:
        """Contribution to the category score, 0..1."""
    @property
    def aimed(self) -> bool:
        """Insult cue aimed at the addressee/a person."""
    def to_dict(self) -> Dict[str, Any]:
        """The match as a JSON-ready dict (rule, category, trait, start, end, text,
        form, view, weight, aimed)."""

class Verdict:
    """The result of classifying one str. Immutable; cheap to create; not picklable
    (use to_dict())."""

    @property
    def labels(self) -> Tuple[str, ...]:
        """Positive categories in CATEGORIES order; () when clean."""
    @property
    def traits(self) -> Tuple[str, ...]:
        """Protected traits of the deciding hate/discrimination matches."""
    @property
    def scores(self) -> Dict[str, float]:
        """Score in [0, 1] for every category (a new dict each access)."""
    @property
    def matches(self) -> Tuple[Match, ...]:
        """Rule hits ordered by (start, end, rule)."""
    @property
    def flags(self) -> Tuple[str, ...]:
        """Input flags: invalid_utf8, confusables, masked, split_letters, stretched,
        invisible, truncated."""
    @property
    def input_flags(self) -> int:
        """The raw InputFlag bitmask of the C++ verdict."""
    @property
    def mixed_script_words(self) -> int:
        """Words in which look-alike letters were replaced inside Cyrillic words."""
    @property
    def clean(self) -> bool:
        """True when no category is positive."""
    @property
    def text(self) -> str:
        """The classified str."""
    def has(self, category: str) -> bool:
        """True if `category` is among the labels; InvalidArgumentError for an
        unknown category name."""
    def to_dict(self) -> Dict[str, Any]:
        """JSON-ready dict: labels, traits, scores, matches, flags, mixed_script_words."""
    def to_json(self) -> str:
        """to_dict() as JSON (ensure_ascii=False)."""

class Explanation:
    """Human-readable account of one classification; str() renders it like
    `rumod explain`."""

    @property
    def text_view(self) -> str:
        """Main normalized view."""
    @property
    def translit_view(self) -> str:
        """Transliteration view of all-Latin words ('' if none)."""
    @property
    def links(self) -> List[Tuple[int, int]]:
        """URLs/e-mails/mentions as (start, end) str indices."""
    @property
    def verdict(self) -> Verdict:
        """The Verdict."""
    @property
    def suppressed(self) -> List[Tuple[str, str]]:
        """(hit rule id, exception rule id) pairs removed by exceptions."""

class Engine:
    """Compiled rules. Immutable and thread-safe: share one Engine between threads.
    Picklable (the default engine by name, others as their serialized bytes)."""

    @staticmethod
    def default() -> Engine:
        """The engine compiled from dictionaries/ru at build time (embedded)."""
    @staticmethod
    def compile(path: _Path, *, hunspell_aff: Optional[str] = None,
                hunspell_dic: Optional[str] = None) -> Engine:
        """Compiles a dictionary directory (*.dict + confusables.tsv [+ domains.tsv]).
        InvalidArgumentError names file:line [id]; NotFoundError for a missing directory."""
    @staticmethod
    def load(path: _Path) -> Engine:
        """Loads a file written by save(). NotFoundError if missing; a wrong magic,
        version, platform or checksum raises InvalidArgumentError,
        FailedPreconditionError or DataLossError."""
    @staticmethod
    def from_bytes(data: bytes) -> Engine:
        """Loads an engine from to_bytes() output (errors as load())."""
    def save(self, path: _Path) -> None:
        """Writes the engine to a file."""
    def to_bytes(self) -> bytes:
        """The serialized engine (the save() file format)."""
    def classify(self, text: str) -> Verdict:
        """Classifies one str (TypeError for anything else). Releases the GIL while
        scanning; inputs longer than 1 MiB of UTF-8 are classified on their first
        1 MiB (flag 'truncated')."""
    def classify_batch(self, texts: Iterable[str], *, threads: int = 1) -> List[Verdict]:
        """Classifies texts on `threads` native threads (0 = one per core; values above 256 clamp to 256; negative is ValueError) with the
        GIL released; Verdicts in input order. TypeError if an item is not str."""
    def explain(self, text: str) -> Explanation:
        """Normalized views, matches and suppressed hits of one str."""
    def rules(self) -> List[Dict[str, Any]]:
        """Every dictionary entry as a dict (id, category, trait, kind, pattern,
        severity, file, line)."""
    @property
    def rule_count(self) -> int:
        """Number of compiled rules (exceptions included)."""
    @property
    def pattern_count(self) -> int:
        """Number of Hyperscan patterns after inflection expansion."""
    @property
    def content_hash(self) -> int:
        """FNV-1a 64 hash of the dictionary sources."""
    @property
    def is_default(self) -> bool:
        """True for the embedded default engine."""

class FakeClock:
    """A clock that moves only when told to (tests, replays). Thread-safe.
    Times are Unix seconds."""

    def __init__(self, start: float = 1767225600.0) -> None: ...
    def now(self) -> float:
        """Current time, Unix seconds."""
    def set(self, t: float) -> None:
        """Sets the time (Unix seconds)."""
    def advance(self, seconds: float) -> None:
        """Moves the time forward by `seconds`."""

class SpamTracker:
    """Cross-comment spam state: near-duplicate bursts (MinHash over the
    normalized text) and per-author flood rate within sliding windows, in
    bounded memory (docs/spam.md). Thread-safe; observe() releases the GIL.
    Not picklable (live state)."""

    def __init__(self, engine: Engine, window_seconds: float = 1800.0,
                 duplicate_threshold: int = 3, similarity: float = 0.5,
                 min_letters: int = 24, flood_max: int = 5,
                 flood_window_seconds: float = 60.0, max_buckets: int = 50000,
                 max_authors: int = 20000, clock: Optional[FakeClock] = None) -> None:
        """InvalidArgumentError for out-of-range options."""
    def observe(self, author: str, text: str,
                at: Union[datetime.datetime, float, None] = None) -> Dict[str, Any]:
        """Records one comment (now, or at `at`: a datetime, naive = UTC, or
        Unix seconds); returns
        {duplicate, flood, fingerprinted, similar, similar_authors, author_recent}."""
    @property
    def bucket_count(self) -> int: ...
    @property
    def author_count(self) -> int: ...
    @property
    def memory_bytes(self) -> int: ...

def masked_excerpt(text: str, spans: Sequence[Tuple[int, int]], max_chars: int = 80) -> str:
    """The masked excerpt the blacklist store keeps (spans as str indices)."""

def sha256_hex(text: str) -> str:
    """SHA-256 of the UTF-8 text, 64 lowercase hex characters."""

def legal_basis(category: str) -> str:
    """Clause 8 wording of the legal basis for a category."""

# Internal (wrapped by rumod.Policy / rumod.BlacklistStore).
class _Policy:
    def __init__(self) -> None: ...
    @staticmethod
    def parse(text: str, file_name: str = ...) -> _Policy: ...
    @staticmethod
    def load(path: _Path) -> _Policy: ...
    def to_text(self) -> str: ...
    def _decide(self, verdict: Verdict, history: Optional[_History], now: float,
                posted_at: Optional[float]) -> Dict[str, Any]: ...

class _History:
    def to_dict(self) -> Dict[str, Any]: ...

class _BlacklistStore:
    @staticmethod
    def open(path: _Path, busy_timeout_ms: int, store_full_text: bool, excerpt_chars: int,
             history_limit: int, durable: bool, create_if_missing: bool,
             clock: Optional[FakeClock]) -> _BlacklistStore: ...
    def close(self) -> None: ...
    closed: bool
    schema_version: int
    def decide_and_record(self, verdict: Verdict, platform: str, page_id: str,
                          author_id: str, comment_id: str, created_at: Optional[float],
                          policy: Optional[_Policy]) -> Dict[str, Any]: ...
    def record(self, verdict: Verdict, platform: str, page_id: str, author_id: str,
               comment_id: str, created_at: Optional[float], action: str,
               ban_until: Optional[float], actor: str, reasons: List[str]) -> Dict[str, Any]: ...
    def active_ban(self, platform: str, page_id: str, author_id: str) -> Optional[Dict[str, Any]]: ...
    def history(self, platform: str, page_id: str, author_id: str) -> _History: ...
    def ban_manually(self, platform: str, page_id: str, author_id: str, category: str,
                     duration: Optional[float], reason: str, actor: str) -> int: ...
    def unban(self, platform: str, page_id: str, author_id: str, actor: str, reason: str) -> int: ...
    def record_expired_bans(self) -> int: ...
    def list_bans(self, platform: str, page_id: str, author_id: str, since: Optional[float],
                  until: Optional[float], limit: int, active_only: bool) -> List[Dict[str, Any]]: ...
    def list_violations(self, platform: str, page_id: str, author_id: str,
                        since: Optional[float], until: Optional[float],
                        limit: int) -> List[Dict[str, Any]]: ...
    def export(self, format: str, platform: str, page_id: str, author_id: str,
               since: Optional[float], until: Optional[float], limit: int) -> str: ...

def _unpickle_engine(kind: str, data: bytes) -> Engine: ...
