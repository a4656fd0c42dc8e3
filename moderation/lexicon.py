"""Lexicon files: their small pattern language, loading, and one Aho-Corasick automaton.

A rules directory holds one folder per language (``sv/``, ``en/``, …) of ``*.txt`` files.
A file is a list of sections; the packaged ``moderation/rules/`` explains the syntax at the top
of each file and in docs/moderation.md. In short::

    [terms]                       named alternatives, usable as @name in this language
    kill = döda | dödar | mörda*

    [risk.violence]               one pattern a line; the flag it raises is the section name
    @kill ~3 {dig|honom|henne}    "~N": the next part starts at most N words later (in order)
    fest* ~~8 @trouble            "~~N": both parts within N words, either order
    knivhugg*                     stem*: word start; *suffix: word end; *infix*: anywhere
    -kniv                         a leading "-" removes a pattern loaded earlier (deployments)

    [abuse.impersonation nickname]   "nickname": only for the nickname context
    [allow risk.]                 matches here cancel overlapping matches of those flags
    [context general_question]    named markers used by [dampen] lines
    [dampen]
    risk.weapon risk.violence if general_question unless personal

Every pattern word is normalised exactly like message text (see normalise.py), so å/ä/ö,
leet, case and elongation are handled once, on both sides.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import ahocorasick

from moderation.normalise import END, START, Normalised, _clean_token, collapse_repeats, fold, pattern_variants

MAX_EXPANSIONS = 20_000
_SECTION = re.compile(r"^\[([^\]]+)\]$")
_GAP = re.compile(r"^(~~?)(\d{1,2})$")
_FLAG = re.compile(r"^[a-z_]+\.[a-z_.]+$|^[a-z_]+\.$")


class RulesError(ValueError):
    """A rules file cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Dampener:
    """Drop ``flags`` when context ``when`` is present and context ``unless`` is not."""

    flags: tuple[str, ...]
    when: str
    unless: str | None


@dataclass(frozen=True, slots=True)
class _Line:
    section: str
    lang: str
    pattern: str
    origin: str


@dataclass(slots=True)
class RuleSource:
    """Everything read from rules directories, before compilation."""

    terms: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    lines: list[_Line] = field(default_factory=list)
    dampeners: list[Dampener] = field(default_factory=list)

    def read_dir(self, root: Path) -> None:
        """Add every ``<lang>/*.txt`` file under ``root``; files load in name order."""
        if not root.is_dir():
            raise RulesError(f"{root}: not a directory of moderation rules")
        for lang_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
            for path in sorted(lang_dir.glob("*.txt")):
                self.read_file(path, lang_dir.name)

    def read_file(self, path: Path, lang: str) -> None:
        """Add one rules file written in language ``lang``."""
        section = ""
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
            if not line:
                continue
            origin = f"{path}:{number}"
            header = _SECTION.match(line)
            if header:
                section = " ".join(header.group(1).split())
                _check_section(section, origin)
                continue
            if not section:
                raise RulesError(f"{origin}: a pattern before any [section]")
            if section == "terms":
                self._read_term(line, lang, origin)
            elif section == "dampen":
                self.dampeners.append(_parse_dampener(line, origin))
            elif line.startswith("-"):
                target = " ".join(line[1:].split())
                self.lines = [
                    kept
                    for kept in self.lines
                    if not (kept.section == section and kept.lang == lang and kept.pattern == target)
                ]
            else:
                self.lines.append(_Line(section, lang, " ".join(line.split()), origin))

    def _read_term(self, line: str, lang: str, origin: str) -> None:
        name, sep, value = line.partition("=")
        remove = name.endswith("-")
        name = name.rstrip("-+ ").strip()
        if not sep or not re.fullmatch(r"\w+", name):
            raise RulesError(f"{origin}: a term is written `name = alternative | alternative`")
        alternatives = [" ".join(a.split()) for a in _split_top(value, "|") if a.strip()]
        existing = self.terms[(lang, name)]
        if remove:
            self.terms[(lang, name)] = [a for a in existing if a not in alternatives]
        else:
            existing.extend(a for a in alternatives if a not in existing)


