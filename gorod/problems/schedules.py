from gorod.core.schedules import Job
from gorod.problems import services

JOBS = [
    Job("problems.reports_mark_overdue", lambda: services.reports_mark_overdue()),
    Job("problems.reports_close_unrated", lambda: services.reports_close_unrated()),
]
