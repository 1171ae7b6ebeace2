"""What an adoption is: a contract, a joint procurement, an agreement, a pilot or other.

Researched rows state their kind (data/research/*/adoptions.csv); seed rows, which predate the
column, are classified from the words of their service name (協定 → agreement, 実証 → pilot ...),
and default to contract because the seed lists adoptions (導入実績).  Market-share figures (HHI,
alternatives) count ``MARKET_KINDS`` only, unless a user asks for every kind.
"""

from __future__ import annotations

import re

KINDS = ("contract", "joint_procurement", "agreement", "pilot", "other")
MARKET_KINDS = ("contract", "joint_procurement")
LABELS = {
    "contract": ("契約・導入", "contract"),
    "joint_procurement": ("共同調達・共同利用", "joint procurement"),
    "agreement": ("協定・覚書", "agreement (MoU)"),
    "pilot": ("実証・試行", "pilot / PoC"),
    "other": ("その他", "other"),
}
_RULES = (
    ("agreement", re.compile(r"協定|覚書|連携協約|包括連携|MOU", re.IGNORECASE)),
    ("pilot", re.compile(r"実証|試行|トライアル|PoC|実験|モデル事業", re.IGNORECASE)),
    ("joint_procurement", re.compile(r"共同調達|共同利用|共同化|共同導入|広域")),
)


def classify(text: object) -> str:
    """Kind of an adoption from its service name or description; contract when nothing says otherwise."""
    words = str(text or "")
    for kind, pattern in _RULES:
        if pattern.search(words):
            return kind
    return "contract"


def label(kind: str, lang: str = "ja") -> str:
    ja, en = LABELS.get(kind, (kind, kind))
    return ja if lang == "ja" else en
