"""The showroom page, and the admins' page that composes it from blocks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from platform_core.forms import add_service_errors, posted, response_status
from shared_apps.accounts.permissions import can, permission_required
from tenant_apps.catalogue import selectors as catalogue_selectors
from tenant_apps.catalogue.models import ShowroomBlock
from tenant_apps.catalogue.showroom import forms, selectors, services


def _showroom_on(request) -> None:
    if not request.tenant.has_module("showroom"):
        raise Http404


@permission_required("home.view")
@require_GET
def page(request):
    _showroom_on(request)
    showroom, blocks = selectors.page_for_display(
        tenant=request.tenant, include_members_only=catalogue_selectors.is_member(request.user, request.tenant))
    context = {
        "page": showroom,
        "title": selectors.localised(showroom.title, showroom.title_en),
        "summary": selectors.localised(showroom.summary, showroom.summary_en),
        "blocks": blocks,
        "can_edit": can(request.user, "showroom.edit", tenant=request.tenant),
        "can_browse": can(request.user, "catalogue.view", tenant=request.tenant) and request.tenant.has_module("catalogue"),
    }
    return render(request, "catalogue/showroom/page.html", context)


@permission_required("showroom.edit")
@require_http_methods(["GET", "POST"])
def compose(request):
    _showroom_on(request)
    showroom = services.showroom_page()
    is_page_form = request.method == "POST" and request.POST.get("form") == "page"
    page_form = forms.PageForm(posted(request) if is_page_form else None, initial={
        "title": showroom.title, "title_en": showroom.title_en, "summary": showroom.summary,
        "summary_en": showroom.summary_en,
    })
    add_form = forms.AddBlockForm(posted(request) if request.method == "POST" and not is_page_form else None)
    form = page_form if is_page_form else add_form if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            if is_page_form:
                services.update_page(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Page saved."))
                return redirect("showroom:compose")
            block = services.add_block(actor=request.user, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Block added. Fill it in and tick \"Show this block on the page\" when it is ready."))
            return redirect("showroom:block-edit", pk=block.pk)
    blocks = list(ShowroomBlock.objects.filter(page=showroom).order_by("position", "id"))
    context = {"page": showroom, "page_form": page_form, "add_form": add_form, "blocks": blocks}
    return render(request, "catalogue/showroom/compose.html", context, status=response_status(form))


@permission_required("showroom.edit")
@require_http_methods(["GET", "POST"])
def block_edit(request, pk: int):
    _showroom_on(request)
    block = get_object_or_404(ShowroomBlock.objects.prefetch_related("companies", "products"), pk=pk)
    files = request.FILES if request.method == "POST" else None
    form = forms.BlockForm(posted(request), files, block=block)
    stories = None
    if block.kind == ShowroomBlock.Kind.STORIES:
        stories = forms.StoryFormSet(posted(request), prefix="story", initial=block.items)
    if request.method == "POST" and form.is_valid() and (stories is None or stories.is_valid()):
        values = dict(form.cleaned_data)
        if stories is not None:
            values["items"] = [story.cleaned_data for story in stories.forms if story.cleaned_data]
        if "image" in values:
            values["image"] = values["image"] or None
        try:
            services.save_block(actor=request.user, block=block, **values)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Block saved."))
            return redirect("showroom:compose")
    status = response_status(form)
    if stories is not None and stories.is_bound and not stories.is_valid():
        status = 400
    context = {"block": block, "form": form, "stories": stories}
    return render(request, "catalogue/showroom/block_form.html", context, status=status)


@permission_required("showroom.edit")
@require_POST
def block_move(request, pk: int):
    _showroom_on(request)
    block = get_object_or_404(ShowroomBlock, pk=pk)
    services.move_block(actor=request.user, block=block, direction="up" if request.POST.get("direction") == "up" else "down")
    return redirect("showroom:compose")


@permission_required("showroom.edit")
@require_POST
def block_toggle(request, pk: int):
    _showroom_on(request)
    block = get_object_or_404(ShowroomBlock, pk=pk)
    services.set_block_shown(actor=request.user, block=block, is_enabled=not block.is_enabled)
    messages.success(request, _("Block shown.") if block.is_enabled else _("Block hidden."))
    return redirect("showroom:compose")


@permission_required("showroom.edit")
@require_http_methods(["GET", "POST"])
def block_delete(request, pk: int):
    _showroom_on(request)
    block = get_object_or_404(ShowroomBlock, pk=pk)
    if request.method == "POST":
        services.delete_block(actor=request.user, block=block)
        messages.success(request, _("Block deleted."))
        return redirect("showroom:compose")
    return render(request, "catalogue/showroom/block_delete.html", {"block": block})


@permission_required("showroom.edit")
@require_GET
def preview(request):
    """The page as visitors will see it, hidden blocks included, for admins only."""
    _showroom_on(request)
    showroom, blocks = selectors.page_for_display(tenant=request.tenant, include_hidden=True)
    context = {
        "page": showroom, "title": selectors.localised(showroom.title, showroom.title_en),
        "summary": selectors.localised(showroom.summary, showroom.summary_en),
        "blocks": blocks, "can_edit": True, "is_preview": True,
        "can_browse": request.tenant.has_module("catalogue"),
    }
    return render(request, "catalogue/showroom/page.html", context)
