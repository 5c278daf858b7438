from django.urls import path

from tenant_apps.promotion import views

app_name = "promotion"

urlpatterns = [
    path("manage/", views.manage_index, name="manage-index"),
    path("manage/featured/", views.featured_list, name="featured-list"),
    path("manage/featured/<slug:kind>/<int:pk>/remove/", views.featured_remove, name="featured-remove"),
    path("manage/banners/", views.banner_list, name="banner-list"),
    path("manage/banners/new/", views.banner_form, name="banner-create"),
    path("manage/banners/<int:pk>/", views.banner_form, name="banner-edit"),
    path("manage/banners/<int:pk>/remove/", views.banner_remove, name="banner-remove"),
    path("manage/keywords/", views.keyword_list, name="keyword-list"),
    path("manage/keywords/<int:pk>/remove/", views.keyword_remove, name="keyword-remove"),
    path("manage/campaigns/", views.campaign_list, name="campaign-list"),
    path("manage/campaigns/new/", views.campaign_form, name="campaign-create"),
    path("manage/campaigns/audience/", views.campaign_audience, name="campaign-audience"),
    path("manage/campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("manage/campaigns/<int:pk>/edit/", views.campaign_form, name="campaign-edit"),
    path("manage/campaigns/<int:pk>/<slug:action>/", views.campaign_action, name="campaign-action"),
    path("manage/requests/", views.manage_request_list, name="manage-request-list"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("b/<int:pk>/", views.banner_click, name="banner-click"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
