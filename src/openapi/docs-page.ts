// The API reference page. Swagger UI's files are static assets under /docs/ (copied from
// swagger-ui-dist by `npm run build`; Workers serve them from the assets binding, Node with
// serve-static), and the page loads nothing else: the policy below lets it reach only its own
// origin (and data: images), so no font, script, validator badge or telemetry call can leave. The paths are
// relative, so the page works behind a proxy that mounts the gateway under a prefix.

export const DOCS_ASSET_PATH = '../../docs';

export const DOCS_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Swagger UI's stylesheet draws a few icons as data: SVGs: bytes in the stylesheet, no request.
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const docsPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>llm-gateway API reference</title>
<link rel="icon" href="${DOCS_ASSET_PATH}/favicon-32x32.png">
<link rel="stylesheet" href="${DOCS_ASSET_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSET_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSET_PATH}/start-swagger-ui.js"></script>
</body>
</html>
`;
