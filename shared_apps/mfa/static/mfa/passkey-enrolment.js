// Once the server has accepted a new passkey, go on to the page it names.
document.addEventListener("otp_webauthn.register_complete", function (event) {
  var response = event.detail && event.detail.response;
  if (response && response.redirect_url) {
    window.location.assign(response.redirect_url);
  }
});
