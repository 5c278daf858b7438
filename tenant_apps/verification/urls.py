from django.urls import path

from tenant_apps.verification import views

app_name = "verification"

urlpatterns = [
    path("verification/", views.my_verification, name="my-verification"),
    path("verification/documents/", views.upload_document, name="document-upload"),
    path("verification/documents/<int:pk>/", views.download_document, name="document-download"),
    path("verification/documents/<int:pk>/delete/", views.delete_document, name="document-delete"),
    path("verification/submit/", views.submit_request, name="request-submit"),
    path("verification/appeal/", views.appeal, name="request-appeal"),
    path("verification/review/", views.review_queue, name="review-queue"),
    path("verification/review/<int:pk>/", views.review_detail, name="review-detail"),
    path("manage/verification/", views.manage_settings, name="manage-settings"),
]
