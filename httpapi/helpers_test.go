package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/sqlite"
)

// The fixture is apitest's, shared with the client package's tests.
const (
	own        = apitest.Own
	other      = apitest.Other
	furnisher  = apitest.Furnisher
	lender     = apitest.Lender
	operator   = apitest.Operator
	selfClient = apitest.Self
)

// fixture is a server over a real SQLite store and audit log, with one
// client of each role (apitest.Start).
type fixture struct {
	t     *testing.T
	url   string
	store *sqlite.DB
	audit *audit.Log
	keys  map[string]string // client id → API key
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith is newFixture with Deps adjusted by configure, if not nil.
func newFixtureWith(t *testing.T, configure func(*httpapi.Deps)) *fixture {
	t.Helper()
	s := apitest.Start(t, configure)
	return &fixture{t: t, url: s.URL, store: s.Store, audit: s.Audit, keys: s.Keys}
}

// inquiry returns a hard-inquiry event in the CloudEvents JSON format; an
// empty id draws a fresh one.
func inquiry(source, subject, id string) []byte { return apitest.InquiryJSON(source, subject, id) }

// response is a decoded reply.
type response struct {
	status int
	body   map[string]any
	raw    string
}

// do sends a request as the client holding key ("" for none).
func (f *fixture) do(method, path, key string, body []byte) response {
	f.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, f.url+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	out := response{status: resp.StatusCode, raw: string(b)}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		f.t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	if err := json.Unmarshal(b, &out.body); err != nil {
		f.t.Fatalf("%s %s: body is not a JSON object: %v: %s", method, path, err, b)
	}
	// Every JSON response of the suite must match the OpenAPI document
	// (issue 4). Metrics (text) and the document itself (YAML) are read
	// without do and so are exempt.
	doc, err := openAPIDoc()
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range validateResponse(doc, method, path, resp.StatusCode, b) {
		f.t.Errorf("%s %s: %d does not match openapi.yaml: %s\n%s", method, path, resp.StatusCode, e, b)
	}
	return out
}

// errorCode returns the code of an error reply, "" if it has none.
func (r response) errorCode() string {
	e, _ := r.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (r response) errorMessage() string {
	e, _ := r.body["error"].(map[string]any)
	msg, _ := e["message"].(string)
	return msg
}
