from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register("disputes", views.DisputeViewSet, basename="dispute")

urlpatterns = router.urls
