from gorod.core.schedules import Job
from gorod.voting import mix as services_mix
from gorod.voting import services

JOBS = [
    Job("voting.polls_open_due", lambda: services.polls_open_due()),
    Job("voting.ballots_unlock_due", lambda: services_mix.ballots_unlock_due()),
    Job("voting.ballots_mix_due", lambda: services_mix.ballots_mix_due()),
    Job("voting.polls_close_due", lambda: services.polls_close_due()),
]
