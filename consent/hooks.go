package consent

import (
	"context"
	"log/slog"
	"time"
)

// Hooks receive what the middleware did, or in report-only mode would have
// done. A nil hook logs the event to Config.Logger instead; set a hook to a
// function that does nothing to silence one. Hooks run on the request's
// goroutine while the response is being written: keep them quick.
type Hooks struct {
	// CookieBlocked reports a cookie action: a Set-Cookie line dropped or
	// clamped, a request cookie hidden from the application, a refused
	// cookie deleted, a long-lived necessary cookie. Default: logged at
	// Debug level.
	CookieBlocked func(context.Context, CookieEvent)

	// UnknownCookie reports, once per name and Manager, a Set-Cookie for a
	// cookie that no category declares and the catalog does not know.
	// Default: logged at Warn level with how to declare it.
	UnknownCookie func(context.Context, CookieEvent)

	// InvalidConsent reports a consent cookie that did not count: tampered,
	// expired, duplicated and so on. A missing cookie is reported only to
	// a hook the application set, never logged. Default: logged at Info
	// level (Debug for expiry, revision and policy changes, which are
	// routine).
	InvalidConsent func(context.Context, InvalidEvent)

	// NotEnforced reports a response whose body crumb could not inspect,
	// such as compressed HTML. Default: logged at Warn level.
	NotEnforced func(context.Context, NotEnforcedEvent)

	// Decision reports every decision recorded with Decide, as proof of
	// consent. Default: logged at Info level.
	Decision func(context.Context, Receipt)

	// HostBlocked reports, once per host and Manager, a third-party host
	// that the Content-Security-Policy blocked (or, report-only, would
	// have), from the browsers' violation reports, with the category that
	// claims it and how to declare it. Default: logged at Warn level.
	HostBlocked func(context.Context, HostEvent)

	// RecordDropped reports each consent Record that Config.Store will
	// never hold: the queue was full, or Close ran out of time (see
	// StoreOptions). It runs on the deciding request's goroutine or on
	// the queue's, with context.Background(). Default: logged at Error
	// level.
	RecordDropped func(context.Context, DroppedRecord)
}

// Action is what enforcement did to a cookie.
type Action uint8

// The actions.
const (
	ActionDropped    Action = iota + 1 // a Set-Cookie line removed from the response
	ActionClamped                      // a Set-Cookie lifetime shortened
	ActionStripped                     // a request cookie hidden from the application
	ActionDeleted                      // deletion lines sent for a request cookie
	ActionLongLived                    // a necessary cookie outlives MaxCookieLifetime; not changed
	ActionUndeclared                   // a Set-Cookie for a cookie nobody declared
)

func (a Action) String() string {
	switch a {
	case ActionDropped:
		return "dropped"
	case ActionClamped:
		return "clamped"
	case ActionStripped:
		return "stripped"
	case ActionDeleted:
		return "deleted"
	case ActionLongLived:
		return "long-lived"
	case ActionUndeclared:
		return "undeclared"
	}
	return "none"
}

// CookieEvent describes one cookie action.
type CookieEvent struct {
	Name       string        // cookie name as written
	Category   string        // the category it belongs to; "" when undeclared
	Action     Action        //
	ReportOnly bool          // the action was only reported, not taken
	Path       string        // the request path
	Lifetime   time.Duration // for ActionClamped and ActionLongLived: the declared lifetime
}

// InvalidEvent describes a consent cookie that did not count.
type InvalidEvent struct {
	Reason InvalidReason
	Path   string // the request path
}

// NotEnforcedEvent describes a response crumb passed through unchanged.
type NotEnforcedEvent struct {
	Reason string // e.g. "encoded body"
	Path   string
}

// Receipt is the proof of one decision. It holds no IP address, user agent
// or request cookie.
type Receipt struct {
	ID       string    // the consent ID, 32 hex digits
	Time     time.Time // UTC, second precision
	Revision uint32
	Choices  []CategoryChoice // the new stored choices, "necessary" first
	Previous []CategoryChoice // the stored choices before, nil for a first decision
	Method   Method
	GPC      bool   // Sec-GPC was present
	DNT      bool   // DNT: 1 was present
	Language string //
	Page     string // the request path, without query
	// BannerHash identifies the banner wording shown in Language (see
	// Manager.BannerHash); empty when the application decided without
	// the banner.
	BannerHash string
	// Renewal is set when the visitor decided again because their earlier
	// decision had expired, predates Config.Revision or was made under
	// another regime policy (ReasonPolicy).
	Renewal bool
	// Policy names the regime policy the decision was made under
	// ("strict" without Config.Policies).
	Policy string
	// GPCOverride lists the sale-or-share categories this decision grants
	// although GPC was on: the visitor's explicit choice, made after the
	// interface said the signal is honoured, which overrides the signal
	// (see the README's Regimes). Nil when there is no such conflict.
	// An opt-out request has Method MethodOptOut ("opt-out").
	GPCOverride []string
	// GPCApplied lists the sale-or-share categories that are off after
	// this decision because of the request's GPC signal alone (on by
	// default or stored as granted, refused by the signal): the record
	// that the signal was applied. Nil when it changed nothing.
	GPCApplied []string
}

