from gorod.core.schedules import Job
from gorod.points import services, services_spend

JOBS = [
    Job("points.holds_expire", lambda: services_spend.holds_expire()),
    Job("points.lots_expire", lambda: services_spend.lots_expire()),
    Job("points.programme_issuance_refresh", lambda: services.programme_issuance_refresh()),
]
