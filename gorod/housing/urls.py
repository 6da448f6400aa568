from django.urls import path

from gorod.housing import views
from gorod.housing.billing import views_console as views_bills
from gorod.housing.board import views as views_board
from gorod.housing.console import views as views_admin
from gorod.housing.invitations import views as views_invitations
from gorod.housing.meetings import views as views_meetings
from gorod.housing.meetings import views_call as views_meeting_call
from gorod.housing.meetings import views_console as views_meetings_admin
from gorod.housing.surveys import views as views_surveys

app_name = "housing"
urlpatterns = [
    path("", views.home, name="home"),
    path("links/", views.link_request, name="link_request"),
    path("meters/<int:meter_id>/", views.meter_detail, name="meter"),
    path("bills/", views.bills, name="bills"),
    path("bills/<int:bill_id>/", views.bill_detail, name="bill"),
    path("payments/<str:reference>/", views.payment_status, name="payment"),
    path("meetings/new/", views_meeting_call.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views_meetings.meeting_detail, name="meeting"),
    path(
        "meetings/<int:meeting_id>/materials/<int:material_id>/",
        views_meetings.meeting_material,
        name="meeting_material",
    ),
    path("buildings/<int:building_id>/decisions/", views_meeting_call.decisions, name="decisions"),
    path("meetings/<int:meeting_id>/protocol.pdf", views_meetings.meeting_protocol, name="meeting_protocol"),
    path("surveys/new/", views_surveys.survey_new, name="survey_new"),
    path("buildings/<int:building_id>/board/", views_board.board, name="board"),
    path("buildings/<int:building_id>/board/official/", views_board.board_official, name="board_official"),
    path(
        "buildings/<int:building_id>/board/<int:announcement_id>/emergency-end/",
        views_board.board_emergency_end,
        name="board_emergency_end",
    ),
    path("admin/board/", views_board.board_moderation, name="board_moderation"),
    path("admin/board/<int:announcement_id>/", views_board.board_decide, name="board_decide"),
    path("invitations/", views_invitations.invitations, name="invitations"),
    path("invite/<str:token>/", views_invitations.invite, name="invite"),
    path("admin/", views_admin.dashboard, name="admin"),
    path("admin/links/<int:link_id>/", views_admin.link_decide, name="link_decide"),
    path("admin/meetings/<int:meeting_id>/", views_meetings_admin.meeting_console, name="meeting_console"),
    path(
        "admin/meetings/<int:meeting_id>/entries/<int:entry_id>/proxy/",
        views_meetings_admin.proxy_new,
        name="proxy_new",
    ),
    path(
        "admin/meetings/<int:meeting_id>/entries/<int:entry_id>/paper/",
        views_meetings_admin.paper_ballot_new,
        name="paper_ballot_new",
    ),
    path("admin/buildings/<int:building_id>/bills/", views_bills.bills_admin, name="bills_admin"),
    path("admin/buildings/<int:building_id>/import/", views_admin.register_import, name="register_import"),
]

# The fake bank's page answers 404 unless the fake bank is a live provider (debug on only; see
# providers.py). Routed always: a route decided at import would follow whatever settings were
# in force when the URLs were first loaded.
urlpatterns.append(path("fakebank/<str:reference>/", views.fake_bank, name="fakebank"))
