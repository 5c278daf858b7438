"""The catalogue's rules, written once in its services: who may change which product, and
what a product needs before buyers see it."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shared_apps.audit.models import AuditEvent
from tenant_apps.catalogue import services
from tenant_apps.catalogue.models import Product, ProductTranslation
from tests.tenant_apps.catalogue.conftest import make_product, make_vertical, pdf_upload, png_upload, require_english


def _create(seller, **values):
    return services.create_product(actor=seller, company=seller.company, **{
        "kind": "product", "title": "Fraiseuse CNC", "description": "Fraiseuse 5 axes.", "language": "fr", **values,
    })


def test_seller_creates_a_draft_with_clean_specifications_and_hs_code(in_beta, seller):
    product = _create(seller, hs_code="8457.10 20", countries_served=["US", "DE", "US"], specifications=[
        {"name": " Puissance ", "value": "15 kW"}, {"name": "", "value": ""}, {"name": "Masse", "value": "2 t"},
    ])
    assert product.status == Product.Status.DRAFT and product.published_at is None
    assert product.hs_code == "84571020"
    assert product.countries_served == ["DE", "US"]
    assert product.specifications == [{"name": "Puissance", "value": "15 kW"}, {"name": "Masse", "value": "2 t"}]
    assert AuditEvent.objects.for_tenant(in_beta.tenant).filter(action="product.created", target_id=str(product.pk)).exists()


@pytest.mark.parametrize("hs_code", ["84", "84571", "ABCD", "845710201234"])
def test_hs_codes_must_be_4_6_8_or_10_digits(in_beta, seller, hs_code):
    with pytest.raises(ValidationError) as error:
        _create(seller, hs_code=hs_code)
    assert "hs_code" in error.value.message_dict


def test_unknown_country_codes_and_nameless_specifications_are_refused(in_beta, seller):
    with pytest.raises(ValidationError):
        _create(seller, countries_served=["XX"])
    with pytest.raises(ValidationError) as error:
        _create(seller, specifications=[{"name": "", "value": "15 kW"}])
    assert "specifications" in error.value.message_dict


def test_seller_never_touches_another_companys_products(in_beta, seller, other_seller):
    theirs = make_product(other_seller.company, published=False)
    for attempt in (
        lambda: services.update_product(actor=seller, product=theirs, title="Volé"),
        lambda: services.publish_product(actor=seller, product=theirs),
        lambda: services.unpublish_product(actor=seller, product=theirs),
        lambda: services.delete_product(actor=seller, product=theirs),
        lambda: services.save_translation(actor=seller, product=theirs, language="en", title="Stolen"),
        lambda: services.add_image(actor=seller, product=theirs, upload=png_upload(), alt_text="x"),
        lambda: services.create_product(actor=seller, company=other_seller.company, title="Intrus"),
    ):
        with pytest.raises(services.CatalogueError):
            attempt()
    theirs.refresh_from_db()
    assert theirs.title == "Fraiseuse CNC 5 axes" and not theirs.translations.exists()


@pytest.mark.parametrize("role", ["buyer", "guest", "expert", "moderator"])
def test_members_without_catalogue_editing_cannot_create_products(in_beta, seller, role):
    with pytest.raises(services.CatalogueError):
        services.create_product(actor=in_beta.members[role], company=seller.company, title="Non")


def test_publishing_needs_a_description_a_vertical_and_the_required_languages(in_beta, seller):
    require_english()
    product = _create(seller, description="")
    with pytest.raises(ValidationError) as error:
        services.publish_product(actor=seller, product=product)
    assert set(error.value.message_dict) == {"description", "verticals", "translations"}
    assert "English" in error.value.message_dict["translations"][0]

    services.update_product(actor=seller, product=product, description="Fraiseuse 5 axes.",
                            verticals=[make_vertical()])
    services.save_translation(actor=seller, product=product, language="en", title="CNC mill", description="5-axis.")
    services.publish_product(actor=seller, product=product)
    product.refresh_from_db()
    assert product.is_published and product.published_at is not None


def test_a_product_written_in_english_needs_no_english_translation(in_beta, seller):
    require_english()
    product = _create(seller, language="en", title="CNC mill", description="5-axis.", verticals=[make_vertical()])
    services.publish_product(actor=seller, product=product)
    assert product.is_published


def test_required_english_cannot_be_removed_from_a_published_product(in_beta, seller):
    require_english()
    product = make_product(seller.company, verticals=[make_vertical()], english=("CNC mill", "5-axis."))
    with pytest.raises(ValidationError):
        services.save_translation(actor=seller, product=product, language="en", title="", description="")
    assert ProductTranslation.objects.filter(product=product, language="en").exists()


def test_a_published_product_keeps_its_vertical_or_the_whole_change_rolls_back(in_beta, seller):
    product = make_product(seller.company, verticals=[make_vertical()])
    with pytest.raises(ValidationError):
        services.update_product(actor=seller, product=product, title="Nouveau titre", verticals=[])
    product.refresh_from_db()
    assert product.title == "Fraiseuse CNC 5 axes" and product.verticals.count() == 1


def test_translations_only_in_the_programmes_other_languages(in_beta, seller):
    product = _create(seller)
    for language in ("fr", "it"):  # the product's own language; a language beta does not offer
        with pytest.raises(ValidationError):
            services.save_translation(actor=seller, product=product, language=language, title="x")
    services.save_translation(actor=seller, product=product, language="de", title="CNC-Fräsmaschine")
    assert product.translations.get().language == "de"


def test_moderator_takes_any_product_offline_and_other_sellers_cannot(in_beta, seller, other_seller):
    product = make_product(seller.company)
    with pytest.raises(services.CatalogueError):
        services.unpublish_product(actor=other_seller, product=product)
    services.unpublish_product(actor=in_beta.members["moderator"], product=product)
    product.refresh_from_db()
    assert product.status == Product.Status.DRAFT and product.published_at is None
    assert AuditEvent.objects.for_tenant(in_beta.tenant).filter(action="product.unpublished", actor=in_beta.members["moderator"]).exists()


def test_images_are_checked_by_their_bytes_and_need_a_description(in_beta, seller):
    product = _create(seller)
    image = services.add_image(actor=seller, product=product, upload=png_upload(), alt_text="La fraiseuse de face")
    assert image.image.name.startswith("catalogue/images/") and image.image.name.endswith(".webp")
    assert "photo" not in image.image.name  # names are random, not the uploader's
    with pytest.raises(ValidationError) as error:
        services.add_image(actor=seller, product=product, upload=png_upload(), alt_text="  ")
    assert "alt_text" in error.value.message_dict
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError):
        services.add_image(actor=seller, product=product, upload=fake, alt_text="Faux")
    assert product.images.count() == 1


def _jpeg_from_a_camera(size=(3000, 2000)) -> SimpleUploadedFile:
    """A landscape photo stored sideways, as phones do, with its orientation and a GPS position in EXIF."""
    from PIL import Image

    photo = Image.new("RGB", size, "navy")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° clockwise to display
    exif[0x8825] = {2: (48.0, 51.0, 24.0), 4: (2.0, 21.0, 3.0)}  # GPS latitude/longitude
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("IMG_2041.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_images_are_stored_upright_smaller_and_without_camera_metadata(in_beta, seller):
    from PIL import Image

    from tenant_apps.catalogue.models import IMAGE_MAX_SIDE, THUMBNAIL_SIZE

    product = _create(seller)
    image = services.add_image(actor=seller, product=product, upload=_jpeg_from_a_camera(), alt_text="L'atelier")
    with Image.open(image.image.path) as stored:
        assert stored.format == "WEBP"
        # Turned upright (portrait), the long side brought down to the limit.
        assert stored.size == (round(IMAGE_MAX_SIDE * 2000 / 3000), IMAGE_MAX_SIDE)
        assert not stored.getexif()
    with Image.open(image.thumbnail.path) as thumbnail:
        assert thumbnail.size == THUMBNAIL_SIZE and thumbnail.format == "WEBP"
    small = services.add_image(actor=seller, product=product, upload=png_upload(size=(40, 30)), alt_text="Détail")
    with Image.open(small.image.path) as stored:
        assert stored.size == (40, 30)  # never enlarged


def test_removing_an_image_removes_its_thumbnail(in_beta, seller):
    product = _create(seller)
    image = services.add_image(actor=seller, product=product, upload=png_upload(), alt_text="Vue")
    paths = [image.image.path, image.thumbnail.path]
    assert all(os.path.exists(path) for path in paths)
    services.remove_image(actor=seller, product=product, image=image)
    assert not any(os.path.exists(path) for path in paths)


def test_data_sheets_must_be_readable_pdfs_and_are_stored_privately(in_beta, seller, settings):
    product = _create(seller)
    document = services.add_document(actor=seller, product=product, upload=pdf_upload(), title="Fiche technique",
                                      language="fr")
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path and document.size > 0
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 — private files have no public address
    with pytest.raises(ValidationError):
        services.add_document(actor=seller, product=product, upload=png_upload(), title="Pas un PDF", language="fr")


def test_deleting_a_product_removes_its_files(in_beta, seller, django_capture_on_commit_callbacks):
    product = _create(seller)
    image = services.add_image(actor=seller, product=product, upload=png_upload(), alt_text="Vue")
    paths = [image.image.path, image.thumbnail.path]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_product(actor=seller, product=product)
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not any(os.path.exists(path) for path in paths)


def test_moderators_keep_verticals_and_certifications(in_beta, seller):
    moderator = in_beta.members["moderator"]
    vertical = services.save_vertical(actor=moderator, name="Dispositifs médicaux", name_en="Medical devices")
    assert vertical.slug == "dispositifs-medicaux"
    with pytest.raises(ValidationError):
        services.save_vertical(actor=moderator, name="dispositifs MÉDICAUX".replace("É", "é"))
    certification = services.save_certification(actor=moderator, name="ISO 13485", issuer="ISO")
    second = services.save_certification(actor=moderator, name="Marquage CE")
    services.move_entry(actor=moderator, entry=second, direction="up")
    certification.refresh_from_db()
    second.refresh_from_db()
    assert second.position < certification.position
    with pytest.raises(services.CatalogueError):
        services.save_vertical(actor=seller, name="Intrusion")


def test_supported_companies_are_kept_by_moderators(in_beta, seller):
    moderator = in_beta.members["moderator"]
    services.support_company(actor=moderator, company=seller.company, note="Contrat 2026")
    assert seller.company.showroom_support.note == "Contrat 2026"
    with pytest.raises(services.CatalogueError):
        services.support_company(actor=seller, company=seller.company)
    services.stop_supporting(actor=moderator, company=seller.company)
    assert not type(seller.company).objects.filter(showroom_support__isnull=False).exists()


def test_required_languages_are_limited_to_the_programmes_languages(in_beta):
    settings = services.update_settings(actor=in_beta.members["tenant_admin"], required_languages=["en", "it"])
    assert settings.required_languages == ["en"]
    with pytest.raises(services.CatalogueError):
        services.update_settings(actor=in_beta.members["moderator"], required_languages=[])


def test_images_stored_before_processing_are_brought_up_to_date(in_beta, seller, settings):
    from io import StringIO

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from PIL import Image

    from tenant_apps.catalogue.models import ProductImage

    product = _create(seller)
    # A row as stored before processing: the camera's JPEG as uploaded, no thumbnail.
    stored_name = default_storage.save("catalogue/images/old.jpg", ContentFile(_jpeg_from_a_camera().read()))
    [old] = ProductImage.objects.bulk_create([ProductImage(product=product, alt_text="Vue", position=1, image=stored_name)])
    [gone] = ProductImage.objects.bulk_create([ProductImage(product=product, alt_text="Perdue", position=2,
                                                            image="catalogue/images/gone.png")])

    out = StringIO()
    call_command("product_images", tenant=in_beta.tenant.slug, stdout=out)
    assert "1 image(s) brought up to date, 1 file(s) missing" in out.getvalue()
    old.refresh_from_db()
    assert old.image.name.endswith(".webp") and not old.image.storage.exists(stored_name)
    with Image.open(old.image.path) as stored:
        assert not stored.getexif() and max(stored.size) == 1600
    assert os.path.exists(old.thumbnail.path)
    assert gone.image.name == "catalogue/images/gone.png"  # left as it was, and counted
    call_command("product_images", tenant=in_beta.tenant.slug, stdout=out)  # nothing left to do
    assert out.getvalue().endswith("0 image(s) brought up to date, 1 file(s) missing.\n")
