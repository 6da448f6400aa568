from gorod.accounts.idempotency import idempotency_records_purge
from gorod.core.schedules import Job

JOBS = [Job("accounts.idempotency_records_purge", idempotency_records_purge)]
