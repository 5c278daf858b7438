from django.urls import path

from tenant_apps.catalogue.showroom import views

app_name = "showroom"

urlpatterns = [
    path("", views.page, name="page"),
    path("compose/", views.compose, name="compose"),
    path("compose/preview/", views.preview, name="preview"),
    path("compose/blocks/<int:pk>/", views.block_edit, name="block-edit"),
    path("compose/blocks/<int:pk>/move/", views.block_move, name="block-move"),
    path("compose/blocks/<int:pk>/toggle/", views.block_toggle, name="block-toggle"),
    path("compose/blocks/<int:pk>/delete/", views.block_delete, name="block-delete"),
]
