package httpapi

import (
	_ "embed"
	"net/http"
)

// openAPIDocument is the OpenAPI 3.1 description of every route in
// routes.go. The test suite validates every response it produces against
// it, so a handler cannot drift from it unnoticed.
//
//go:embed openapi.yaml
var openAPIDocument []byte

// handleOpenAPI serves the OpenAPI document. It needs no key: the surface
// of the API is public, its data is not.
func handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(openAPIDocument)
	})
}
