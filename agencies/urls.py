from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="list"),
    path("agencies/new/", views.agency_create, name="create"),
    path("agencies/principal-change/", views.principal_change, name="principal_change"),
    path("agencies/<int:pk>/", views.agency_detail, name="detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="edit"),
    path("agencies/<int:pk>/history/", views.agency_history, name="history"),
    path("officials/", views.official_list, name="official_list"),
    path("officials/new/", views.official_create, name="official_create"),
    path("officials/<int:pk>/", views.official_detail, name="official_detail"),
    path("officials/<int:pk>/edit/", views.official_edit, name="official_edit"),
    path("officials/<int:pk>/history/", views.official_history, name="official_history"),
    path("positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("positions/<int:pk>/history/", views.position_history, name="position_history"),
    path("courts/", views.court_list, name="court_list"),
    path("courts/new/", views.court_create, name="court_create"),
    path("courts/<int:pk>/edit/", views.court_edit, name="court_edit"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("changes/", views.recent_changes, name="recent_changes"),
]