def _check_section(section: str, origin: str) -> None:
    words = section.split()
    head = words[0]
    if head in ("terms", "dampen") and len(words) == 1:
        return
    if head == "context" and len(words) == 2:
        return
    if head == "allow" and all(_FLAG.match(w) for w in words[1:]):
        return
    if _FLAG.match(head) and not head.endswith(".") and all(w == "nickname" for w in words[1:]):
        return
    raise RulesError(f"{origin}: unknown section [{section}]")


def _parse_dampener(line: str, origin: str) -> Dampener:
    match = re.fullmatch(r"(.+?)\s+if\s+(\w+)(?:\s+unless\s+(\w+))?", line)
    if not match or not all(_FLAG.match(f) for f in match.group(1).split()):
        raise RulesError(f"{origin}: a dampener is written `risk.weapon risk.violence if NAME unless NAME`")
    return Dampener(tuple(match.group(1).split()), match.group(2), match.group(3))


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside braces."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


# --- compilation --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled pattern line."""

    kind: str  # "flag", "allow" or "context"
    name: str  # the flag, the context name, or "allow"
    applies_to: tuple[str, ...]  # for allow rules: flag prefixes it cancels (empty: all)
    parts: tuple[int, ...]
    gaps: tuple[int, ...]
    ordered: bool
    nickname_only: bool
    origin: str


@dataclass(frozen=True, slots=True)
class Match:
    """A rule that matched, with the token ranges of its parts."""

    rule: Rule
    ranges: tuple[tuple[int, int], ...]


class _KeyUse(NamedTuple):
    """What seeing one key means, worked out when the rules are built."""

    parts: frozenset[int]  # parts the key completes on its own, which some rule needs
    contexts: frozenset[str]  # contexts the key names on its own
    rules: tuple[int, ...]  # rules to look at: those anchored on one of ``parts``
    stretched: tuple[int, ...]  # parts it completes only on an elongated token
    chains: tuple[tuple[int, int], ...]  # longer alternatives anchored on it: (alternative, index of the key)