// hooks is Hooks with the logging defaults filled in.
type hooks struct {
	Hooks
	userInvalid bool
}

func resolveHooks(h Hooks, log *slog.Logger) hooks {
	out := hooks{Hooks: h, userInvalid: h.InvalidConsent != nil}
	if out.CookieBlocked == nil {
		out.CookieBlocked = func(ctx context.Context, e CookieEvent) {
			if !log.Enabled(ctx, slog.LevelDebug) {
				return
			}
			log.LogAttrs(ctx, slog.LevelDebug, "crumb: cookie "+e.Action.String(),
				slog.String("cookie", e.Name), slog.String("category", e.Category),
				slog.Bool("report_only", e.ReportOnly), slog.String("path", e.Path))
		}
	}
	if out.UnknownCookie == nil {
		out.UnknownCookie = func(ctx context.Context, e CookieEvent) {
			log.LogAttrs(ctx, slog.LevelWarn,
				"crumb: undeclared cookie: it is allowed only when the visitor grants every category; "+
					"declare it in consent.Category.Cookies (under the \"necessary\" category if the site needs it to work)",
				slog.String("cookie", e.Name), slog.Bool("report_only", e.ReportOnly), slog.String("path", e.Path))
		}
	}
	if out.InvalidConsent == nil {
		out.InvalidConsent = func(ctx context.Context, e InvalidEvent) {
			lvl := slog.LevelInfo
			if e.Reason == ReasonExpired || e.Reason == ReasonRevision || e.Reason == ReasonPolicy {
				lvl = slog.LevelDebug
			}
			log.LogAttrs(ctx, lvl, "crumb: consent cookie ignored", slog.String("reason", e.Reason.String()),
				slog.String("path", e.Path))
		}
	}
	if out.NotEnforced == nil {
		out.NotEnforced = func(ctx context.Context, e NotEnforcedEvent) {
			log.LogAttrs(ctx, slog.LevelWarn, "crumb: response body not enforced", slog.String("reason", e.Reason),
				slog.String("path", e.Path))
		}
	}
	if out.HostBlocked == nil {
		out.HostBlocked = func(ctx context.Context, e HostEvent) {
			log.LogAttrs(ctx, slog.LevelWarn, "crumb: third-party host blocked by the content policy: "+e.Suggestion,
				slog.String("host", e.Host), slog.String("category", e.Category), slog.String("directive", e.Directive),
				slog.Bool("report_only", e.ReportOnly), slog.String("path", e.Path))
		}
	}
	if out.Decision == nil {
		out.Decision = func(ctx context.Context, r Receipt) {
			attrs := []slog.Attr{slog.String("id", r.ID), slog.Time("time", r.Time),
				slog.Uint64("revision", uint64(r.Revision)), slog.String("method", r.Method.String()),
				slog.Bool("gpc", r.GPC), slog.String("language", r.Language), slog.String("policy", r.Policy)}
			if len(r.GPCApplied) > 0 {
				attrs = append(attrs, slog.Any("gpc_applied", r.GPCApplied))
			}
			if len(r.GPCOverride) > 0 {
				attrs = append(attrs, slog.Any("gpc_override", r.GPCOverride))
			}
			if r.BannerHash != "" {
				attrs = append(attrs, slog.String("banner_hash", r.BannerHash))
			}
			for _, c := range r.Choices {
				attrs = append(attrs, slog.String(c.Category, c.Choice.String()))
			}
			log.LogAttrs(ctx, slog.LevelInfo, "crumb: consent decision", attrs...)
		}
	}
	if out.RecordDropped == nil {
		out.RecordDropped = logDropped(log)
	}
	return out
}

// invalid reports a consent cookie problem; a missing cookie only to a hook
// the application set.
func (h *hooks) invalid(ctx context.Context, reason InvalidReason, path string) {
	if reason == ReasonMissing && !h.userInvalid {
		return
	}
	h.InvalidConsent(ctx, InvalidEvent{Reason: reason, Path: path})
}

// HostEvent describes a third-party host the content policy blocked.
type HostEvent struct {
	Host       string // the blocked host, lower case
	Category   string // the category that claims it; "" when none does
	Directive  string // the policy directive the browser applied, such as "script-src-elem"
	Path       string // the page's path, without its query
	ReportOnly bool   // the policy was report-only: the host was not blocked
	Suggestion string // how to declare the host, in words
}
