from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.accounts.permissions import permission_required
from shared_apps.audit.services import record
from tenant_apps.verification import forms, selectors, services
from tenant_apps.verification.models import VerificationRequest


def _own_request(request):
    company = selectors.company_for(request.user)
    if company is None:
        return None, None
    return company, services.open_request(company=company)


def _my_page(request, company, verification_request, *, upload_form=None, appeal_form=None, status=200):
    return render(request, "verification/my_verification.html", {
        "company": company,
        "verification_request": verification_request,
        "documents": selectors.documents_of(verification_request) if verification_request else [],
        "missing_types": selectors.missing_document_types(verification_request) if verification_request else [],
        "document_types": selectors.document_types(),
        "decisions": verification_request.decisions.all() if verification_request else [],
        "can_upload": verification_request is not None
        and verification_request.status in selectors.UPLOAD_STATUSES
        and verification_request.appealed_at is None,
        "can_submit": verification_request is not None and verification_request.status in (
            VerificationRequest.Status.DRAFT, VerificationRequest.Status.MORE_INFORMATION),
        "can_appeal": verification_request is not None
        and verification_request.status == VerificationRequest.Status.REJECTED
        and verification_request.appealed_at is None,
        "upload_form": upload_form or forms.DocumentUploadForm(),
        "appeal_form": appeal_form or forms.AppealForm(),
    }, status=status)


def _no_company(request):
    messages.error(request, _("You do not represent a company yet."))
    return redirect("verification:my-verification")


@permission_required("verification.request")
@require_GET
def my_verification(request):
    company, verification_request = _own_request(request)
    return _my_page(request, company, verification_request)


@permission_required("verification.request")
@require_POST
def upload_document(request):
    company, verification_request = _own_request(request)
    if company is None:
        return _no_company(request)
    form = forms.DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_document(verification_request=verification_request,
                                     document_type=form.cleaned_data["document_type"],
                                     upload=form.cleaned_data["file"], issued_on=form.cleaned_data["issued_on"],
                                     actor=request.user)
        except ValidationError as error:
            form.add_error("file", error)
        except services.VerificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The document was added. We are checking it in the background."))
            return redirect("verification:my-verification")
    return _my_page(request, company, verification_request, upload_form=form, status=400)


@permission_required("verification.request")
@require_POST
def delete_document(request, pk):
    company = selectors.company_for(request.user)
    document = selectors.document_by_id(pk)
    if company is None or document is None or document.request.company_id != company.pk:
        raise Http404
    try:
        services.delete_document(document=document, actor=request.user)
    except services.VerificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The document was removed."))
    return redirect("verification:my-verification")


@permission_required("verification.request")
@require_POST
def submit_request(request):
    company, verification_request = _own_request(request)
    if company is None:
        return _no_company(request)
    try:
        services.submit_request(verification_request=verification_request, actor=request.user)
    except services.VerificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request was sent to the programme's moderators."))
    return redirect("verification:my-verification")


@permission_required("verification.request")
@require_POST
def appeal(request):
    company, verification_request = _own_request(request)
    if company is None:
        return _no_company(request)
    form = forms.AppealForm(request.POST)
    if form.is_valid():
        try:
            services.appeal(verification_request=verification_request, statement=form.cleaned_data["statement"],
                            actor=request.user)
        except services.VerificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your appeal was sent. Another moderator will review it."))
            return redirect("verification:my-verification")
    return _my_page(request, company, verification_request, appeal_form=form, status=400)


# The preview frame on the review page embeds this response, so it may be framed by this site only.
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": SELF})
@require_GET
def download_document(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = selectors.document_by_id(pk)
    if document is None or not selectors.can_open_document(request.user, document, tenant=request.tenant):
        raise Http404
    record(action="verification.document_downloaded", tenant=request.tenant, actor=request.user, target=document,
           after={"company": document.request.company_id})
    inline = request.GET.get("inline") == "1"
    response = FileResponse(document.file.open("rb"), as_attachment=not inline, filename=document.original_name,
                            content_type=document.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("verification.review")
@require_GET
def review_queue(request):
    return render(request, "verification/review_queue.html", {"queue": list(selectors.review_queue())})


def _review_page(request, verification_request, form=None, status=200):
    documents = list(selectors.documents_of(verification_request))
    selected = next((d for d in documents if str(d.pk) == request.GET.get("document")), documents[0] if documents
                    else None)
    return render(request, "verification/review_detail.html", {
        "verification_request": verification_request,
        "company": verification_request.company,
        "documents": documents,
        "selected": selected,
        "findings": selectors.findings_of(verification_request),
        "decisions": verification_request.decisions.all(),
        "is_own_company": selectors.represents(request.user, verification_request.company_id),
        "can_start": verification_request.status == VerificationRequest.Status.SUBMITTED,
        "can_decide": verification_request.status in selectors.QUEUE_STATUSES,
        "form": form or forms.DecisionForm(),
    }, status=status)


@permission_required("verification.review")
@require_http_methods(["GET", "POST"])
def review_detail(request, pk):
    verification_request = selectors.request_for_review(pk)
    if verification_request is None:
        raise Http404
    if request.method == "GET":
        return _review_page(request, verification_request)
    if request.POST.get("action") == "start":
        try:
            services.start_review(verification_request=verification_request, reviewer=request.user)
        except services.CannotReviewOwnCompany as error:
            raise PermissionDenied(str(error)) from None
        except services.VerificationError as error:
            messages.error(request, str(error))
        return redirect("verification:review-detail", pk=pk)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        action = {"approve": services.approve, "reject": services.reject,
                  "more_information": services.request_more_information}[form.cleaned_data["decision"]]
        try:
            action(verification_request=verification_request, reviewer=request.user,
                   reason=form.cleaned_data["reason"])
        except services.CannotReviewOwnCompany as error:
            raise PermissionDenied(str(error)) from None
        except services.VerificationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your decision was recorded and the company was told."))
            return redirect("verification:review-queue")
    return _review_page(request, verification_request, form=form, status=400)


@permission_required("settings.change")
@require_http_methods(["GET", "POST"])
def manage_settings(request):
    current = services.current_settings()
    initial = {"validity_days": current.validity_days,
               "reminder_days": ", ".join(str(days) for days in current.reminder_days)}
    form = forms.SettingsForm(request.POST or None, initial=initial, prefix="settings")
    formset = forms.DocumentTypeFormSet(request.POST or None, queryset=selectors.document_types(), prefix="types")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        services.update_settings(validity_days=form.cleaned_data["validity_days"],
                                 reminder_days=form.cleaned_data["reminder_days"], actor=request.user)
        services.save_document_types(formset=formset, actor=request.user)
        messages.success(request, _("The verification settings are saved."))
        return redirect("verification:manage-settings")
    return render(request, "verification/manage_settings.html", {"form": form, "formset": formset},
                  status=400 if request.method == "POST" else 200)
