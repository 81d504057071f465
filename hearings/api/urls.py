from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("hearings", views.HearingViewSet, basename="hearing")
router.register("appearances", views.AppearanceViewSet, basename="appearance")
router.register("events", views.EventViewSet, basename="event")

urlpatterns = router.urls
