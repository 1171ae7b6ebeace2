"""Every UI message exists in Japanese and English."""

import importlib
import pkgutil

import pytest

import govmap
from govmap import i18n


def test_every_message_has_both_languages():
    for module in pkgutil.walk_packages(govmap.__path__, "govmap."):  # feature modules register their own
        importlib.import_module(module.name)
    missing = [k for k, v in i18n.MESSAGES.items() if not v.get("ja") or not v.get("en")]
    assert missing == []


def test_unknown_language_falls_back_to_japanese():
    assert i18n.normalize_lang("fr") == "ja"
    assert i18n.t("nav.search", "en") == "Map and search"


def test_registering_the_same_messages_again_is_harmless_but_changing_one_is_refused():
    from govmap import i18n
    key = "test.i18n.register"
    i18n.register({key: {"ja": "試験", "en": "test"}})
    i18n.register({key: {"ja": "試験", "en": "test"}})  # a module re-import
    with pytest.raises(ValueError):
        i18n.register({key: {"ja": "別の文", "en": "other"}})
    assert i18n.t(key, "en") == "test"
    del i18n.MESSAGES[key]
