// Package rewrite is crumb's streaming HTML rewriter.
//
// [Rewriter] is a hand-written, push-based HTML scanner implementing
// golang.org/x/text/transform.Transformer. It follows the tokenizer states
// that decide where tags start and end (raw text, RCDATA, comments, the
// script escaped states), passes text through at once, and holds back only an
// unfinished tag or an inline script being classified, each under a hard cap.
// For every script, frame, beacon, resource hint and ping attribute it asks
// the [Policy] whether the category is allowed and makes refused ones inert in
// a form the banner's script can re-activate; see Rewriter for the exact
// markup. It also offers insertion points at the start of <head>, before
// </head>, at the start of <body> and before </body>, reusing the page's CSP
// nonce.
//
// Wired together:
//
//	h := middleware.Wrap(app, hooks) // hooks implements middleware.Hooks
//
// where hooks.Commit returns middleware.Body{Transformer: rewrite.New(opts)}
// for HTML responses.
package rewrite
