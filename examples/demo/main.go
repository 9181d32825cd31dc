// Command demo runs a small shop wrapped by crumb. It is a placeholder until
// the full demo lands: it serves one page so that the README's command works.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "localhost:8080", "address to listen on")
	flag.Parse()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><title>crumb demo</title><h1>crumb demo</h1>")
	})
	fmt.Printf("crumb demo listening on http://%s/\n", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}
