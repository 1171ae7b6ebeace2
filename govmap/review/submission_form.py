"""The submission form as plain Python: its fields, their limits, validation and the entry it builds.

The page (pages/submit.py via ui/submitform.py) keeps every widget value in a flat dict keyed
``org.name_ja``, ``svc.0.categories``, ``ado.1.url``, ``contact.email`` ...; ``validate`` turns that
dict into an *entry* (what may be published) and a *contact* (private, for reviewers only), or
returns errors keyed like the fields so the page shows each one next to its field.  Text passes
``normalize.boundary`` (NFKC, no control/bidi/zero-width/format characters) and a length limit; a field
of only invisible characters and stacked combining marks are refused, names may not mix alphabets
within a word (validators.name); URLs must be http(s) without a user-name part and with an honest
host; the 法人番号 check digit is verified; places come from the gazetteer.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date

from govmap.finder import duplicates as dup
from govmap import settings, validators  # noqa: F401  (registers the form's messages)
from govmap.review import submission_messages
from govmap.geocode import Gazetteer
from govmap.normalize import boundary
from govmap.validators import InvalidValue

ORG_TYPES = ("startup", "sme", "large", "nonprofit", "public")
DEVELOPER_ROLES = ("developer", "reseller", "both")
TRI_STATE = ("unknown", "yes", "no")  # unknown is stored as NULL: never shown as "no"
PROFILE_TEXT = {"export_formats": 200, "exit_extraction": 500, "exit_cost": 200, "open_standards": 300,
                "oss_license": 100}
PROFILE_URL = ("api_docs_url", "oss_repo_url")
PROFILE_BOOL = ("open_export", "has_api", "standard_compliant", "lgwan_asp", "ismap", "ismap_liu", "isms",
                "privacy_mark", "dmp_listed", "data_in_japan")
ORG_TEXT = {"name_ja": 200, "name_en": 200, "name_kana": 200, "address": 200, "description": 2000}
SERVICE_TEXT = {"name_ja": 200, "name_en": 200, "description": 2000}
CONTACT_TEXT = {"name": 100, "email": 254, "phone": 30, "note": 1000}
NAME_FIELDS = ("name_ja", "name_en")  # organisation and service names: no word in two alphabets
MAX_KEYWORDS, MAX_KEYWORD_LENGTH, MAX_KEYWORDS_TEXT = 15, 60, 1000
MAX_SOURCES = 10
PREFECTURE_ITSELF = "pref"  # adoption by the prefecture government, placed at its office
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\s・ー]+")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+")
_PHONE = re.compile(r"\+?[0-9()\- ]{6,30}")
_SPDX = re.compile(r"[A-Za-z0-9.+\-]+(?: (?:AND|OR|WITH) [A-Za-z0-9.+\-]+)*")
_KEYWORD_SPLIT = re.compile(r"[;；、,，\n]")


def err(ja: str, en: str) -> InvalidValue:
    return InvalidValue(ja, en)


@dataclass
class Limits:
    services: int = field(default_factory=lambda: int(settings.get("max_services_per_submission")))
    categories: int = field(default_factory=lambda: int(settings.get("max_categories_per_service")))
    adoptions: int = field(default_factory=lambda: int(settings.get("max_adoptions_per_submission")))


@dataclass
class Result:
    entry: dict | None
    contact: dict | None
    errors: dict[str, InvalidValue]

    @property
    def ok(self) -> bool:
        return not self.errors


class _Checker:
    """Collects errors by field key while cleaning values."""

    def __init__(self, flat: dict):
        self.flat = flat
        self.errors: dict[str, InvalidValue] = {}

    def get(self, key: str, default=""):
        value = self.flat.get(key, default)
        return default if value is None else value

    def run(self, key: str, func, *args, **kwargs):
        try:
            return func(self.get(key), *args, **kwargs)
        except InvalidValue as exc:
            self.errors.setdefault(key, exc)
            return None

    def text(self, key: str, limit: int, required: bool = False) -> str:
        check = validators.name if key.rsplit(".", 1)[-1] in NAME_FIELDS else validators.bounded_text
        return self.run(key, check, limit, required=required) or ""

    def optional(self, key: str, func, *args):
        return self.run(key, func, *args) if boundary(self.get(key)) else None

    def fail(self, key: str, ja: str, en: str) -> None:
        self.errors.setdefault(key, err(ja, en))


def keywords(value: object) -> list[str]:
    """Keywords separated by ; 、 , or new lines: at most MAX_KEYWORDS, each MAX_KEYWORD_LENGTH."""
    text = validators.bounded_text(value, MAX_KEYWORDS_TEXT)
    words = list(dict.fromkeys(w.strip() for w in _KEYWORD_SPLIT.split(text) if w.strip()))
    if len(words) > MAX_KEYWORDS:
        raise err(f"キーワードは{MAX_KEYWORDS}個までにしてください", f"at most {MAX_KEYWORDS} keywords")
    if any(len(w) > MAX_KEYWORD_LENGTH for w in words):
        raise err(f"キーワード1つは{MAX_KEYWORD_LENGTH}文字以内にしてください",
                  f"each keyword at most {MAX_KEYWORD_LENGTH} characters")
    return words


def url_list(value: object) -> list[str]:
    lines = [line.strip() for line in str(value or "").splitlines() if line.strip()]
    if len(lines) > MAX_SOURCES:
        raise err(f"URLは{MAX_SOURCES}件までにしてください", f"at most {MAX_SOURCES} URLs")
    return list(dict.fromkeys(validators.http_url(line, max_length=2000) for line in lines))


def kana(value: object) -> str:
    text = validators.bounded_text(value, ORG_TEXT["name_kana"])
    if text and not _KANA.fullmatch(text):
        raise err("フリガナはカタカナまたはひらがなで入力してください", "the reading must be in kana")
    return text


def email(value: object) -> str:
    text = validators.bounded_text(value, CONTACT_TEXT["email"], required=True)
    if not _EMAIL.fullmatch(text):
        raise err("メールアドレスの形式が正しくありません", "not a valid e-mail address")
    return text


def phone(value: object) -> str:
    text = validators.bounded_text(value, CONTACT_TEXT["phone"])
    if text and not _PHONE.fullmatch(text):
        raise err("電話番号は数字と + - ( ) で入力してください", "phone: digits and + - ( ) only")
    return text


def spdx(value: object) -> str:
    text = validators.bounded_text(value, PROFILE_TEXT["oss_license"])
    if text and not _SPDX.fullmatch(text):
        raise err("SPDX形式のライセンス名で入力してください(例: MIT, Apache-2.0)",
                  "use an SPDX licence id (e.g. MIT, Apache-2.0)")
    return text


def tri_state(value: object) -> bool | None:
    return {"yes": True, "no": False}.get(str(value), None)


def from_tri_state(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def validate(flat: dict, n_services: int, n_adoptions: int, gaz: Gazetteer, categories: set[str],
             limits: Limits | None = None, today: date | None = None) -> Result:
    """Clean every field; errors keyed by field.  ``entry`` and ``contact`` are None on errors."""
    limits = limits or Limits()
    today = today or date.today()
    c = _Checker(flat)
    org = _org(c, gaz, today)
    if not 1 <= n_services <= limits.services:
        c.fail("svc", f"サービスは1〜{limits.services}件にしてください", f"give 1 to {limits.services} services")
    services = [_service(c, i, categories, limits) for i in range(min(max(n_services, 0), limits.services))]
    if n_adoptions > limits.adoptions:
        c.fail("ado", f"導入実績は{limits.adoptions}件までにしてください", f"at most {limits.adoptions} adoptions")
    adoptions = [_adoption(c, i, gaz, services, today) for i in range(min(max(n_adoptions, 0), limits.adoptions))]
    contact = {k: c.text(f"contact.{k}", n, required=k == "name") for k, n in CONTACT_TEXT.items()
               if k not in ("email", "phone")}
    contact["email"] = c.run("contact.email", email) or ""
    contact["phone"] = c.run("contact.phone", phone) or ""
    if not c.get("consent", False):
        c.fail("consent", "公開に同意してください", "please agree to publication")
    if c.errors:
        return Result(None, None, c.errors)
    return Result({"org": org, "services": services, "adoptions": adoptions}, contact, {})


def _org(c: _Checker, gaz: Gazetteer, today: date) -> dict:
    org = {k: c.text(f"org.{k}", n, required=k == "name_ja") for k, n in ORG_TEXT.items() if k != "name_kana"}
    org["name_kana"] = c.run("org.name_kana", kana) or ""
    org["corporate_number"] = c.optional("org.corporate_number", validators.corporate_number) or ""
    org["website"] = c.optional("org.website", validators.http_url) or ""
    org["sources"] = c.run("org.sources", url_list) or []
    if not org["website"] and not org["sources"] and "org.website" not in c.errors:
        c.fail("org.website", "WebサイトまたはURLを1つ以上入力してください(掲載内容の出典になります)",
               "give a website or at least one public URL (it is the entry's source)")
    org_type = boundary(c.get("org.org_type"))
    if org_type not in ORG_TYPES:
        c.fail("org.org_type", "組織の種類を選んでください", "choose an organisation type")
    org["org_type"] = org_type
    founded = c.optional("org.founded_year", validators.year, 1850, today.year)
    org["founded_year"] = str(founded) if founded else ""
    org.update(_place(c, gaz))
    return org


def _place(c: _Checker, gaz: Gazetteer) -> dict:
    postal = c.optional("org.postal_code", validators.postal_code) or ""
    pref_code = boundary(c.get("org.pref_code"))
    muni_code = boundary(c.get("org.municipality_code"))
    if pref_code not in gaz.prefectures:
        c.fail("org.pref_code", "都道府県を選んでください", "choose a prefecture")
        return {"postal_code": postal}
    muni = gaz.municipality(muni_code) if muni_code else None
    if muni_code and (muni is None or muni["pref_code"] != pref_code):
        c.fail("org.municipality_code", "市区町村を選び直してください", "choose the municipality again")
        muni = None
    if postal and "org.postal_code" not in c.errors:
        codes = gaz.postal_lookup(postal)
        if not codes:
            c.fail("org.postal_code", "この郵便番号は見つかりません", "unknown postal code")
        elif muni and muni_code not in codes and not any(gaz.municipality(x)["parent_code"] == muni_code for x in codes):
            c.fail("org.municipality_code", "郵便番号と市区町村が一致しません", "the postal code is not in this municipality")
    if c.get("org.address") and not muni:
        c.fail("org.address", "番地などを入力する場合は市区町村も選んでください", "choose the municipality for a street address")
    return {"postal_code": postal, "pref_code": pref_code, "pref_name": gaz.prefectures[pref_code]["pref_name"],
            "municipality_code": muni_code if muni else "", "municipality_name": muni["name_ja"] if muni else ""}


def _service(c: _Checker, i: int, categories: set[str], limits: Limits) -> dict:
    p = f"svc.{i}."
    svc = {k: c.text(p + k, n, required=k == "name_ja") for k, n in SERVICE_TEXT.items()}
    chosen = [x for x in dict.fromkeys(c.get(p + "categories", []) or []) if isinstance(x, str)]
    if not chosen or any(x not in categories for x in chosen):
        c.fail(p + "categories", "カテゴリを1つ以上選んでください", "choose at least one category")
    elif len(chosen) > limits.categories:
        c.fail(p + "categories", f"カテゴリは1サービスにつき{limits.categories}個までです",
               f"at most {limits.categories} categories per service")
    svc["categories"] = chosen
    for lang in ("ja", "en"):
        svc[f"offerings_{lang}"] = c.run(p + f"offerings_{lang}", keywords) or []
    for k, n in PROFILE_TEXT.items():
        svc[k] = c.run(p + k, spdx) if k == "oss_license" else c.text(p + k, n)
    for k in PROFILE_URL:
        svc[k] = c.optional(p + k, validators.http_url) or ""
    for k in PROFILE_BOOL:
        svc[k] = tri_state(c.get(p + k, "unknown"))
    role = boundary(c.get(p + "developer_role"))
    svc["developer_role"] = role if role in DEVELOPER_ROLES else ""
    return svc


def _adoption(c: _Checker, i: int, gaz: Gazetteer, services: list[dict], today: date) -> dict:
    p = f"ado.{i}."
    pref_code, where = boundary(c.get(p + "pref_code")), boundary(c.get(p + "municipality_code"))
    out = {"pref_code": pref_code, "municipality_code": where}
    if pref_code not in gaz.prefectures:
        c.fail(p + "pref_code", "都道府県を選んでください", "choose a prefecture")
    elif where == PREFECTURE_ITSELF:
        out["adopter_name"] = gaz.prefectures[pref_code]["pref_name"]
    elif (muni := gaz.municipality(where)) and muni["pref_code"] == pref_code:
        out["adopter_name"] = muni["name_ja"]
    else:
        c.fail(p + "municipality_code", "導入団体(市区町村)を選んでください", "choose the adopting municipality")
    if pref_code in gaz.prefectures:
        out["pref_name"] = gaz.prefectures[pref_code]["pref_name"]
    index = c.get(p + "service", 0)
    if not isinstance(index, int) or not 0 <= index < max(len(services), 1):
        c.fail(p + "service", "サービスを選んでください", "choose the service")
        index = 0
    service = services[index] if index < len(services) else {"categories": [], "name_ja": ""}
    category = boundary(c.get(p + "category")) or (service["categories"][:1] or [""])[0]
    if category not in service["categories"]:
        c.fail(p + "category", "そのサービスのカテゴリから選んでください", "choose one of the service's categories")
    out.update(service=index, service_name=service["name_ja"], category=category)
    year = c.optional(p + "year", validators.year, 1950, today.year + 1)
    out["year"] = str(year) if year else ""
    out["url"] = c.run(p + "url", validators.http_url, 2000) or ""
    return out


def to_flat(entry: dict, contact: dict | None = None) -> tuple[dict, int, int]:
    """Widget values for an entry (to prefill a revision): (flat dict, n services, n adoptions)."""
    org = entry.get("org", {})
    flat = {f"org.{k}": org.get(k, "") for k in (*ORG_TEXT, "corporate_number", "postal_code", "pref_code",
                                                 "municipality_code", "website", "org_type", "founded_year")}
    flat["org.sources"] = "\n".join(org.get("sources", []))
    for i, svc in enumerate(entry.get("services", [])):
        p = f"svc.{i}."
        flat.update({p + k: svc.get(k, "") for k in (*SERVICE_TEXT, *PROFILE_TEXT, *PROFILE_URL, "developer_role")})
        flat[p + "categories"] = list(svc.get("categories", []))
        flat.update({p + f"offerings_{lang}": "; ".join(svc.get(f"offerings_{lang}", [])) for lang in ("ja", "en")})
        flat.update({p + k: from_tri_state(svc.get(k)) for k in PROFILE_BOOL})
    for i, ado in enumerate(entry.get("adoptions", [])):
        flat.update({f"ado.{i}.{k}": ado.get(k, "") for k in ("pref_code", "municipality_code", "category", "year", "url")})
        flat[f"ado.{i}.service"] = int(ado.get("service", 0))
    flat.update({f"contact.{k}": (contact or {}).get(k, "") for k in CONTACT_TEXT})
    return flat, len(entry.get("services", [])), len(entry.get("adoptions", []))


def duplicate_record(flat: dict) -> dict:
    """What duplicate detection compares, from the (unvalidated) form values."""
    number = boundary(flat.get("org.corporate_number", "")).replace("-", "")
    return {"name_ja": boundary(flat.get("org.name_ja", "")), "name_en": boundary(flat.get("org.name_en", "")),
            "corporate_number": number, "hq_municipality_code": boundary(flat.get("org.municipality_code", ""))}


def likely_duplicates(flat: dict, records: list[dict], limit: int = 5) -> list[dict]:
    """Existing organisations that look like this one (name, 法人番号, head-office municipality)."""
    candidate = duplicate_record(flat)
    if not (candidate["name_ja"] or candidate["name_en"] or candidate["corporate_number"]):
        return []
    found = dup.similar_to(candidate, records, limit=limit,
                           cutoff=float(settings.get("duplicate_score_cutoff")) - 10)
    return [{"org_id": rec["org_id"], "name_ja": rec.get("name_ja") or "", "score": round(score, 1),
             "reasons": list(reasons)} for rec, score, reasons in found]


def automation_problem(honeypot: object, started_at: float | None, now: float | None = None,
                       min_seconds: float | None = None) -> str | None:
    """'honeypot' when the hidden field was filled, 'too_fast' when sent sooner than allowed."""
    now = time.time() if now is None else now
    min_seconds = float(settings.get("submit_min_fill_seconds") if min_seconds is None else min_seconds)
    if boundary(honeypot):
        return "honeypot"
    if started_at is None or now - started_at < min_seconds:
        return "too_fast"
    return None
