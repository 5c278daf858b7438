from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from tenant_apps.analytics.models import Event
from tenant_apps.analytics.services import record_events
from tenant_apps.catalogue import selectors as catalogue_selectors
from tenant_apps.catalogue.buyers.services import needs_profile
from tenant_apps.catalogue.models import Certification, Vertical
from tenant_apps.catalogue.search import forms, selectors
from tenant_apps.catalogue.views import browsing
from tenant_apps.directory.search.facets import facet_groups

PAGE_SIZE = 24


# One address answers with a page or a fragment: caches must keep them apart, or the Back
# button could show a bare fragment.
@browsing
@require_GET
@vary_on_headers("HX-Request")
def product_search(request):
    form = _form(request)
    criteria = form.criteria()
    languages = catalogue_selectors.reading_languages(request.tenant)
    results = selectors.search(criteria, languages=languages)
    sponsored_ids = []
    if request.tenant.has_module("promotion"):
        sponsored_ids = selectors.sponsored_ids(criteria, results, first_page_size=PAGE_SIZE)
    # Lifted products leave their organic place on every page, so none shows twice.
    organic = results.excluding(sponsored_ids)
    page = Paginator(organic, PAGE_SIZE).get_page(request.GET.get("page"))
    products = list(page.object_list)
    if sponsored_ids and page.number == 1:
        sponsored = selectors.products_by_ids(sponsored_ids, languages=languages)
        for product in sponsored:
            product.is_sponsored = True
        products = sponsored + products
    record_events(Event.Kind.SEARCH_IMPRESSION, request=request,
                  items=[{"company_id": product.company_id, "product_id": product.pk} for product in products])
    saved = catalogue_selectors.saved_product_ids(request.user, [product.pk for product in products])
    # With JavaScript, a search matching more than it lists may show its results before its
    # counts (then fetched by htmx); without, the form and a link ask for them: counts=1.
    counts = selectors.page_counts(criteria, results, wait=request.GET.get("counts") == "1")
    facets_deferred = counts is None
    # Lifted products are counted once, whether or not they also match the words.
    total = results.total(counts.total if counts else None, listed=len(organic) + len(sponsored_ids))
    context = {
        "form": form,
        "page": page,
        "results": results,
        "total": total,
        "result_limit": selectors.RESULT_LIMIT,
        "cards": [(product, catalogue_selectors.product_text(product, languages), product.pk in saved) for product in products],
        "facets": facet_groups(form, counts) if counts else [],
        "facets_deferred": facets_deferred,
        "criteria": criteria,
        # Results sit inside the search form, and forms cannot nest: saving is on each product's page.
        "can_save": False,
        "needs_buyer_profile": needs_profile(request.user, request.tenant),
    }
    # htmx asks for the whole page when it restores an address missing from its history cache.
    if request.htmx and not request.htmx.boosted and not request.htmx.history_restore_request:
        return render(request, "catalogue/search/_results.html", context)
    return render(request, "catalogue/search/product_search.html", context)


@browsing
@require_GET
@vary_on_headers("HX-Request")
def product_facets(request):
    """The filters of a search with their counts (the search page loads them after its results)."""
    form = _form(request)
    criteria = form.criteria()
    # Only asked for searches matching more than they list: the whole catalogue has its own counts.
    counts = selectors.overview_counts() if selectors.is_overview(criteria) else selectors.facet_counts(criteria)
    # Fetched by the page for a search matching more than it lists: the exact total comes too.
    context = {"form": form, "facets": facet_groups(form, counts), "total": counts.total,
               "count_heading": bool(request.htmx) and counts.total > selectors.RESULT_LIMIT}
    return render(request, "catalogue/search/_facets.html", context)


def _form(request) -> forms.ProductSearchForm:
    form = forms.ProductSearchForm(request.GET, verticals=list(Vertical.objects.order_by("position", "name")),
                                   certifications=Certification.objects.order_by("position", "name"))
    form.is_valid()
    return form
