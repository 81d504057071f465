from django.urls import path
from rest_framework.routers import SimpleRouter

from .circulars import CircularViewSet
from .rankings import RankingView
from .views import MetricsView

urlpatterns = [
    path("metrics/", MetricsView.as_view(), name="api-metrics"),
    path("rankings/", RankingView.as_view(), name="api-rankings"),
]

circulars_router = SimpleRouter()
circulars_router.register("circulars", CircularViewSet, basename="circular")
urlpatterns += circulars_router.urls
