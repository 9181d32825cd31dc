package main

import (
	"fmt"
	"strings"
)

// trackerHead is what the demo shop's head carries: the Consent Mode-aware
// Tag Manager snippet, the GA4 tag, the Meta Pixel with its noscript image
// and the LinkedIn Insight tag.
const trackerHead = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Crumb &amp; Co. - all products</title>
<link rel="stylesheet" href="/static/shop.css">
<link rel="preconnect" href="https://www.googletagmanager.com">
<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':
new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],
j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src=
'https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);
})(window,document,'script','dataLayer','GTM-LOAD1');</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-LOAD1"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('js',new Date());gtag('config','G-LOAD1');</script>
<script>!function(f,b,e,v,n,t,s){if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};if(!f._fbq)f._fbq=n;
n.push=n;n.loaded=!0;n.version='2.0';n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}(window,
document,'script','https://connect.facebook.net/en_US/fbevents.js');
fbq('init','1234567890');fbq('track','PageView');</script>
<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=1234567890&ev=PageView&noscript=1"></noscript>
<script type="text/javascript">_linkedin_partner_id="123456";window._linkedin_data_partner_ids=window._linkedin_data_partner_ids||[];window._linkedin_data_partner_ids.push(_linkedin_partner_id);</script>
<script async src="https://snap.licdn.com/li.lms-analytics/insight.min.js"></script>
</head>
<body>
<header class="site"><a href="/" class="logo">Crumb &amp; Co.</a>
<nav><a href="/products">Products</a> <a href="/about">About</a> <a href="/cart">Cart (0)</a></nav></header>
<main>
<h1>All products</h1>
<div class="video"><iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="How we bake" allowfullscreen></iframe></div>
<ul class="grid">
`

const trackerFoot = `</ul>
</main>
<footer><p>&copy; Crumb &amp; Co. <a href="/privacy">Privacy</a> <a href="/consent/">Cookie settings</a></p></footer>
<noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-LOAD1" height="0" width="0" style="display:none;visibility:hidden"></iframe></noscript>
</body>
</html>
`

// Page returns an HTML page of about size bytes (at least the head and
// foot): the demo's tracker tags and a product grid of plain markup, the
// kind of page the rewriter meets most.
func Page(size int) []byte {
	var b strings.Builder
	b.WriteString(trackerHead)
	for i := 1; b.Len()+len(trackerFoot) < size; i++ {
		fmt.Fprintf(&b, `<li class="card" data-sku="SKU-%05d"><a href="/products/%d"><img src="/static/p/%d.webp" alt="Sourdough loaf no. %d" width="240" height="180" loading="lazy"></a>
<h2><a href="/products/%d">Sourdough loaf no. %d</a></h2><p class="price">&euro;%d.%02d</p>
<form method="post" action="/cart"><input type="hidden" name="sku" value="SKU-%05d"><button type="submit">Add to cart</button></form></li>
`, i, i, i, i, i, i, 3+i%9, (i*37)%100, i)
	}
	b.WriteString(trackerFoot)
	return []byte(b.String())
}
