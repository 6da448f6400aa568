import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.handlers import application as _application

application = _application()

if os.environ.get("GOROD_WARM_UP", "1") != "0":
    from config.warmup import warm_up

    warm_up(application)