class Lexicon:
    """All patterns of a rules set in one Aho-Corasick automaton, matched in one pass."""

    def __init__(self, source: RuleSource) -> None:
        self.dampeners = tuple(source.dampeners)
        self._keys: dict[str, int] = {}
        # An alternative is a chain of keys that must sit on adjacent tokens; each entry says
        # whether the key only counts on an elongated token (a collapsed spelling such as "kil").
        self._alts: list[tuple[tuple[int, bool], ...]] = []
        self._alt_ids: dict[tuple[tuple[int, bool], ...], int] = {}
        self._parts: list[tuple[int, ...]] = []
        self._part_ids: dict[tuple[int, ...], int] = {}
        self.rules: list[Rule] = []
        self._alt_parts: dict[int, list[int]] = defaultdict(list)
        for line in source.lines:
            self._add_line(line, source.terms)
        # Each alternative is looked at only when its rarest key is seen: "jag" starts thousands
        # of alternatives, "livet" few, so "jag ska ta livet av mig" is checked from "livet".
        uses: dict[int, int] = defaultdict(int)
        for alt in self._alts:
            for key_id, _ in set(alt):
                uses[key_id] += 1
        # Likewise a rule is looked at only when its rarest part was found ("du" is everywhere).
        # A one-part [context] rule needs no look at all: finding its part names the context.
        part_uses: dict[int, int] = defaultdict(int)
        for rule in self.rules:
            for part_id in set(rule.parts):
                part_uses[part_id] += 1
        part_contexts: dict[int, set[str]] = defaultdict(set)
        part_rules: dict[int, list[int]] = defaultdict(list)
        needed: set[int] = set()
        # For a rule of several parts, the set of them all: it is looked at only when all were found.
        self._rule_parts: list[frozenset[int] | None] = []
        for rule_id, rule in enumerate(self.rules):
            self._rule_parts.append(frozenset(rule.parts) if len(rule.parts) > 1 else None)
            if rule.kind == "context" and len(rule.parts) == 1:
                part_contexts[rule.parts[0]].add(rule.name)
                continue
            needed.update(rule.parts)
            part_rules[min(rule.parts, key=lambda part_id: part_uses[part_id])].append(rule_id)
        self._part_rules = {part_id: tuple(rule_ids) for part_id, rule_ids in part_rules.items()}
        self._part_contexts = {part_id: frozenset(names) for part_id, names in part_contexts.items()}
        # Most alternatives are one key, which completes its parts wherever it is seen. Per key,
        # the parts, contexts and rules that follow are worked out here, so matching does no
        # per-alternative or per-part work for them; where exactly each part was found is worked
        # out only for the few rules that need it.
        plain: dict[int, set[int]] = defaultdict(set)
        stretched: dict[int, set[int]] = defaultdict(set)
        chains: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for alt_id, alt in enumerate(self._alts):
            if len(alt) == 1:
                key_id, elongated_only = alt[0]
                (stretched if elongated_only else plain)[key_id].update(self._alt_parts[alt_id])
                continue
            anchor = min(range(len(alt)), key=lambda index: (uses[alt[index][0]], index))
            chains[alt[anchor][0]].append((alt_id, anchor))
        self._by_key: dict[int, _KeyUse] = {}
        for key_id in plain.keys() | stretched.keys() | chains.keys():
            plain_parts = plain.get(key_id, set())
            self._by_key[key_id] = _KeyUse(
                frozenset(plain_parts & needed),
                frozenset(name for part_id in plain_parts for name in part_contexts.get(part_id, ())),
                tuple(sorted({rule_id for part_id in plain_parts for rule_id in part_rules.get(part_id, ())})),
                tuple(sorted(stretched.get(key_id, ()))),
                tuple(chains.get(key_id, ())),
            )
        self._automaton = ahocorasick.Automaton()
        for key, key_id in self._keys.items():
            # What matching needs from a hit that ends at ``end``: the key's first letter is at
            # ``end - back``, and the key covers ``more`` tokens after the one holding that letter.
            back = len(key) - 1 - key.startswith(" ")
            self._automaton.add_word(key, (key_id, back, key.strip(" ").count(" ")))
        if self._keys:
            self._automaton.make_automaton()

    # building

    def _add_line(self, line: _Line, terms: dict[tuple[str, str], list[str]]) -> None:
        words = line.section.split()
        head = words[0]
        if head == "allow":
            kind, name, applies = "allow", "allow", tuple(words[1:])
        elif head == "context":
            kind, name, applies = "context", words[1], ()
        else:
            kind, name, applies = "flag", head, ()
        for alternative in _split_top(line.pattern, "|"):
            self._add_pattern(line, alternative.strip(), kind, name, applies, words, terms)

    def _add_pattern(
        self,
        line: _Line,
        pattern: str,
        kind: str,
        name: str,
        applies: tuple[str, ...],
        words: list[str],
        terms: dict[tuple[str, str], list[str]],
    ) -> None:
        pieces = [piece for piece in _split_top(pattern, " ") if piece]
        part_texts: list[list[str]] = [[]]
        gaps: list[int] = []
        ordered = True
        for piece in pieces:
            gap = _GAP.match(piece)
            if gap:
                if not part_texts[-1]:
                    raise RulesError(f"{line.origin}: a gap needs a part on both sides")
                if gap.group(1) == "~~":
                    ordered = False
                gaps.append(int(gap.group(2)))
                part_texts.append([])
            else:
                part_texts[-1].append(piece)
        if not part_texts[-1]:
            raise RulesError(f"{line.origin}: a gap needs a part on both sides")
        if not ordered and len(part_texts) != 2:
            raise RulesError(f"{line.origin}: `~~N` joins exactly two parts")
        part_ids: list[int] = []
        for items in part_texts:
            phrases = _expand(items, line.lang, terms, line.origin)
            alt_ids = sorted({alt for phrase in phrases for alt in self._phrase_alts(phrase, line.origin)})
            if not alt_ids:
                raise RulesError(f"{line.origin}: the pattern has no words")
            part_ids.append(self._part(tuple(alt_ids)))
        rule = Rule(kind, name, applies, tuple(part_ids), tuple(gaps), ordered, "nickname" in words[1:], line.origin)
        self.rules.append(rule)

    def _part(self, alt_ids: tuple[int, ...]) -> int:
        part_id = self._part_ids.get(alt_ids)
        if part_id is None:
            part_id = len(self._parts)
            self._parts.append(alt_ids)
            self._part_ids[alt_ids] = part_id
            for alt_id in alt_ids:
                self._alt_parts[alt_id].append(part_id)
        return part_id

    def _phrase_alts(self, phrase: list[str], origin: str) -> Iterator[int]:
        """Alternatives (key chains) for one phrase, with its spelling variants."""
        cleaned: list[tuple[bool, str, bool]] = []
        for word in phrase:
            lead, trail = word.startswith("*"), word.endswith("*") and len(word) > 1
            marker = {"^": START, "$": END}.get(word)
            core = marker or _clean_token(fold(word.strip("*")))
            if not core or " " in core:
                raise RulesError(f"{origin}: cannot read the word {word!r}")
            cleaned.append((lead, core, trail))
        variant_lists = [sorted(pattern_variants(core)) for _, core, _ in cleaned]
        for variant in itertools.islice(itertools.product(*variant_lists), 64):
            words = [(lead, core, trail) for (lead, _, trail), core in zip(cleaned, variant, strict=True)]
            yield self._alt(_chain(words), origin)
            collapsed = [(lead, collapse_repeats(core), trail) for lead, core, trail in words]
            if collapsed != words:
                yield self._alt(_chain(collapsed), origin, elongated_only=True)

    def _alt(self, chain: list[str], origin: str, *, elongated_only: bool = False) -> int:
        keys = tuple((self._key(key), elongated_only) for key in chain)
        alt_id = self._alt_ids.get(keys)
        if alt_id is None:
            alt_id = len(self._alts)
            self._alts.append(keys)
            self._alt_ids[keys] = alt_id
        return alt_id

    def _key(self, key: str) -> int:
        key_id = self._keys.get(key)
        if key_id is None:
            key_id = len(self._keys)
            self._keys[key] = key_id
        return key_id

    # matching

    def match(
        self, norm: Normalised, *, nickname: bool = False, squashed: bool = False
    ) -> tuple[list[Match], set[str]]:
        """Flag rules matched in ``norm`` (after [allow] cancellations) and the contexts present.

        Nickname-only rules count only with ``nickname``; with ``squashed`` (a nickname with its
        words joined) only they count.
        """
        if not self._keys:
            return [], set()
        # A key that starts on a given token always ends on the same token, so first → last.
        key_hits: dict[int, dict[int, int]] = {}
        text_starts: list[int] | None = None
        for end, (key_id, back, more) in self._automaton.iter(norm.text):
            if text_starts is None:
                text_starts = norm.text_starts()
            first = bisect_right(text_starts, end - back) - 1
            spots = key_hits.get(key_id)
            if spots is None:
                key_hits[key_id] = {first: first + more}
            else:
                spots[first] = first + more
        if not key_hits:
            return [], set()
        found_parts: set[int] = set()
        contexts: set[str] = set()
        candidates: list[int] = []
        # Hits of parts reached through an elongated spelling or a chain of keys (rare).
        extra: dict[int, list[tuple[int, int]]] = {}
        by_last: dict[int, dict[int, int]] = {}
        by_key = self._by_key
        for key_id, spots in key_hits.items():
            use = by_key.get(key_id)
            if use is None:
                continue
            parts, names, rules, stretched, chains = use
            if parts:
                found_parts |= parts
            if names:
                contexts |= names
            if rules:
                candidates.extend(rules)
            if stretched and norm.any_elongated:
                elongated = norm.elongated
                found = [(first, last) for first, last in spots.items() if any(elongated[first : last + 1])]
                if found:
                    for part_id in stretched:
                        extra.setdefault(part_id, []).extend(found)
            for alt_id, anchor in chains:
                found = self._alt_occurrences(alt_id, anchor, key_hits, by_last, norm)
                if found:
                    for part_id in self._alt_parts[alt_id]:
                        extra.setdefault(part_id, []).extend(found)
        for part_id in extra:
            found_parts.add(part_id)
            contexts |= self._part_contexts.get(part_id, frozenset())
            candidates.extend(self._part_rules.get(part_id, ()))
        if not candidates:
            return [], contexts
        hits = _PartHits(key_hits, by_key, extra)
        allowed: list[tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = []
        flagged: list[Rule] = []
        for rule_id in sorted(set(candidates)):
            all_parts = self._rule_parts[rule_id]
            if all_parts is not None and not found_parts >= all_parts:
                continue
            rule = self.rules[rule_id]
            if rule.kind == "flag":
                if not ((squashed and not rule.nickname_only) or (rule.nickname_only and not nickname)):
                    flagged.append(rule)
                continue
            ranges = _rule_ranges(rule, hits.of(rule))
            if ranges is None:
                continue
            if rule.kind == "allow":
                allowed.append((rule.applies_to, ranges))
            else:
                contexts.add(rule.name)
        matches: list[Match] = []
        for rule in flagged:
            part_hits = hits.of(rule)
            cancelled = (
                {
                    token
                    for applies, ranges in allowed
                    if _applies(applies, rule.name)
                    for first, last in ranges
                    for token in range(first, last + 1)
                }
                if allowed
                else None
            )
            if cancelled:
                part_hits = {
                    part_id: [hit for hit in part_hits[part_id] if cancelled.isdisjoint(range(hit[0], hit[1] + 1))]
                    for part_id in part_hits
                }
            found_ranges = _rule_ranges(rule, part_hits)
            if found_ranges is not None:
                matches.append(Match(rule, found_ranges))
        return matches, contexts

    def _alt_occurrences(
        self,
        alt_id: int,
        anchor: int,
        key_hits: dict[int, dict[int, int]],
        by_last: dict[int, dict[int, int]],
        norm: Normalised,
    ) -> list[tuple[int, int]]:
        """Where the whole key chain of one alternative sits, found outward from its anchor key."""
        chain = self._alts[alt_id]
        found: list[tuple[int, int]] = []
        elongated = norm.elongated
        for first, last in key_hits[chain[anchor][0]].items():
            if chain[anchor][1] and not any(elongated[first : last + 1]):
                continue
            start = first
            for key_id, elongated_only in reversed(chain[:anchor]):
                if key_id not in by_last:
                    by_last[key_id] = {end: begin for begin, end in key_hits.get(key_id, {}).items()}
                before = by_last[key_id].get(start - 1)
                if before is None or (elongated_only and not any(elongated[before:start])):
                    break
                start = before
            else:
                end = last
                for key_id, elongated_only in chain[anchor + 1 :]:
                    following = key_hits.get(key_id)
                    nxt_last = following.get(end + 1) if following else None
                    if nxt_last is None or (elongated_only and not any(elongated[end + 1 : nxt_last + 1])):
                        break
                    end = nxt_last
                else:
                    found.append((start, end))
        return found


class _PartHits:
    """Where each part was found in one text, worked out on demand from the key hits."""

    __slots__ = ("_by_key", "_extra", "_key_hits", "_known")

    def __init__(
        self,
        key_hits: dict[int, dict[int, int]],
        by_key: dict[int, _KeyUse],
        extra: dict[int, list[tuple[int, int]]],
    ) -> None:
        self._key_hits = key_hits
        self._by_key = by_key
        self._extra = extra
        self._known: dict[int, list[tuple[int, int]]] = {}

    def of(self, rule: Rule) -> dict[int, list[tuple[int, int]]]:
        """The token ranges of each part of ``rule`` that was found."""
        found: dict[int, list[tuple[int, int]]] = {}
        for part_id in rule.parts:
            hits = self._known.get(part_id)
            if hits is None:
                hits = list(self._extra.get(part_id, ()))
                for key_id, spots in self._key_hits.items():
                    use = self._by_key.get(key_id)
                    if use is not None and part_id in use.parts:
                        hits.extend(spots.items())
                self._known[part_id] = hits
            if hits:
                found[part_id] = hits
        return found


def _applies(prefixes: tuple[str, ...], flag: str) -> bool:
    return not prefixes or any(flag == p or flag.startswith(p) for p in prefixes)


def _rule_ranges(rule: Rule, part_hits: dict[int, list[tuple[int, int]]]) -> tuple[tuple[int, int], ...] | None:
    """The token ranges of the rule's match, or None.

    A one-part rule returns every occurrence; a chain returns one way its parts fit their gaps.
    Candidates for the next part are looked up by position (bisect), so a long text full of
    partial matches costs n·log n, not n².
    """
    hits = [part_hits.get(part_id) for part_id in rule.parts]
    if not all(hits):
        return None
    sorted_hits = [sorted(set(h or ())) for h in hits]
    if len(sorted_hits) == 1:
        return tuple(sorted_hits[0])
    starts = [[hit[0] for hit in h] for h in sorted_hits]
    if not rule.ordered:
        first_hits, second_hits = sorted_hits
        by_end = sorted(second_hits, key=lambda hit: hit[1])
        ends = [hit[1] for hit in by_end]
        gap = rule.gaps[0]
        for first in first_hits:
            after = bisect_left(starts[1], first[1] + 1)
            if after < len(second_hits) and second_hits[after][0] <= first[1] + 1 + gap:
                return (first, second_hits[after])
            before = bisect_right(ends, first[0] - 1) - 1
            if before >= 0 and by_end[before][1] >= first[0] - 1 - gap:
                return (by_end[before], first)
        return None
    return _ordered_chain(rule.gaps, sorted_hits, starts, 0, None)


def _ordered_chain(
    gaps: tuple[int, ...],
    hits: list[list[tuple[int, int]]],
    starts: list[list[int]],
    index: int,
    previous: tuple[int, int] | None,
) -> tuple[tuple[int, int], ...] | None:
    if previous is None:
        window = hits[index]
    else:
        low = bisect_left(starts[index], previous[1] + 1)
        high = bisect_right(starts[index], previous[1] + 1 + gaps[index - 1])
        window = hits[index][low:high]
    for hit in window:
        if index == len(hits) - 1:
            return (hit,)
        rest = _ordered_chain(gaps, hits, starts, index + 1, hit)
        if rest is not None:
            return (hit, *rest)
    return None


def _chain(words: list[tuple[bool, str, bool]]) -> list[str]:
    """Cut a phrase into keys where a wildcard sits inside it ("bryt* sig in" → " bryt", " sig in ")."""
    keys: list[str] = []
    current: list[str] = []
    lead_of_current = False
    for index, (lead, core, trail) in enumerate(words):
        if current and lead:
            keys.append(("" if lead_of_current else " ") + " ".join(current))
            current = []
        if not current:
            lead_of_current = lead
        current.append(core)
        if trail or index == len(words) - 1:
            keys.append(("" if lead_of_current else " ") + " ".join(current) + ("" if trail else " "))
            current = []
    return keys


def _expand(items: list[str], lang: str, terms: dict[tuple[str, str], list[str]], origin: str) -> list[list[str]]:
    """All word sequences an item list stands for (alternatives and @terms multiplied out)."""
    options: list[list[list[str]]] = [_item_options(item, lang, terms, origin, depth=0) for item in items]
    phrases: list[list[str]] = []
    for combo in itertools.product(*options):
        phrase = [word for piece in combo for word in piece]
        if phrase:
            phrases.append(phrase)
        if len(phrases) > MAX_EXPANSIONS:
            raise RulesError(f"{origin}: expands to more than {MAX_EXPANSIONS} phrases")
    return phrases


def _item_options(
    item: str, lang: str, terms: dict[tuple[str, str], list[str]], origin: str, depth: int
) -> list[list[str]]:
    if depth > 8:
        raise RulesError(f"{origin}: terms refer to each other in a loop")
    if item.startswith("@"):
        alternatives = terms.get((lang, item[1:]))
        if not alternatives:
            raise RulesError(f"{origin}: unknown term {item} in language {lang!r}")
        return _alternatives(alternatives, lang, terms, origin, depth)
    if item.startswith("{") and item.endswith("}"):
        return _alternatives(_split_top(item[1:-1], "|"), lang, terms, origin, depth)
    if item in ("^", "$"):
        return [[item]]
    if any(char in item for char in "{}@|~^$"):
        raise RulesError(f"{origin}: cannot read {item!r}")
    return [[item]]


def _alternatives(
    alternatives: Iterable[str], lang: str, terms: dict[tuple[str, str], list[str]], origin: str, depth: int
) -> list[list[str]]:
    out: list[list[str]] = []
    for alternative in alternatives:
        words = [w for w in _split_top(alternative.strip(), " ") if w]
        if not words:
            # An empty alternative makes the group optional: "{själv|}".
            out.append([])
            continue
        for combo in itertools.product(*(_item_options(w, lang, terms, origin, depth + 1) for w in words)):
            out.append([word for piece in combo for word in piece])
    return out
