from gorod.core.schedules import Job
from gorod.opendata import services

JOBS = [Job("opendata.catalogue_publish_due", lambda: services.catalogue_publish_due())]
