module github.com/crumbhq/crumb/examples/load

go 1.26.0

require github.com/crumbhq/crumb v0.0.0

require (
	github.com/gorilla/securecookie v1.1.2 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace github.com/crumbhq/crumb => ../..
