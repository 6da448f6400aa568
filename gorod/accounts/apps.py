from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gorod.accounts"
    label = "accounts"
    verbose_name = _("Residents and roles")
    # Operators manage residents and areas and read the audit log; they never edit it.
    operator_permissions = (
        "view_",
        "change_resident",
        "add_okrug",
        "change_okrug",
        "add_district",
        "change_district",
        "add_address",
        "change_address",
    )
