from django.urls import path

from . import views

app_name = "hearings"
urlpatterns = [
    path("hearings/", views.hearing_list, name="list"),
    path("cases/<int:case_pk>/hearings/new/", views.hearing_create, name="create"),
    path("hearings/<int:pk>/", views.hearing_detail, name="detail"),
    path("hearings/<int:pk>/edit/", views.hearing_edit, name="edit"),
    path("hearings/<int:pk>/sheet/", views.hearing_sheet_page, name="sheet"),
    path("hearings/<int:pk>/agencies/<int:agency_pk>/filing/", views.hearing_filing, name="filing"),
]
