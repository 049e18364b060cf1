// The page lists the documents the stand serves (apis.json) and renders the
// one chosen (?urls.primaryName=<title>, or the first). It calls nothing
// outside the stand: no validator badge, no remote fonts.
window.addEventListener('load', async () => {
  const apis = await (await fetch('apis.json')).json();
  window.ui = SwaggerUIBundle({
    urls: apis.map((a) => ({ url: a.json, name: a.title })),
    dom_id: '#swagger-ui',
    deepLinking: true,
    queryConfigEnabled: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
});
