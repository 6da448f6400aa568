from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "gorod.housing"
    label = "housing"
    verbose_name = _("Electronic Home")
    nav_items = [(_("My home"), "housing:home", "residents")]

    def ready(self) -> None:
        from gorod.housing import checks  # noqa: F401  (registers the deployment checks)

        # Voting sits below housing: tell it which residents live in which buildings so that
        # neighbour surveys reach the building's residents.
        from gorod.housing.buildings.selectors import HousingBuildingDirectory
        from gorod.voting.targeting import register_building_directory

        register_building_directory(HousingBuildingDirectory())
