"""The moderator: runs the detectors over one text and asks the policy what to do."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from moderation import policy
from moderation.detectors.abuse import nickname_forms
from moderation.detectors.pii import find_pii
from moderation.detectors.risk import IMPLIED, apply_dampeners
from moderation.detectors.spam import find_spam
from moderation.lexicon import Lexicon, Match, RulesError, RuleSource
from moderation.normalise import Normalised, normalise
from moderation.verdict import Action, Context, Span, Verdict

BUILTIN_RULES = Path(__file__).with_name("rules")
RULES_ENV = "KVARTER_MODERATION_RULES"


class Moderator:
    """A compiled rules set. Build once, share freely: ``analyze`` keeps no state."""

    def __init__(self, lexicon: Lexicon, reasons: Mapping[str, Mapping[str, str]]) -> None:
        self.lexicon = lexicon
        self.reasons = reasons
        self._decided: dict[tuple[Context, frozenset[str]], tuple[Action, tuple[str, ...]]] = {}
        self._clean = {where: self._verdict(where, frozenset(), ()) for where in Context}

    @classmethod
    def from_dirs(cls, extra_dirs: Iterable[Path | str] = (), *, builtin: bool = True) -> Moderator:
        """Load the packaged rules (unless ``builtin`` is false) and then each extra directory in order.

        Raises RulesError naming the file and line of anything it cannot read.
        """
        source = RuleSource()
        reasons: dict[str, dict[str, str]] = {}
        roots = ([BUILTIN_RULES] if builtin else []) + [Path(d) for d in extra_dirs]
        for root in roots:
            source.read_dir(root)
            reasons_file = root / "reasons.toml"
            if reasons_file.is_file():
                try:
                    loaded = tomllib.loads(reasons_file.read_text(encoding="utf-8"))
                except tomllib.TOMLDecodeError as error:
                    raise RulesError(f"{reasons_file}: {error}") from error
                for section, table in loaded.items():
                    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                        raise RulesError(f"{reasons_file}: [{section}] must map flags to texts")
                    reasons.setdefault(section, {}).update(table)
        return cls(Lexicon(source), reasons)

    def analyze(self, text: str, *, context: str = Context.YOUTH_PUBLIC) -> Verdict:
        """Moderate ``text`` for ``context``; never raises for any text (only for an unknown context)."""
        try:
            where = _CONTEXTS[context]
        except (KeyError, TypeError):
            where = Context(context)  # raises ValueError for an unknown context
        text = _as_text(text)
        if where is Context.NICKNAME:
            spans = find_pii(text)
            norm, squashed = nickname_forms(text)
            matches, contexts = self.lexicon.match(norm, nickname=True)
            squashed_matches, _ = self.lexicon.match(squashed, nickname=True, squashed=True)
            matches += squashed_matches
            spans = [Span(0, len(text), s.flag) for s in spans]
        else:
            norm = normalise(text)
            spans = find_pii(text, norm.folded)
            matches, contexts = self.lexicon.match(norm)
        if matches:
            matches = apply_dampeners(matches, contexts, self.lexicon.dampeners)
            spans.extend(_match_spans(matches, norm, whole=len(text) if where is Context.NICKNAME else None))
        spans.extend(find_spam(text, norm))
        if not spans:
            # Most messages: a Verdict is immutable, so one per context serves them all.
            return self._clean[where]
        spans.extend(Span(s.start, s.end, IMPLIED[s.flag]) for s in list(spans) if s.flag in IMPLIED)
        unique = tuple(sorted(set(spans)))
        return self._verdict(where, frozenset(span.flag for span in unique), unique)

    def _verdict(self, where: Context, flags: frozenset[str], spans: tuple[Span, ...]) -> Verdict:
        # The action and reasons depend only on the context and the set of flags, and few such sets
        # occur, so they are worked out once per set (bounded: a rules set has a few dozen flags).
        decided = self._decided.get((where, flags))
        if decided is None:
            decided = (policy.decide(where, flags), policy.reasons_for(where, flags, self.reasons))
            if len(self._decided) < _DECIDED_MAX:
                self._decided[(where, flags)] = decided
        return Verdict(action=decided[0], flags=flags, spans=spans, reasons=decided[1], context=where)


_DECIDED_MAX = 4096
# Context("youth_public") goes through the enum machinery; a dict lookup is several times faster.
_CONTEXTS: dict[object, Context] = {where.value: where for where in Context}


def _match_spans(matches: Sequence[Match], norm: Normalised, *, whole: int | None) -> Iterable[Span]:
    for match in matches:
        for first, last in match.ranges:
            if whole is not None:
                yield Span(0, whole, match.rule.name)
            elif first < len(norm.starts) and last < len(norm.ends):
                start, end = norm.original_span(first, last)
                yield Span(start, end, match.rule.name)


def _as_text(text: object) -> str:
    """Whatever arrived, as a string: bytes are decoded leniently, anything else is str()-ed."""
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray | memoryview):
        return bytes(text).decode("utf-8", errors="replace")
    if text is None:
        return ""
    return str(text)


_default: Moderator | None = None


def default_moderator() -> Moderator:
    """The packaged rules plus the directories named in KVARTER_MODERATION_RULES (os.pathsep-separated)."""
    # One compiled automaton per process: building it takes about a second.
    global _default
    if _default is None:
        extra = [p for p in os.environ.get(RULES_ENV, "").split(os.pathsep) if p.strip()]
        _default = Moderator.from_dirs(extra)
    return _default


def reset_default() -> None:
    """Forget the default moderator, so the next call reloads the rules (after editing them)."""
    global _default
    _default = None
