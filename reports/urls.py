from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("wall/", views.wall, name="dashboard-wall"),
    path("dashboard/trends/", views.trends, name="dashboard-trends"),
    path("dashboard/rankings/", views.rankings, name="dashboard-rankings"),
    path("dashboard/rankings/compute/", views.rankings_compute, name="dashboard-rankings-compute"),
    path("dashboard/missed/", views.missed, name="dashboard-missed"),
    path("circulars/", include("reports.circular_urls")),
]
