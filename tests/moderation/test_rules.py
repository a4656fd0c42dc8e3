"""Rules are data: a deployment extends or trims them with its own directory, without code."""

from __future__ import annotations

from pathlib import Path

import pytest

import moderation
from moderation import Moderator, RulesError


def _write(root: Path, lang: str, name: str, text: str) -> Path:
    (root / lang).mkdir(parents=True, exist_ok=True)
    (root / lang / name).write_text(text, encoding="utf-8")
    return root


def test_extra_directory_adds_words(tmp_path: Path) -> None:
    """A deployment's extra directory adds words to a flag, with all the spellings handled."""
    root = _write(tmp_path, "sv", "lokalt.txt", "[risk.weapon]\nslangbell*\n\n[abuse.insult]\nmupphuvud\n")
    extended = Moderator.from_dirs([root])
    assert "risk.weapon" in extended.analyze("han siktar med SLANGBELLAN").flags
    assert "abuse.insult" in extended.analyze("m u p p h u v u d").flags


def test_extra_directory_can_remove_a_pattern(tmp_path: Path) -> None:
    """A line starting with "-" removes a packaged pattern from the same section."""
    assert "risk.weapon" in Moderator.from_dirs().analyze("jag ser en kniv").flags
    root = _write(tmp_path, "sv", "trim.txt", "[risk.weapon]\n-@weapon\n")
    trimmed = Moderator.from_dirs([root])
    assert "risk.weapon" not in trimmed.analyze("jag ser en kniv").flags


def test_new_language_directory(tmp_path: Path) -> None:
    """A new language folder brings its own terms and patterns."""
    root = _write(tmp_path, "no", "risk.txt", "[terms]\nvåpen = kniv | pistol\n\n[risk.weapon]\nhar {en|et} @våpen\n")
    assert "risk.weapon" in Moderator.from_dirs([root], builtin=False).analyze("han har en pistol").flags


def test_reasons_can_be_overridden(tmp_path: Path) -> None:
    """A reasons.toml in the extra directory replaces the packaged texts."""
    (tmp_path / "sv").mkdir()
    (tmp_path / "reasons.toml").write_text('[youth_public]\n"pii.phone" = "Inga nummer här, tack"\n', encoding="utf-8")
    verdict = Moderator.from_dirs([tmp_path]).analyze("ring 070-123 45 67")
    assert verdict.reasons == ("Inga nummer här, tack",)


def test_environment_variable_names_extra_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """KVARTER_MODERATION_RULES adds directories to the rules behind moderation.analyze."""
    root = _write(tmp_path, "sv", "x.txt", "[spam.scam]\nköp billiga glasögon\n")
    monkeypatch.setenv(moderation.RULES_ENV, str(root))
    moderation.reset_default()
    try:
        assert "spam.scam" in moderation.analyze("Köp billiga glasögon!").flags
    finally:
        monkeypatch.delenv(moderation.RULES_ENV)
        moderation.reset_default()
    assert "spam.scam" not in moderation.analyze("Köp billiga glasögon!").flags


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kniv\n", "before any \\[section\\]"),
        ("[nonsense]\nkniv\n", "unknown section"),
        ("[risk.weapon]\n@nothing\n", "unknown term"),
        ("[risk.weapon]\nkniv ~~3 gaffel ~~3 sked\n", "exactly two parts"),
        ("[terms]\nbad name = x\n", "a term is written"),
    ],
)
def test_bad_rules_fail_early_and_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    """A rules file that cannot be read stops loading with the file, line and what is wrong."""
    root = _write(tmp_path, "sv", "bad.txt", text)
    with pytest.raises(RulesError, match=message) as caught:
        Moderator.from_dirs([root], builtin=False)
    assert "bad.txt" in str(caught.value)


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    """Naming a directory that does not exist is an error, not silently ignored."""
    with pytest.raises(RulesError, match="not a directory"):
        Moderator.from_dirs([tmp_path / "missing"])


def test_moderation_imports_nothing_from_server() -> None:
    """The moderation package is pure: no module in it imports server."""
    package = Path(moderation.__file__).parent
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import server" not in source and "from server" not in source, path
