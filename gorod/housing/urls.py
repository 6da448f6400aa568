from django.urls import path

from gorod.housing import views
from gorod.housing.billing import views as billing_views
from gorod.housing.billing import views_console as billing_console
from gorod.housing.board import views as board_views
from gorod.housing.buildings import views as buildings_views
from gorod.housing.console import views as console_views
from gorod.housing.invitations import views as invitations_views
from gorod.housing.meetings import views as meetings_views
from gorod.housing.meetings import views_call as meetings_call
from gorod.housing.meetings import views_console as meetings_console
from gorod.housing.meters import views as meters_views
from gorod.housing.surveys import views as surveys_views

app_name = "housing"
urlpatterns = [
    path("", views.home, name="home"),
    path("links/", buildings_views.link_request, name="link_request"),
    path("meters/<int:meter_id>/", meters_views.meter_detail, name="meter"),
    path("bills/", billing_views.bills, name="bills"),
    path("bills/<int:bill_id>/", billing_views.bill_detail, name="bill"),
    path("payments/<str:reference>/", billing_views.payment_status, name="payment"),
    path("meetings/new/", meetings_call.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", meetings_views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:meeting_id>/materials/<int:material_id>/",
        meetings_views.meeting_material,
        name="meeting_material",
    ),
    path("buildings/<int:building_id>/decisions/", meetings_call.decisions, name="decisions"),
    path("meetings/<int:meeting_id>/protocol.pdf", meetings_views.meeting_protocol, name="meeting_protocol"),
    path("surveys/new/", surveys_views.survey_new, name="survey_new"),
    path("buildings/<int:building_id>/board/", board_views.board, name="board"),
    path("buildings/<int:building_id>/board/official/", board_views.board_official, name="board_official"),
    path(
        "buildings/<int:building_id>/board/<int:announcement_id>/emergency-end/",
        board_views.board_emergency_end,
        name="board_emergency_end",
    ),
    path("admin/board/", board_views.board_moderation, name="board_moderation"),
    path("admin/board/<int:announcement_id>/", board_views.board_decide, name="board_decide"),
    path("invitations/", invitations_views.invitations, name="invitations"),
    path("invite/<str:token>/", invitations_views.invite, name="invite"),
    path("admin/", console_views.dashboard, name="admin"),
    path("admin/links/<int:link_id>/", console_views.link_decide, name="link_decide"),
    path("admin/meetings/<int:meeting_id>/", meetings_console.meeting_console, name="meeting_console"),
    path(
        "admin/meetings/<int:meeting_id>/entries/<int:entry_id>/proxy/",
        meetings_console.proxy_new,
        name="proxy_new",
    ),
    path(
        "admin/meetings/<int:meeting_id>/entries/<int:entry_id>/paper/",
        meetings_console.paper_ballot_new,
        name="paper_ballot_new",
    ),
    path("admin/buildings/<int:building_id>/bills/", billing_console.bills_admin, name="bills_admin"),
    path("admin/buildings/<int:building_id>/import/", console_views.register_import, name="register_import"),
    path(
        "admin/buildings/<int:building_id>/readings/", console_views.readings_import, name="readings_import"
    ),
]

# The fake bank's page answers 404 unless the fake bank is a live provider (debug on only; see
# providers.py). Routed always: a route decided at import would follow whatever settings were
# in force when the URLs were first loaded.
urlpatterns.append(path("fakebank/<str:reference>/", billing_views.fake_bank, name="fakebank"))
