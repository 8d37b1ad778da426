"""UI catalogs: every language has every key, and the language is negotiated from culture then Accept-Language."""

from __future__ import annotations

import pytest

from coursehost.player.messages import available, catalog, choose


def test_every_catalog_has_the_english_keys() -> None:
    catalogs = available()
    assert {"en", "fr", "es"} <= set(catalogs)
    for language, texts in catalogs.items():
        assert set(texts) == set(catalogs["en"]), language
        assert all(isinstance(value, str) and value for value in texts.values()), language


def test_missing_keys_fall_back_to_english() -> None:
    assert catalog("xx")["next"] == "Next"
    assert catalog("fr")["next"] == "Suivant"


@pytest.mark.parametrize(
    ("culture", "header", "expected"),
    [
        ("fr", None, "fr"),
        ("fr-CA", None, "fr"),
        ("ES_mx", None, "es"),
        ("de", "fr;q=0.5, es;q=0.9", "es"),
        (None, "de-DE, fr;q=0.8", "fr"),
        (None, "fr;q=0, *", "en"),
        (None, "en-GB;q=x, es", "es"),
        (None, None, "en"),
    ],
)
def test_choose(culture: str | None, header: str | None, expected: str) -> None:
    assert choose(culture, header) == expected
