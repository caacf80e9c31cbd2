package httpapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestStrictRuleEveryRoute: every operation the document gives a JSON
// request body, across malformed bodies — no Content-Type, text/plain, a
// key given twice at the top, an unknown field, data after the value, an
// empty body, broken JSON — answers the one input rule's status and code
// and writes nothing to the audit log. The routes come from openapi.yaml,
// so a route added there is covered without editing this test, and a route
// the test cannot call fails it rather than being skipped.
func TestStrictRuleEveryRoute(t *testing.T) {
	doc, err := openAPIDoc()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	// Who may call each route, by its first segments, and what its path
	// parameters are filled with; the body is refused before either is
	// looked up.
	caller := func(path string) string {
		switch {
		case path == "/v1/events" || strings.HasPrefix(path, "/v1/disputes/"):
			return furnisher
		case path == "/v1/decisions":
			return lender
		case strings.HasPrefix(path, "/v1/subjects/{id}/"):
			return selfClient
		default:
			return operator
		}
	}
	fill := strings.NewReplacer("{id}", own, "{model}", "scorecard-x", "{dispute}", "1", "{review}", "1", "{index}", "0")
	var routes []string
	paths, _ := doc["paths"].(map[string]any)
	for tmpl, item := range paths {
		ops, _ := item.(map[string]any)
		for _, method := range []string{"post", "put", "patch"} {
			op, _ := ops[method].(map[string]any)
			body, _ := op["requestBody"].(map[string]any)
			content, _ := body["content"].(map[string]any)
			if _, ok := content["application/json"]; ok {
				routes = append(routes, strings.ToUpper(method)+" "+tmpl)
			}
		}
	}
	slices.Sort(routes)
	if len(routes) < 8 {
		t.Fatalf("only %d routes with JSON bodies in the document: %v", len(routes), routes)
	}
	bodies := []struct {
		name, contentType, body string
		status                  int
		code, message           string
	}{
		{"no content type", "", `{}`, http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type is required"},
		{"text/plain", "text/plain", `{}`, http.StatusUnsupportedMediaType, "unsupported_media_type", "text/plain is not accepted"},
		{"a key twice", "application/json", `{"zz":1,"zz":2}`, http.StatusBadRequest, "invalid", "repeats the key $.zz"},
		{"unknown field", "application/json", `{"zz_unknown":1}`, http.StatusBadRequest, "invalid", `unknown field "zz_unknown"`},
		{"trailing data", "application/json", `{} {}`, http.StatusBadRequest, "invalid", "after its JSON value"},
		{"empty", "application/json", ` `, http.StatusBadRequest, "invalid", "the body is empty"},
		{"broken", "application/json", `{"a":`, http.StatusBadRequest, "invalid", "not valid JSON"},
	}
	for _, route := range routes {
		method, tmpl, _ := strings.Cut(route, " ")
		for _, b := range bodies {
			before := f.audit.Size()
			req, err := http.NewRequest(method, f.url+fill.Replace(tmpl), strings.NewReader(b.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+f.keys[caller(tmpl)])
			if b.contentType != "" {
				req.Header.Set("Content-Type", b.contentType)
			}
			r := send(t, req)
			if r.status != b.status || r.errorCode() != b.code || !strings.Contains(r.errorMessage(), b.message) {
				t.Errorf("%s, %s: %d %.200s; want %d %s with %q", route, b.name, r.status, r.raw, b.status, b.code, b.message)
			}
			if n := f.audit.Size() - before; n != 0 {
				t.Errorf("%s, %s: %d audit records for a refused body", route, b.name, n)
			}
		}
	}
	t.Logf("%d routes × %d malformed bodies: %v", len(routes), len(bodies), routes)
}
