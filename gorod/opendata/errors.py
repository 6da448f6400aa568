from django.utils.translation import gettext_lazy as _

from gorod.core.errors import DomainError


class CatalogueNotGenerated(DomainError):
    code = "open_data_not_generated"
    message = _("The open data has not been generated yet; try again later.")
    status = 404
