"""The showroom composer's forms: the page's title, and one form per kind of block."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.catalogue import selectors as catalogue_selectors
from tenant_apps.catalogue.models import ShowroomBlock
from tenant_apps.directory.models import Company

RICH_HELP = _("Paragraphs, headings (h2, h3), lists, bold, italics and links are kept; anything else is removed.")

# Which fields each kind of block offers, in order.
BLOCK_FIELDS = {
    ShowroomBlock.Kind.HERO: ("heading", "heading_en", "body", "body_en", "image", "image_alt", "remove_image",
                              "link_url", "link_label", "link_label_en"),
    ShowroomBlock.Kind.FEATURED_COMPANIES: ("heading", "heading_en", "body", "body_en", "companies"),
    ShowroomBlock.Kind.FEATURED_PRODUCTS: ("heading", "heading_en", "body", "body_en", "products"),
    ShowroomBlock.Kind.VERTICALS: ("heading", "heading_en", "body", "body_en"),
    ShowroomBlock.Kind.STORIES: ("heading", "heading_en"),
    ShowroomBlock.Kind.RICH_TEXT: ("heading", "heading_en", "body", "body_en"),
    ShowroomBlock.Kind.CALL_TO_ACTION: ("heading", "heading_en", "body", "body_en", "link_url", "link_label",
                                        "link_label_en"),
}


class PageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    title_en = forms.CharField(label=_("Title in English"), max_length=120, required=False)
    summary = forms.CharField(label=_("Summary for search engines"), max_length=300, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    summary_en = forms.CharField(label=_("Summary in English"), max_length=300, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class AddBlockForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of block"), choices=ShowroomBlock.Kind.choices)


class BlockForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200, required=False)
    heading_en = forms.CharField(label=_("Heading in English"), max_length=200, required=False)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text=RICH_HELP)
    body_en = forms.CharField(label=_("Text in English"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
                              help_text=RICH_HELP)
    image = forms.FileField(label=_("Image"), required=False, help_text=_("PNG, JPEG, WebP or GIF, 5 MB at most."))
    image_alt = forms.CharField(
        label=_("Description of the image"), max_length=200, required=False,
        help_text=_("Leave empty when the image is only decoration."),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)
    link_url = forms.CharField(label=_("Button link"), max_length=300, required=False,
                               help_text=_("A path on this site, such as /catalogue/, or a web address."))
    link_label = forms.CharField(label=_("Button text"), max_length=80, required=False)
    link_label_en = forms.CharField(label=_("Button text in English"), max_length=80, required=False)
    companies = forms.TypedMultipleChoiceField(
        label=_("Companies"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the supported companies are shown."),
    )
    products = forms.TypedMultipleChoiceField(
        label=_("Products"), coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("None chosen: the newest products of supported companies are shown. Hold Ctrl (or Cmd) to choose several."),
    )

    is_enabled = forms.BooleanField(label=_("Show this block on the page"), required=False)

    def __init__(self, *args, block: ShowroomBlock, **kwargs):
        if not kwargs.get("initial"):
            kwargs["initial"] = {
                "is_enabled": block.is_enabled,
                "heading": block.heading, "heading_en": block.heading_en, "body": block.body, "body_en": block.body_en,
                "image_alt": block.image_alt, "link_url": block.link_url, "link_label": block.link_label,
                "link_label_en": block.link_label_en,
                "companies": [company.pk for company in block.companies.all()],
                "products": [product.pk for product in block.products.all()],
            }
        super().__init__(*args, **kwargs)
        wanted = (*BLOCK_FIELDS[block.kind], "is_enabled")
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        if not block.image and "remove_image" in self.fields:
            del self.fields["remove_image"]
        if "companies" in self.fields:
            supported = list(catalogue_selectors.supported_companies().values_list("pk", "name"))
            listed = Company.objects.exclude(visibility=Company.Visibility.HIDDEN).order_by("name").values_list("pk", "name")
            self.fields["companies"].choices = supported or list(listed)
        if "products" in self.fields:
            products = catalogue_selectors.listed_products().select_related("company").order_by("company__name", "title")
            self.fields["products"].choices = [(p.pk, f"{p.title} — {p.company.name}") for p in products.only("pk", "title", "company__name")]


class StoryForm(forms.Form):
    quote = forms.CharField(label=_("Story or testimonial"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    quote_en = forms.CharField(label=_("In English"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    author = forms.CharField(label=_("Who said it"), max_length=120, required=False)
    role = forms.CharField(label=_("Their role and company"), max_length=120, required=False)
    role_en = forms.CharField(label=_("Their role in English"), max_length=120, required=False)


StoryFormSet = forms.formset_factory(StoryForm, extra=2, max_num=12, validate_max=True)
