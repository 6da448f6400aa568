from gorod.core.schedules import Job
from gorod.rewards import services

JOBS = [Job("rewards.orders_expire", lambda: services.orders_expire())]
