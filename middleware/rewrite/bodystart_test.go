package rewrite

import "testing"

// TestBodyStart checks the BodyStart insertion point: right after the
// <body> start tag, once, never from markup a browser does not read as a
// tag, and before BodyEnd when the document has no <body> start tag.
func TestBodyStart(t *testing.T) {
	const (
		bs = `<section id="banner"><button data-crumb-nonce>ok</button></section>`
		be = `<i>end</i>`
	)
	tests := []struct {
		name, nonce, in, want string
	}{
		{
			name: "full document",
			in:   `<!doctype html><html><head><title>t</title></head><body class="x"><a href="/">home</a></body></html>`,
			want: `<!doctype html><html><head><title>t</title></head><body class="x"><section id="banner"><button>ok</button></section><a href="/">home</a><i>end</i></body></html>`,
		},
		{
			name:  "nonce",
			nonce: "n0nce",
			in:    `<body><p>x</p></body>`,
			want:  `<body><section id="banner"><button nonce="n0nce">ok</button></section><p>x</p><i>end</i></body>`,
		},
		{
			name: "upper case and attributes with a quoted >",
			in:   `<BODY data-x="a>b"><p>x`,
			want: `<BODY data-x="a>b"><section id="banner"><button>ok</button></section><p>x<i>end</i>`,
		},
		{
			name: "a second body tag inserts nothing",
			in:   `<body><p>x</p><body><p>y</p></body>`,
			want: `<body><section id="banner"><button>ok</button></section><p>x</p><body><p>y</p><i>end</i></body>`,
		},
		{
			name: "body in a comment, a script and a textarea is no tag",
			in:   `<!-- <body> --><script>"<body>"</script><body><textarea><body></textarea></body>`,
			want: `<!-- <body> --><script>"<body>"</script><body><section id="banner"><button>ok</button></section><textarea><body></textarea><i>end</i></body>`,
		},
		{
			name: "no body start tag: just before BodyEnd",
			in:   `<p>x</p></html>`,
			want: `<p>x</p><section id="banner"><button>ok</button></section><i>end</i></html>`,
		},
		{
			name: "empty input",
			in:   ``,
			want: `<section id="banner"><button>ok</button></section><i>end</i>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(Options{Catalog: htmlTestCatalog(t), Policy: AllowAll, Nonce: tt.nonce,
				BodyStart: []byte(bs), BodyEnd: []byte(be)})
			htmlWant(t, r, tt.in, tt.want, 5)
		})
	}
	// Without BodyEnd, BodyStart still comes at the end of a document that
	// has no <body> tag.
	r := New(Options{Catalog: htmlTestCatalog(t), Policy: AllowAll, BodyStart: []byte(bs)})
	htmlWant(t, r, `<p>x`, `<p>x<section id="banner"><button>ok</button></section>`, 5)
}
