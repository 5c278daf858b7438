from shared_apps.privacy.consent import NO_DECISION


def consent(request):
    state = getattr(request, "consent", NO_DECISION)
    match = getattr(request, "resolver_match", None)
    on_cookie_page = match is not None and match.view_name == "privacy:cookies"
    return {"consent": state, "show_consent_banner": not state.decided and not on_cookie_page}
