module github.com/crumbhq/crumb/examples/chi

go 1.26.0

require (
	github.com/crumbhq/crumb v0.0.0-00010101000000-000000000000
	github.com/go-chi/chi/v5 v5.5.0
	github.com/google/go-cmp v0.7.0
)

require (
	github.com/gorilla/securecookie v1.1.2 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace github.com/crumbhq/crumb => ../..
