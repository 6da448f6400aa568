from __future__ import annotations

from gorod.core.schedules import Job


def _digests() -> object:
    from gorod.news.services_follow import digests_send

    return digests_send()


JOBS = [Job("news.digests_send", _digests)]
