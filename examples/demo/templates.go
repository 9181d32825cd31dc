package main

// pageTemplate is the shop's one layout. The head and the end of the body
// carry what such sites carry, in the shapes the vendors' instructions give
// (written here from those shapes, with placeholder ids): the Google tag for
// GA4, the Tag Manager loader with its noscript iframe, the Meta Pixel loader
// with its noscript image, a LinkedIn conversion pixel and, on product pages,
// a YouTube player.
const pageTemplate = `<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · Crumb &amp; Co.</title>
<link rel="stylesheet" href="/static/shop.css">
<link rel="stylesheet" href="/static/theme.css">
<!-- Google tag (GA4) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-DEMO123"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag() { dataLayer.push(arguments); }
  gtag('js', new Date());
  gtag('config', 'G-DEMO123');
</script>
<!-- Google Tag Manager -->
<script>
  (function (win, doc, tag, layer, id) {
    win[layer] = win[layer] || [];
    win[layer].push({'gtm.start': new Date().getTime(), event: 'gtm.js'});
    var first = doc.getElementsByTagName(tag)[0];
    var el = doc.createElement(tag);
    el.async = true;
    el.src = 'https://www.googletagmanager.com/gtm.js?id=' + id;
    first.parentNode.insertBefore(el, first);
  })(window, document, 'script', 'dataLayer', 'GTM-DEMO');
</script>
<!-- Meta Pixel -->
<script>
  (function (win, doc, src) {
    if (win.fbq) return;
    var q = win.fbq = function () {
      q.callMethod ? q.callMethod.apply(q, arguments) : q.queue.push(arguments);
    };
    if (!win._fbq) win._fbq = q;
    q.push = q; q.loaded = true; q.version = '2.0'; q.queue = [];
    var el = doc.createElement('script');
    el.async = true;
    el.src = src;
    var first = doc.getElementsByTagName('script')[0];
    first.parentNode.insertBefore(el, first);
  })(window, document, 'https://connect.facebook.net/en_US/fbevents.js');
  fbq('init', '1234');
  fbq('track', 'PageView');
</script>
<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=1234&ev=PageView&noscript=1"/></noscript>
</head>
<body>
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-DEMO" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>
<header class="bar">
  <a class="brand" href="/">Crumb &amp; Co.</a>
  <nav>
    {{if .User}}<span class="who">{{.W.SignedInAs}} <b>{{.User}}</b></span>
    <form method="post" action="/logout"><button>{{.W.Logout}}</button></form>
    {{else}}<a href="/login?next={{.Path}}">{{.W.Login}}</a>{{end}}
    <form method="post" action="/lang" class="lang" aria-label="{{.W.Language}}">
      <input type="hidden" name="back" value="{{.Path}}">
      <button name="lang" value="en"{{if eq .Lang "en"}} aria-pressed="true"{{end}}>EN</button>
      <button name="lang" value="de"{{if eq .Lang "de"}} aria-pressed="true"{{end}}>DE</button>
    </form>
  </nav>
</header>
<main>
{{- if .Error}}
  <p class="error">{{.Error}}</p>
{{- end}}
{{- if .Products}}
  <section class="hero"><h1>Crumb &amp; Co.</h1><p>{{.W.Tagline}}</p></section>
  <h2>{{.W.Products}}</h2>
  <ul class="grid">
  {{- range .Products}}
    <li class="card"><h3>{{.Name}}</h3><p>{{.Blurb}}</p>
      <p class="price">{{.PriceText}}</p><a class="button" href="/product/{{.ID}}">{{$.W.Details}}</a></li>
  {{- end}}
  </ul>
{{- else if .Product}}
  <article class="product">
    <h1>{{.Product.Name}}</h1>
    <p>{{.Product.Blurb}}</p>
    <p class="price">{{.Product.PriceText}}</p>
    <h2>{{.W.Film}}</h2>
    <div class="video">
      <iframe width="560" height="315" src="https://www.youtube.com/embed/{{.Product.Video}}" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>
    </div>
  </article>
{{- else if .Next}}
  <form method="post" action="/login" class="login">
    <h1>{{.W.Login}}</h1>
    <input type="hidden" name="next" value="{{.Next}}">
    <label>{{.W.User}} <input name="name" autocomplete="username" required maxlength="64"></label>
    <label>{{.W.Password}} <input name="password" type="password" autocomplete="current-password"></label>
    <button>{{.W.Submit}}</button>
  </form>
{{- end}}
</main>
<footer>
  <p>Crumb &amp; Co. is a demo shop for <a href="https://github.com/crumbhq/crumb">crumb</a>. Nothing here is for sale.
  {{- with .Settings}} · {{.}}{{end}}</p>
  <img src="https://px.ads.linkedin.com/collect/?pid=5678&fmt=gif" width="1" height="1" alt="" style="display:none">
</footer>
</body>
</html>
`

// themeCSS themes crumb's banner, placeholders and pages with the shop's
// brand colour: one custom property. The shop's pages link it, and crumb's
// own pages do too (Config.ThemeStylesheet).
const themeCSS = `:root { --crumb-accent: #9a4a12; }
`

const shopCSS = `:root { --ink: #2b2118; --crust: #9a4a12; --flour: #fbf7f0; --line: #e7dccb; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: var(--flour); }
a { color: var(--crust); }
.bar { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: .75rem 1.5rem; background: #fff; border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; color: var(--ink); }
nav { display: flex; align-items: center; gap: .75rem; }
nav form { display: inline; margin: 0; }
button, .button { font: inherit; padding: .35rem .8rem; border-radius: .4rem; border: 1px solid var(--crust);
  background: #fff; color: var(--crust); cursor: pointer; text-decoration: none; display: inline-block; }
button[aria-pressed="true"], .button:hover, button:hover { background: var(--crust); color: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
.hero { padding: 2rem 0 1rem; }
.hero h1 { font-size: 2.5rem; margin: 0; }
.grid { list-style: none; padding: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); }
.card { background: #fff; border: 1px solid var(--line); border-radius: .6rem; padding: 1rem; }
.card h3 { margin-top: 0; }
.price { font-weight: 700; font-size: 1.1rem; }
.video { aspect-ratio: 16 / 9; max-width: 560px; background: #ddd; border-radius: .6rem; overflow: hidden; }
.video:has(.crumb-placeholder) { background: none; }
.video iframe { display: block; width: 100%; height: 100%; border: 0; }
.video .crumb-placeholder { justify-content: center; align-items: center; width: 100%; height: 100%; margin: 0;
  padding: 1.5rem; text-align: center; }
.video .crumb-ph-form { text-align: center; }
.video .crumb-actions { justify-content: center; }
.video:has(.crumb-placeholder) iframe:not([src]) { display: none; }
.login { display: grid; gap: .75rem; max-width: 22rem; }
.login label { display: grid; gap: .25rem; }
.login input { font: inherit; padding: .4rem; border: 1px solid var(--line); border-radius: .3rem; }
.error { color: #a40000; }
footer { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; font-size: .9rem; color: #6b5a48; }
@media (max-width: 30rem) {
  .bar { flex-wrap: wrap; gap: .5rem; padding: .6rem 1rem; }
  nav { flex-wrap: wrap; gap: .5rem; }
  main { padding: 1rem; }
  .hero h1 { font-size: 2rem; }
  footer { padding: 0 1rem; }
}
`
