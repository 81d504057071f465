from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("positions", views.PositionViewSet, basename="position")
router.register("courts", views.CourtViewSet, basename="court")

urlpatterns = [path("auth/token/", views.TokenView.as_view(), name="api-token"), *router.urls]
