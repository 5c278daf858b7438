from django.urls import path

from tenant_apps.directory import views_profiles as views

profile_urlpatterns = [
    path("companies/mine/", views.company_mine, name="company-mine"),
    path("companies/new/", views.company_create, name="company-create"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company-edit"),
    path("companies/<int:pk>/media/", views.company_media, name="company-media"),
    path("companies/<int:pk>/media/<int:media_pk>/delete/", views.company_media_delete, name="company-media-delete"),
    path("companies/<int:pk>/logo/delete/", views.company_logo_delete, name="company-logo-delete"),
    path("companies/<int:pk>/missions/", views.company_missions, name="company-missions"),
    path("companies/<int:pk>/missions/<int:mission_pk>/delete/", views.company_mission_delete, name="company-mission-delete"),
    path("companies/<int:pk>/representatives/", views.company_representatives, name="company-representatives"),
    path("companies/<int:pk>/representatives/<int:rep_pk>/remove/", views.company_representative_remove,
         name="company-representative-remove"),
    path("companies/<int:pk>/representatives/owner/", views.company_ownership_transfer, name="company-ownership-transfer"),
    path("companies/<int:pk>/moderate/", views.company_moderate, name="company-moderate"),
    path("experts/mine/", views.expert_mine, name="expert-mine"),
    path("experts/<int:pk>/", views.expert_detail, name="expert-detail"),
    path("experts/<int:pk>/moderate/", views.expert_moderate, name="expert-moderate"),
    path("tags/", views.tag_list, name="tag-list"),
    path("tags/<int:pk>/edit/", views.tag_edit, name="tag-edit"),
    path("tags/<int:pk>/delete/", views.tag_delete, name="tag-delete"),
]

sector_urlpatterns = [
    path("", views.sector_list, name="sector-list"),
    path("<int:pk>/edit/", views.sector_edit, name="sector-edit"),
    path("<int:pk>/move/", views.sector_move, name="sector-move"),
]
