from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gorod.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from gorod.core import checks  # noqa: F401  (register deploy checks, field__any)
        from gorod.core.console_links import install
        from gorod.core.db import lookups  # noqa: F401  (register deploy checks, field__any)

        install()  # console read-only links only where the viewer may go (console_links.py)
