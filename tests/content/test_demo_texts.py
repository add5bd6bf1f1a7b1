"""The demo town speaks every language it offers: each has the greeting, all nine projects with their
updates, the news and the poll, in the same shape as the German."""

from __future__ import annotations

from typing import Any

import pytest

from content import demo


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [shape(inner) for inner in value]
    return type(value).__name__


@pytest.mark.parametrize("code", [language.code for language in demo.LANGUAGES])
def test_each_demo_language_has_every_text_in_the_shape_of_the_german(code: str) -> None:
    texts = demo.texts_of(code)
    assert shape(texts) == shape(demo.texts_of("de"))
    assert all(project["title"] and project["summary"] for project in texts["projects"].values())


def test_the_demo_enables_each_language_it_has_texts_for_in_its_order() -> None:
    assert [language.code for language in demo.KAISERSLAUTERN.languages] == [
        language.code for language in demo.LANGUAGES
    ]
    assert set(demo.KAISERSLAUTERN.greeting) == {language.code for language in demo.LANGUAGES}
