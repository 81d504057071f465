from django.urls import include, path

urlpatterns = [
    path("", include("agencies.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("hearings.api.urls")),
    path("", include("reports.api.urls")),
]
