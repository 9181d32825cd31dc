package middleware_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"unicode"

	"github.com/crumbhq/crumb/middleware"
	"golang.org/x/text/runes"
)

// Wrap a handler so that only the cookies a policy accepts leave, and HTML
// bodies are rewritten as they stream.
func ExampleWrap() {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "session=abc; Path=/; HttpOnly")
		w.Header().Add("Set-Cookie", "_ga=GA1.1.42; Max-Age=63072000")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"v7"`)
		io.WriteString(w, "<p>hello</p>")
	})
	hooks := &middleware.HookFuncs{
		KeepCookieFunc: func(r *http.Request, line string) bool {
			return !strings.HasPrefix(line, "_ga=")
		},
		CommitFunc: func(r *http.Request, status int, h http.Header) middleware.Body {
			h.Add("Vary", "Cookie")
			if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				return middleware.Body{} // pass through
			}
			return middleware.Body{Transformer: runes.Map(unicode.ToUpper), Variant: "shout"}
		},
	}
	rec := httptest.NewRecorder()
	middleware.Wrap(app, hooks).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))

	res := rec.Result()
	fmt.Println(res.Header["Set-Cookie"])
	fmt.Println(res.Header.Get("Etag"), res.Header.Get("Vary"))
	body, _ := io.ReadAll(res.Body)
	fmt.Println(string(body))
	// Output:
	// [session=abc; Path=/; HttpOnly]
	// "v7-shout" Cookie
	// <P>HELLO</P>
}

type visitorKey struct{}

// policy is one value for all requests; the per-request decision comes from
// the request context, so no closure is made per request.
type policy struct{}

func (policy) KeepCookie(r *http.Request, line string) bool {
	allowAnalytics, _ := r.Context().Value(visitorKey{}).(bool)
	return allowAnalytics || !strings.HasPrefix(line, "_ga=")
}

func (policy) Commit(r *http.Request, status int, h http.Header) middleware.Body {
	return middleware.Body{}
}

func (policy) Event(r *http.Request, e middleware.Event) {
	fmt.Println("event:", e.Kind, e.Status)
}

// Serve is the per-request form, for a middleware that first works out
// request state and puts it in the context.
func ExampleServe() {
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "_ga=GA1.1.42")
		w.WriteHeader(http.StatusCreated)
		w.WriteHeader(http.StatusOK) // dropped, and reported
	})
	consentMiddleware := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		allow := r.URL.Query().Get("analytics") == "yes"
		r = r.WithContext(context.WithValue(r.Context(), visitorKey{}, allow))
		middleware.Serve(w, r, app, policy{})
	})
	for _, target := range []string{"/?analytics=yes", "/"} {
		rec := httptest.NewRecorder()
		consentMiddleware.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		fmt.Println(target, rec.Result().StatusCode, rec.Result().Header["Set-Cookie"])
	}
	// Output:
	// event: superfluous-writeheader 200
	// /?analytics=yes 201 [_ga=GA1.1.42]
	// event: superfluous-writeheader 200
	// / 201 []
}

// ModifyResponse applies the same hooks to proxied responses, including
// upgrade (101) responses that no ResponseWriter sees.
func ExampleModifyResponse() {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "_ga=GA1.1.42")
		w.Header().Add("Set-Cookie", "lang=en")
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<p>proxied</p>")
	}))
	defer backend.Close()
	u, _ := url.Parse(backend.URL)

	hooks := &middleware.HookFuncs{
		KeepCookieFunc: func(r *http.Request, line string) bool { return !strings.HasPrefix(line, "_ga=") },
		CommitFunc: func(r *http.Request, status int, h http.Header) middleware.Body {
			return middleware.Body{Transformer: runes.Map(unicode.ToUpper), Variant: "up"}
		},
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.ModifyResponse = middleware.ModifyResponse(hooks)
	front := httptest.NewServer(proxy)
	defer front.Close()

	res, err := http.Get(front.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	fmt.Println(res.Header["Set-Cookie"], string(body))
	// Output:
	// [lang=en] <P>PROXIED</P>
}
