from django.urls import path

from . import circular_views as views

app_name = "circulars"
urlpatterns = [
    path("", views.circular_list, name="list"),
    path("<int:pk>/", views.circular_detail, name="detail"),
    path("<int:pk>/document/", views.circular_document, name="document"),
    path("<int:pk>/edit/", views.circular_edit, name="edit"),
    path("<int:pk>/publish/", views.circular_publish, name="publish"),
    path("<int:pk>/revise/", views.circular_revise, name="revise"),
    path("<int:pk>/discard/", views.circular_discard, name="discard"),
    path("<int:pk>/pdf/", views.circular_pdf_download, name="pdf"),
    path("<int:pk>/xlsx/", views.circular_xlsx_download, name="xlsx"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/read/", views.notices_read, name="notices-read"),
    path("subscription/", views.subscription_toggle, name="subscription"),
    path("webhooks/", views.webhook_list, name="webhooks"),
    path("webhooks/<int:pk>/toggle/", views.webhook_toggle, name="webhook-toggle"),
]
