// Starts Swagger UI on the gateway's own document, from a file rather than an inline script so the
// page's Content-Security-Policy can refuse inline code. validatorUrl: null keeps Swagger UI from
// sending the document to validator.swagger.io for its badge; queryConfigEnabled: false keeps a
// crafted link (?url=...) from making the page load a document from elsewhere.
window.ui = window.SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  queryConfigEnabled: false,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
