from django.urls import path

from payouts.cycles.views import admin, member

app_name = "payout_cycles"

urlpatterns = [
    path("payouts/cycles/", admin.cycle_list, name="cycle_list"),
    path("payouts/cycles/<int:cycle_id>/", admin.cycle_detail, name="cycle_detail"),
    path("payouts/cycles/<int:cycle_id>/progress/", admin.cycle_progress, name="cycle_progress"),
    path("payouts/cycles/<int:cycle_id>/<slug:action>/", admin.cycle_action, name="cycle_action"),
    path("payouts/cycles/<int:cycle_id>/statements/<int:member_id>/", admin.cycle_statement, name="cycle_statement"),
    path("payouts/earnings-payouts/", admin.earnings, name="earnings"),
    path("profit-shares/", member.my_cycles, name="my_cycles"),
    path("profit-shares/<int:cycle_id>/", member.my_statement, name="my_statement"),
]
