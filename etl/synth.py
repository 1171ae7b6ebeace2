"""A seeded SYNTHETIC catalog for benchmarks: `python -m etl synth --orgs N --out PATH`.

Shape follows the real catalog: organisations spread over real municipalities roughly like
businesses (weighted by population, with Tokyo, Osaka, Aichi and Fukuoka denser), Japanese and
English names in every legal-form spelling, 1–8 services each over the taxonomy with partly
missing exit profiles, adoptions across real municipalities, and ~12% without a location.
Everything is labelled synthetic: catalog_meta.synthetic = 'true', organisations.origin =
'synthetic', names carry no real company.  It goes through the same transform and load as the
real build, and never replaces the real catalog unless --out names it explicitly.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import jaconv
import numpy as np
import pandas as pd

from govmap import settings
from etl import build as build_mod
from etl.transform import PROFILE_COLUMNS

SYLLABLES = list("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン") + \
    ["ガ", "ギ", "グ", "ゲ", "ゴ", "ザ", "ジ", "ズ", "ダ", "デ", "ド", "バ", "ビ", "ブ", "ベ", "ボ", "パ", "ピ", "プ", "ペ", "ポ", "ー"]
WORDS = ["システム", "テック", "ソリューションズ", "ラボ", "ネットワークス", "データ", "クラウド", "デジタル", "ワークス", "情報サービス"]
LEGAL = ["株式会社{n}", "{n}株式会社", "(株){n}", "㈱{n}", "{n}(株)", "合同会社{n}", "一般社団法人{n}", "有限会社{n}"]
LEGAL_EN = ["{n} Inc.", "{n} Co., Ltd.", "{n} Corporation", "{n} K.K.", "{n} LLC", "{n}"]
DENSE_PREFS = {"13": 6.0, "27": 3.0, "23": 2.5, "40": 2.0, "14": 1.5}
ORG_TYPES = ["startup", "sme", "sme", "sme", "large", "nonprofit", "public"]


def _kana_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))).lstrip("ーン") or "アオ"


def _romaji(kana: str) -> str:
    return jaconv.kana2alphabet(jaconv.kata2hira(kana)).replace("ー", "")


def _weights(munis: pd.DataFrame) -> np.ndarray:
    pop = munis["population"].fillna(5000).clip(lower=1000).astype(float).to_numpy()
    dense = munis["pref_code"].map(DENSE_PREFS).fillna(1.0).to_numpy()
    weights = pop * dense * np.where(munis["kind"].eq("designated_city"), 0.0, 1.0)  # wards carry the city
    return weights / weights.sum()


def synth_vendors(n: int, munis: pd.DataFrame, postal: pd.DataFrame, codes: list[str], seed: int) -> pd.DataFrame:
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    picks = munis.iloc[nrng.choice(len(munis), size=n, p=_weights(munis))]
    postal_of = postal.drop_duplicates("code").set_index("code")["postal_code"].to_dict()
    rows = []
    for i, m in enumerate(picks.itertuples()):
        base = _kana_name(rng) + rng.choice(WORDS)
        located = rng.random() > 0.12
        use_postal = located and rng.random() < 0.5 and m.code in postal_of
        rows.append({
            "vendor_key": f"syn_{i:06d}", "name_ja": rng.choice(LEGAL).format(n=base),
            "name_en": rng.choice(LEGAL_EN).format(n=_romaji(base).title()), "org_type": rng.choice(ORG_TYPES),
            "hq_prefecture": m.pref_name if located else "", "hq_municipality": m.name_ja if located and not use_postal else "",
            "hq_postal_code": postal_of.get(m.code, "") if use_postal else "", "website": f"https://synthetic-{i:06d}.example.jp",
            "corporate_number": "", "founded_year": str(rng.randint(1950, 2025)) if rng.random() < 0.6 else "",
            "categories": ";".join(rng.sample(codes, rng.randint(1, 4))),
            "offerings_ja": ";".join(rng.sample(WORDS, 2)), "offerings_en": "synthetic offering",
            "notes": "SYNTHETIC organisation for benchmarks; not a real company.",
            "sources": "https://example.jp/synthetic", "origin": "synthetic", "_file": "synthetic", "_row": i + 2,
        })
    return pd.DataFrame(rows, dtype=object)  # plain objects: the build iterates rows, and that is slow on Arrow strings


def synth_services(vendors: pd.DataFrame, codes: list[str], seed: int) -> pd.DataFrame:
    rng = random.Random(seed + 1)
    rows = []
    for v in vendors.itertuples():
        cats = v.categories.split(";")
        # Service 1 is the one the transform makes from the vendor's offerings (profile unknown,
        # like a seed row); services 2..k are generated here with partly known profiles.
        for j in range(1, rng.randint(1, 8)):
            row = {"service_id": f"{v.vendor_key}:{j + 1}", "org_id": v.vendor_key, "name_ja": f"サービス{j + 1}",
                   "name_en": None, "offerings_ja": [], "offerings_en": [], "description": None, "last_verified": None,
                   "categories": [rng.choice(cats)] + ([rng.choice(codes)] if rng.random() < 0.3 else [])}
            row.update({c: (rng.random() < 0.5) if rng.random() < 0.4 else None for c in PROFILE_COLUMNS})
            row.update({c: None for c in ("export_formats", "exit_extraction", "exit_cost", "api_docs_url",
                                          "open_standards", "oss_license", "oss_repo_url", "developer_role")})
            rows.append(row)
    return pd.DataFrame(rows)


def synth_adoptions(vendors: pd.DataFrame, munis: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng, nrng = random.Random(seed + 2), np.random.default_rng(seed + 2)
    n = int(len(vendors) * 1.5)
    who = nrng.integers(0, len(vendors), size=n)
    where = munis.iloc[nrng.choice(len(munis), size=n, p=_weights(munis))]
    rows = []
    keys, categories = vendors["vendor_key"].tolist(), [c.split(";") for c in vendors["categories"].tolist()]
    for k, (vi, m) in enumerate(zip(who.tolist(), where.itertuples())):
        rows.append({"vendor_key": keys[vi], "adopter_name_ja": m.name_ja, "adopter_prefecture": m.pref_name,
                     "category": rng.choice(categories[vi]), "service_name": "synthetic service",
                     "year": str(rng.randint(2005, 2026)) if rng.random() < 0.7 else "",
                     "source_url": "https://example.jp/synthetic", "origin": "synthetic", "_file": "synthetic", "_row": k + 2})
    return pd.DataFrame(rows, dtype=object)


def synth_inputs(n: int, seed: int = 42) -> build_mod.Inputs:
    inputs = build_mod.read_inputs(with_submissions=False)
    munis = inputs.gazetteer["municipalities"]
    munis = munis[munis["kind"] != "designated_city"].reset_index(drop=True)
    codes = list(inputs.categories["code"])
    vendors = synth_vendors(n, munis, inputs.gazetteer["postal_codes"], codes, seed)
    inputs.vendors, inputs.adoptions = vendors, synth_adoptions(vendors, munis, seed)
    inputs.services = synth_services(vendors, codes, seed)
    inputs.files = []
    inputs.std = None  # real figures stay out of a synthetic catalog
    return inputs


def main(args) -> int:
    out = Path(args.out).resolve()
    if out == settings.path("catalog_path").resolve() and not getattr(args, "replace_real", False):
        print("refusing to overwrite the real catalog with synthetic data (pass --replace-real to do it)", file=sys.stderr)
        return 2
    inputs = synth_inputs(args.orgs, args.seed)
    build_mod.build(out, inputs=inputs, keep_going=True,
                    meta={"synthetic": "true", "synthetic_seed": str(args.seed), "synthetic_orgs": str(args.orgs)})
    print(f"SYNTHETIC catalog written: {out} ({args.orgs} organisations)")
    return 0
