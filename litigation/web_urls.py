from django.urls import include, path

urlpatterns = [
    path("", include("agencies.urls")),
    path("", include("cases.urls")),
    path("", include("hearings.urls")),
]
