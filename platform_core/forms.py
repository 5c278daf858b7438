"""Small helpers every form view uses: which data to bind, which status to answer, and
how a service's ValidationError lands next to the fields it names."""

from __future__ import annotations


def posted(request):
    """The POST data to bind, or None on GET.

    Not ``request.POST or None``: a POST with every box unticked is empty, and must still
    be validated rather than shown back as an untouched form.
    """
    return request.POST if request.method == "POST" else None


def response_status(form) -> int:
    """400 when a submitted form is refused, so the page says so to machines too."""
    return 400 if form is not None and form.is_bound and form.errors else 200


def add_service_errors(form, error: Exception, *, field_map: dict[str, str] | None = None) -> None:
    """Attach a service's refusal to the form: a ValidationError per field when it names
    one the form has (after ``field_map`` renames); anything else to the whole form."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field_map.get(field, field)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in getattr(error, "messages", [str(error)]):
            form.add_error(None, message)


def id_param(value) -> int | None:
    """A record id from a query string or form value, or None: only ASCII digits count
    ("²" passes ``str.isdigit()`` but not ``int()``)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() else None
