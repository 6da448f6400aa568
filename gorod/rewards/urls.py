from django.urls import path

from gorod.rewards import views, views_partner

app_name = "rewards"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<int:reward_id>/", views.reward_detail, name="reward"),
    path("orders/", views.my_orders, name="my_orders"),
    path("orders/<int:order_id>/", views.order_detail, name="order"),
    path("orders/<int:order_id>/cancel/", views.order_cancel, name="order_cancel"),
    path("map/", views.pickup_map, name="map"),
    path("map/points.geojson", views.pickup_points_geojson, name="points_geojson"),
    path("charity/", views.funds, name="funds"),
    path("charity/<int:fund_id>/", views.fund_detail, name="fund"),
    path("charity/receipts/<str:receipt_number>/", views.receipt, name="receipt"),
    path("desk/", views_partner.desk, name="desk"),
    path("partner/orders/", views_partner.partner_orders, name="partner_orders"),
    path("partner/settlement.csv", views_partner.settlement_csv, name="settlement_csv"),
]
