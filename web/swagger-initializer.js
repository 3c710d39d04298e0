// wardend's Swagger UI set-up: the document at /openapi.json, and "Authorize" by the OAuth2
// password flow against the document's token URL. Swagger UI then sends the form with
// `Authorization: Basic Og==` (an empty client id and secret), which wardend reads as no client
// authentication. Tokens stay in this page's memory only (persistAuthorization: false).
window.addEventListener("load", function () {
  const ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect.html",
    persistAuthorization: false,
    showMutatedRequest: true,
  });
  ui.initOAuth({ appName: "warden", scopeSeparator: " " });
  window.ui = ui;
});
