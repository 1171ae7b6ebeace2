"""Submission entries for tests, built from code (the form's flat values, validated for real)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from govmap.review import submission_form as sf
from govmap.geocode import Gazetteer

ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer.load(ROOT / "data" / "gazetteer")


@lru_cache(maxsize=1)
def categories() -> frozenset[str]:
    return frozenset(pd.read_csv(ROOT / "data" / "taxonomy" / "categories.csv")["code"])


def flat(name: str = "株式会社テストガバメント", **overrides) -> dict:
    """Form values of a complete, valid submission: one service, one adoption (北九州市)."""
    values = {
        "org.name_ja": name, "org.name_en": "Test Government Inc.", "org.name_kana": "テストガバメント",
        "org.org_type": "startup", "org.postal_code": "150-0002", "org.pref_code": "13",
        "org.municipality_code": "131130", "org.address": "渋谷2-1-1", "org.website": "https://example.jp",
        "org.sources": "https://example.jp/about", "org.founded_year": "2020", "org.description": "自治体向けの電子申請サービス",
        "svc.0.name_ja": "テスト申請", "svc.0.name_en": "Test Forms", "svc.0.categories": ["online_forms", "gis"],
        "svc.0.offerings_ja": "電子申請; 地図", "svc.0.offerings_en": "online forms; maps",
        "svc.0.has_api": "yes", "svc.0.open_export": "no", "svc.0.api_docs_url": "https://example.jp/api",
        "svc.0.export_formats": "CSV, JSON", "svc.0.oss_license": "MIT", "svc.0.developer_role": "developer",
        "ado.0.pref_code": "40", "ado.0.municipality_code": "401005", "ado.0.service": 0,
        "ado.0.category": "online_forms", "ado.0.year": "2024", "ado.0.url": "https://example.jp/case/kitakyushu",
        "contact.name": "山田 花子", "contact.email": "hanako.private@example.jp", "contact.phone": "03-1234-5678",
        "consent": True,
    }
    values.update(overrides)
    return values


def validated(values: dict | None = None, n_services: int = 1, n_adoptions: int = 1) -> sf.Result:
    return sf.validate(values or flat(), n_services, n_adoptions, gazetteer(), set(categories()))


def entry(name: str = "株式会社テストガバメント", **overrides) -> tuple[dict, dict]:
    result = validated(flat(name, **overrides))
    assert result.ok, {k: v.en for k, v in result.errors.items()}
    return result.entry, result.contact
