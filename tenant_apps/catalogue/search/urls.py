from django.urls import path

from tenant_apps.catalogue.search import views

search_urlpatterns = [
    path("", views.product_search, name="product-search"),
    path("facets/", views.product_facets, name="product-facets"),
]
