from django.urls import include, path

from tenant_apps.catalogue import views, views_manage, views_seller
from tenant_apps.catalogue.buyers import views as buyer_views
from tenant_apps.catalogue.search.urls import search_urlpatterns

app_name = "catalogue"

seller_urlpatterns = [
    path("", views_seller.product_list, name="seller-products"),
    path("new/", views_seller.product_create, name="seller-product-create"),
    path("<int:pk>/", views_seller.product_overview, name="seller-product"),
    path("<int:pk>/edit/", views_seller.product_edit, name="seller-product-edit"),
    path("<int:pk>/translations/", views_seller.product_translations, name="seller-product-translations"),
    path("<int:pk>/files/", views_seller.product_files, name="seller-product-files"),
    path("<int:pk>/images/<int:image_pk>/delete/", views_seller.image_delete, name="seller-image-delete"),
    path("<int:pk>/documents/<int:document_pk>/delete/", views_seller.document_delete, name="seller-document-delete"),
    path("<int:pk>/publish/", views_seller.product_publish, name="seller-product-publish"),
    path("<int:pk>/unpublish/", views_seller.product_unpublish, name="seller-product-unpublish"),
    path("<int:pk>/delete/", views_seller.product_delete, name="seller-product-delete"),
]

manage_urlpatterns = [
    path("supported/", views_manage.supported_list, name="supported-list"),
    path("supported/<int:pk>/remove/", views_manage.supported_remove, name="supported-remove"),
    path("settings/", views_manage.catalogue_settings, name="settings"),
    path("<slug:taxonomy>/", views_manage.taxonomy_list, name="taxonomy-list"),
    path("<slug:taxonomy>/<int:pk>/edit/", views_manage.taxonomy_edit, name="taxonomy-edit"),
    path("<slug:taxonomy>/<int:pk>/move/", views_manage.taxonomy_move, name="taxonomy-move"),
    path("<slug:taxonomy>/<int:pk>/delete/", views_manage.taxonomy_delete, name="taxonomy-delete"),
]

urlpatterns = [
    *search_urlpatterns,
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("products/<int:pk>/documents/<int:document_pk>/", views.document_download, name="document-download"),
    path("products/<int:pk>/save/", views.product_save, name="product-save"),
    path("products/<int:pk>/take-down/", views_manage.product_take_down, name="product-take-down"),
    path("companies/<int:pk>/", views.store, name="store"),
    path("companies/<int:pk>/save/", views.company_save, name="company-save"),
    path("saved/", views.saved, name="saved"),
    path("buyers/register/", buyer_views.register, name="buyer-register"),
    path("buyers/profile/", buyer_views.profile, name="buyer-profile"),
    path("mine/", include(seller_urlpatterns)),
    path("manage/", include(manage_urlpatterns)),
]
