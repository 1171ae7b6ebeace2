"""Anti-automation for the public 掲載申請 form and the secret checks (edit tokens, reviewer
passwords).  No Streamlit: the pages pass in what ``st.context`` reports.

* ``client_address``: the client as the trusted reverse proxy reports it (``trusted_proxy_header``,
  ``trusted_proxy_hops``), else the direct peer; IPv6 is grouped per /64 (what one subscriber gets).
* Rate limits (``submission_limits``) per browser session, per client address, per receipt and for
  everyone together, counted in the SQLite store, so a new websocket session gets no fresh bucket.
  Revisions count like submissions.  The global cap is a short-window last resort: before it, load
  raises the proof-of-work difficulty (``difficulty``), which slows a flood instead of refusing
  real vendors.
* Proof of work: the server issues a random challenge (stored, single-use, expiring: store.py);
  the browser finds a nonce such that SHA-256(``challenge:nonce``) starts with ``bits`` zero bits
  while the vendor fills in the form (static/pow.js through a Streamlit component, offline);
  ``pow_ok`` verifies it inside the submit transaction.
* Failure guards (``token_policy``, ``login_policy``): see ``Store.guard_begin``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Mapping

from govmap import i18n, settings
from govmap.review.store import GuardPolicy, Limit

POW_JS = settings.ROOT / "static" / "pow.js"
LOCAL = "local"          # the direct peer is this machine (Streamlit reports no address for loopback)
_NONCE = re.compile(r"[0-9]{1,20}")


def _header_values(headers: Mapping | None, name: str) -> list[str]:
    if not headers or not name:
        return []
    if hasattr(headers, "get_all"):
        return [str(v) for v in headers.get_all(name)]
    return [str(v) for k, v in headers.items() if str(k).lower() == name.lower()]


def _parse(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = str(value or "").strip().strip('"')
    if text.startswith("["):                       # [v6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:                     # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """What limits count per: an IPv4 address, or the /64 an IPv6 address is in."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_address(headers: Mapping | None, peer: str | None, header: str | None = None,
                   hops: int | None = None) -> str:
    """The client's address key.  With a trusted proxy header configured, the ``hops``-th entry from
    the right of its comma-separated list (entries further left were written by the client and are
    not believed); a request with fewer entries did not come through the proxy, so its direct peer
    is used.  ``peer`` None means loopback (Streamlit hides 127.0.0.1/::1): ``LOCAL``."""
    header = str(settings.get("trusted_proxy_header") if header is None else header).strip()
    hops = max(1, int(settings.get("trusted_proxy_hops") if hops is None else hops))
    if header:
        entries = [e.strip() for v in _header_values(headers, header) for e in v.split(",") if e.strip()]
        if len(entries) >= hops:
            parsed = _parse(entries[-hops])
            if parsed is not None:
                return address_key(parsed)
    parsed = _parse(peer)
    if parsed is None or parsed.is_loopback:
        return LOCAL
    return address_key(parsed)


# -- rate limits -------------------------------------------------------------------------------
def submission_limits(session: str, address: str, receipt: str | None = None) -> list[Limit]:
    """Buckets one submission or revision counts in (checked and counted in its transaction)."""
    window = float(settings.get("submit_rate_window_seconds"))
    out = [Limit(f"session:{session}", int(settings.get("submit_session_limit")), window),
           Limit(f"address:{address}", int(settings.get("submit_address_limit")), window)]
    if receipt:
        out.append(Limit(f"receipt:{receipt}", int(settings.get("submit_receipt_limit")), window))
    out.append(global_limit())
    return out


def global_limit() -> Limit:
    return Limit("global", int(settings.get("submit_global_limit")), float(settings.get("submit_global_window_seconds")))


def difficulty(recent_global: int) -> int:
    """Proof-of-work bits for a new challenge: the base, plus 2 bits per ``submit_pow_load_step``
    submissions from everyone in the global window, up to ``submit_pow_max_bits``."""
    base = int(settings.get("submit_pow_bits"))
    step = max(1, int(settings.get("submit_pow_load_step")))
    return max(0, min(base + 2 * (recent_global // step), max(base, int(settings.get("submit_pow_max_bits")))))


def token_policy() -> GuardPolicy:
    window = float(settings.get("submit_rate_window_seconds"))
    return GuardPolicy(int(settings.get("lookup_failures_per_address")), window,
                       int(settings.get("lookup_receipt_ceiling")), float(settings.get("failure_backoff_max_seconds")),
                       window)


def login_policy() -> GuardPolicy:
    lock = float(settings.get("reviewer_lockout_seconds"))
    return GuardPolicy(int(settings.get("reviewer_lockout_failures")), lock, int(settings.get("reviewer_account_ceiling")),
                       float(settings.get("failure_backoff_max_seconds")), lock)


# -- proof of work -----------------------------------------------------------------------------
def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def pow_ok(challenge: str, nonce: str, bits: int) -> bool:
    """True when SHA-256(``challenge:nonce``) has at least ``bits`` leading zero bits (nonce: decimal)."""
    if not isinstance(nonce, str) or not _NONCE.fullmatch(nonce):
        return False
    return leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode("ascii", "replace")).digest()) >= int(bits)


def solve(challenge: str, bits: int) -> str:
    """What the browser does (tests and measurements use it; so could a script, at the same cost)."""
    nonce = 0
    while not pow_ok(challenge, str(nonce), bits):
        nonce += 1
    return str(nonce)


def pow_script() -> str:
    return POW_JS.read_text(encoding="utf-8")


i18n.register({
    "sub.refused.pow": {
        "ja": "自動確認(スパム対策)がまだ終わっていません。数秒待ってから、もう一度送信してください。入力内容はそのまま残っています。",
        "en": "The automatic anti-spam check has not finished yet. Wait a few seconds and send again; "
              "everything you typed is kept."},
    "rev.login.locked_here": {
        "ja": "ログインの失敗が続いたため、この接続元からこのアカウントへのログインは約{minutes}分間できません。",
        "en": "Too many failed logins: this account cannot be used from this address for about {minutes} min."},
    "rev.login.slowed": {
        "ja": "このアカウントへのログイン失敗が多いため、約{seconds}秒後にもう一度お試しください。",
        "en": "Many failed logins for this account: try again in about {seconds} s."},
})
