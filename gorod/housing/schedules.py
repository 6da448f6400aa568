from gorod.core.schedules import Job
from gorod.housing.meetings import services as services_meetings

JOBS = [Job("housing.meetings_advance", lambda: services_meetings.meetings_advance())]
