from gorod.core.schedules import Job
from gorod.points import services

JOBS = [
    Job("points.holds_expire", lambda: services.holds_expire()),
    Job("points.lots_expire", lambda: services.lots_expire()),
    Job("points.programme_issuance_refresh", lambda: services.programme_issuance_refresh()),
]
