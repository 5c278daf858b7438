"""Every catalogue page answers for the people it is meant for."""

from django_tenants.utils import tenant_context

from tests.tenant_apps.catalogue.conftest import make_product, make_vertical


def test_pages_render(beta, seller):
    with tenant_context(beta.tenant):
        vertical = make_vertical()
        product = make_product(seller.company, verticals=[vertical], english=("CNC milling machine", "Precise."))
    seller_client = beta.client(seller)
    for path in ["/catalogue/", f"/catalogue/products/{product.pk}/", f"/catalogue/companies/{seller.company.pk}/",
                 "/catalogue/mine/", "/catalogue/mine/new/", f"/catalogue/mine/{product.pk}/",
                 f"/catalogue/mine/{product.pk}/edit/", f"/catalogue/mine/{product.pk}/translations/",
                 f"/catalogue/mine/{product.pk}/files/", f"/catalogue/mine/{product.pk}/delete/", "/catalogue/saved/",
                 "/showroom/", "/dashboard/"]:
        response = seller_client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    admin = beta.client(beta.members["tenant_admin"])
    for path in ["/catalogue/manage/verticals/", "/catalogue/manage/certifications/", "/catalogue/manage/supported/",
                 "/catalogue/manage/settings/", "/showroom/compose/", "/showroom/compose/preview/",
                 f"/catalogue/manage/verticals/{vertical.pk}/edit/", f"/catalogue/manage/verticals/{vertical.pk}/delete/"]:
        response = admin.get(path)
        assert response.status_code == 200, (path, response.status_code)
    anonymous = beta.client()
    assert anonymous.get("/catalogue/buyers/register/").status_code in (200, 404)
    buyer = beta.client(beta.members["buyer"])
    assert buyer.get("/catalogue/buyers/profile/").status_code == 200
