"""Messages about what went wrong underneath (catalog, store, disk, publishing), registered with the
message catalog.  Each says what happened, what still works and what to do."""

from __future__ import annotations

from govmap import i18n


def _m(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


MESSAGES = {
    "catalog.unreadable": _m(
        "カタログファイルを読み込めません(破損しているか、書き込み途中のファイルです)。このページは表示できません。"
        "掲載申請・審査のデータは別に保存されており影響はありません。管理者は `python -m etl build` でカタログを作り直してください。",
        "The catalog file cannot be read (it is damaged or incomplete), so this page cannot be shown. Submissions and "
        "reviews are stored separately and are not affected. Administrators: rebuild the catalog with `python -m etl build`."),
    "catalog.kept_previous": _m(
        "新しいカタログを読み込めなかったため、前回の正常なカタログを表示し続けています。理由: {reason}",
        "The newest catalog file could not be read, so the previous good catalog is still being served. Reason: {reason}"),
    "store.disk_full": _m(
        "サーバーのディスクが一杯のため、保存できませんでした。この送信は受け付けられておらず、受付番号も発行されていません。"
        "入力内容はこの画面に残っています。地図・検索・ベンダー情報は引き続き利用できます。"
        "しばらくしてからもう一度「送信」を押してください(同じ内容が二重に登録されることはありません)。"
        "解決しない場合は運営者にお問い合わせください。",
        "The server's disk is full, so nothing could be saved. This submission was NOT received and no receipt number "
        "was issued. What you typed is still on this page. The map, search and vendor pages keep working. Press "
        "“Send” again in a while (it will not be stored twice). If this persists, contact the operators."),
    "store.disk_full_page": _m(
        "サーバーのディスクが一杯のため、申請・審査のデータを保存できません。保存済みのデータは失われていません。"
        "地図・検索・ベンダー情報は引き続き利用できます。しばらくしてからもう一度お試しください。"
        "運営者は docs/submissions.md の「障害時の対応」を参照してください。",
        "The server's disk is full, so submissions and reviews cannot be saved right now. Nothing already saved is "
        "lost. The map, search and vendor pages keep working. Try again in a while. Operators: see “When something "
        "fails” in docs/submissions.md."),
    "rev.publish.deferred": _m(
        "承認は保存されましたが、公開処理を開始できませんでした。公開は自動的に再開されます(「公開」タブで確認できます)。",
        "The approval is saved, but its publish could not be started now; it resumes automatically (see the Publishing tab)."),
    "store.unavailable": _m(
        "申請データの保存領域を読み込めません(ファイルの破損など)。申請の送信・状況確認・審査は現在利用できません。"
        "地図・検索・ベンダー情報は引き続き利用できます。運営者は docs/submissions.md の「障害時の対応」を参照してください。",
        "The submission store cannot be read (e.g. a damaged file). Sending, status lookups and reviews are unavailable "
        "right now. The map, search and vendor pages keep working. Operators: see “When something fails” in "
        "docs/submissions.md."),
    "store.unreachable": _m(
        "申請データのデータベースサーバーに接続できません。申請の送信・状況確認・審査は現在利用できません"
        "(送信された内容は受け付けられておらず、入力内容はこの画面に残っています)。地図・検索・ベンダー情報は引き続き利用できます。"
        "しばらくしてからもう一度お試しください。運営者は docs/deploy.md の「障害時の対応」を参照してください。",
        "The submission database server cannot be reached. Sending, status lookups and reviews are unavailable right "
        "now (nothing you send now is received; what you typed stays on this page). The map, search and vendor pages "
        "keep working. Try again in a while. Operators: see “When something fails” in docs/deploy.md."),
    "store.busy": _m(
        "保存領域が一時的に使用中のため、保存できませんでした。この送信は受け付けられていません。入力内容は残っています。"
        "もう一度「送信」を押してください。",
        "The store was busy, so nothing was saved and this submission was NOT received. What you typed is still here. "
        "Press “Send” again."),
    "rev.publish.requested": _m("依頼(UTC)", "Requested (UTC)"),
    "rev.publish.waiting": _m("待機中", "waiting"),
    "rev.publish.failed_note": _m(
        "公開処理が失敗しています。承認済みの内容は保存されており、次回の公開で反映されます。理由は「内容」欄を参照してください。",
        "A publish failed. The approvals are saved and will be published by the next successful run; the reason is in "
        "the Message column."),
    "rev.publish.catalog": _m("公開中のカタログ: {built_at}(承認 #{watermark} まで反映)",
                              "Published catalog: {built_at} (approvals up to #{watermark})"),
    "rev.publish.behind": _m("未反映の承認があります(#{watermark} まで)。公開処理を実行中または再開待ちです。",
                             "Some approvals (up to #{watermark}) are not published yet; a publish is running or will resume."),
}

i18n.register(MESSAGES)


def store_problem(exc: Exception, *, form: bool = False) -> str:
    """The message key for a store that cannot be used: a full disk, an unreachable database
    server, or a damaged store.  ``form``: the submit form's wording (nothing was received)."""
    from govmap.review.store import DiskFull, StoreUnreachable
    if isinstance(exc, DiskFull):
        return "store.disk_full" if form else "store.disk_full_page"
    if isinstance(exc, StoreUnreachable):
        return "store.unreachable"
    return "store.unavailable"
