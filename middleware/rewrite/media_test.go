package rewrite

import (
	"testing"

	"github.com/crumbhq/crumb/classify"
)

// TestLoaderGaps covers the markup issue 12 found passing live: media
// elements, the background attribute, spellings the parser rewrites, SVG
// loaders and a refresh, each to a refused tracker, with marketing refused
// and social granted. Allowed URLs and look-alikes stay byte for byte.
func TestLoaderGaps(t *testing.T) {
	const px = "https://www.facebook.com/tr?id=1"
	const moved = `data-crumb-category="marketing" data-crumb-`
	tests := []struct{ name, in, want string }{
		{"video src", `<video src="` + px + `"></video>`, `<video ` + moved + `src="` + px + `"></video>`},
		{"video src and poster",
			`<video src="https://ads.linkedin.com/v.mp4" poster="` + px + `"></video>`,
			`<video ` + moved + `poster="` + px + `" data-crumb-src="https://ads.linkedin.com/v.mp4"></video>`},
		{"audio src", `<audio src="https://bat.bing.com/a.mp3" controls></audio>`,
			`<audio ` + moved + `src="https://bat.bing.com/a.mp3" controls></audio>`},
		{"audio source", `<audio><source src="` + px + `" type="audio/mpeg"></audio>`,
			`<audio><source ` + moved + `src="` + px + `" type="audio/mpeg"></audio>`},
		{"track", `<video src="/v.mp4"><track src="https://ads.linkedin.com/c.vtt" kind="captions"></video>`,
			`<video src="/v.mp4"><track ` + moved + `src="https://ads.linkedin.com/c.vtt" kind="captions"></video>`},
		{"picture source srcset", `<picture><source srcset="` + px + ` 1x"><img src="/a.png"></picture>`,
			`<picture><source ` + moved + `srcset="` + px + ` 1x"><img src="/a.png"></picture>`},
		{"social video allowed", `<video src="https://www.youtube.com/v.mp4"></video>`, `<video src="https://www.youtube.com/v.mp4"></video>`},
		{"own video", `<video src="/v.mp4" poster="/p.jpg"></video>`, `<video src="/v.mp4" poster="/p.jpg"></video>`},

		{"body background", `<body background="` + px + `">x`, `<body ` + moved + `background="` + px + `">x`},
		{"second body merged", `<body class="a">x<body background="` + px + `">`,
			`<body class="a">x<body ` + moved + `background="` + px + `">`},
		{"table td th", `<table background="` + px + `"><tr><td background="` + px + `">1<th BACKGROUND='` + px + `'>2</table>`,
			`<table ` + moved + `background="` + px + `"><tr><td ` + moved + `background="` + px + `">1<th ` + moved + `background="` + px + `">2</table>`},
		{"div background is ignored by browsers", `<div background="` + px + `">x</div>`, `<div background="` + px + `">x</div>`},
		{"own background", `<td background="/bg.png">x</td>`, `<td background="/bg.png">x</td>`},

		{"image is img in HTML", `<image src="` + px + `" width="300" height="200">`, ``},
		{"image in SVG", `<svg><image href="` + px + `"/></svg>`, `<svg></svg>`},
		{"character reference in rel", `<link rel="pre&#99;onnect" href="https://connect.facebook.net">`, ``},
		{"character reference in URL", `<video src="https://www.facebook&#46;com/tr?id=1"></video>`,
			`<video ` + moved + `src="https://www.facebook&#46;com/tr?id=1"></video>`},

		{"feImage href", `<svg><filter><feImage href="` + px + `"/></filter></svg>`,
			`<svg><filter><feImage ` + moved + `href="` + px + `"/></filter></svg>`},
		{"feImage xlink:href", `<svg><filter><feimage xlink:href="` + px + `"/></filter></svg>`,
			`<svg><filter><feimage ` + moved + `href="` + px + `"/></filter></svg>`},
		{"use external", `<svg><use href="https://ads.linkedin.com/s.svg#i"/></svg>`,
			`<svg><use ` + moved + `href="https://ads.linkedin.com/s.svg#i"/></svg>`},
		{"use local", `<svg><use href="#icon"/></svg>`, `<svg><use href="#icon"/></svg>`},
		{"set href", `<svg><a><set attributeName="href" to="` + px + `"/></a></svg>`, `<svg><a></a></svg>`},
		{"animate values", `<svg><a><animate attributeName="xlink:href" values="/a;` + px + `" dur="1s"/></a></svg>`, `<svg><a></a></svg>`},
		{"animate of another attribute", `<svg><animate attributeName="x" to="` + px + `"/></svg>`, `<svg><animate attributeName="x" to="` + px + `"/></svg>`},

		{"meta refresh", `<meta http-equiv="refresh" content="0; url=` + px + `">`, ``},
		{"meta refresh quoted", `<meta http-equiv="Refresh" content="5;URL='` + px + `'">`, ``},
		{"meta refresh reference", `<meta http-equiv="re&#102;resh" content="0,` + px + `">`, ``},
		{"meta refresh own", `<meta http-equiv="refresh" content="0; url=/next">`, `<meta http-equiv="refresh" content="0; url=/next">`},
		{"meta charset", `<meta charset="utf-8">`, `<meta charset="utf-8">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(Options{Catalog: htmlTestCatalog(t), Policy: htmlAllow(classify.Social), PageHost: "www.example.com"})
			htmlWant(t, r, tt.in, tt.want, 64)
		})
	}
}

func TestRefreshURL(t *testing.T) {
	for in, want := range map[string]string{
		"0; url=/a":       "/a",
		" 5 ; URL = '/b'": "/b",
		"0,/c":            "/c",
		"3":               "",
		`0;url="/d`:       "/d",
		"1.5 /e":          "/e",
	} {
		if got := string(refreshURL([]byte(in))); got != want {
			t.Errorf("refreshURL(%q) = %q, want %q", in, got, want)
		}
	}
}
