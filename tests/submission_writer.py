"""A submission writer for the concurrency tests, light enough to start many processes quickly
(imports only the store, not pandas): ``python submission_writer.py STORE ENTRY_JSON WRITER COUNT``."""

from __future__ import annotations

import json
import sys

from govmap.review.store import Store
from govmap.review.submissions import Submissions


def nonce(writer: int, i: int) -> str:
    return f"w{writer:02d}-{i:04d}"


def write_many(subs: Submissions, payload: dict, contact: dict, writer: int, count: int) -> None:
    """Submit ``count`` entries; every 7th is sent twice (a double click / retried request)."""
    payload = {**payload, "org": {**payload["org"], "name_ja": f"{payload['org']['name_ja']}{writer:02d}"}}
    for i in range(count):
        token = f"token-{writer}-{i}"
        receipt = subs.submit(payload, contact, token=token, nonce=nonce(writer, i))
        if i % 7 == 0:
            again = subs.submit(payload, contact, token=token, nonce=nonce(writer, i))
            assert again.receipt == receipt.receipt and not again.created


if __name__ == "__main__":
    store_path, entry_path, writer, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(entry_path, encoding="utf-8") as handle:
        data = json.load(handle)
    write_many(Submissions(Store(store_path)), data["entry"], data["contact"], writer, count)
