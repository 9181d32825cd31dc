module github.com/crumbhq/crumb/examples/peers

go 1.26.0

replace github.com/crumbhq/crumb => ../..

require (
	github.com/crumbhq/crumb v0.0.0-00010101000000-000000000000
	github.com/google/go-cmp v0.7.0
	github.com/klauspost/compress v1.20.4
)

require (
	github.com/gorilla/securecookie v1.1.2 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)
