package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestStrictBodies: every route that reads a body holds it to the one rule
// (Content-Type, repeated keys at any depth, unknown fields, trailing data,
// empty and broken JSON), each refusal names what and where, and nothing
// refused is recorded or stored.
func TestStrictBodies(t *testing.T) {
	f := newFixture(t)
	good := map[string]string{
		"/v1/events":    `{"events":[` + string(inquiry(furnisher, own, "")) + `]}`,
		"/v1/decisions": `{"subject":"` + own + `","program":"bike"}`,
	}
	keys := map[string]string{"/v1/events": furnisher, "/v1/decisions": lender,
		"/v1/subjects": operator, "/v1/subjects/" + own + "/consents": selfClient, "/v1/subjects/" + own + "/consents/withdraw": selfClient}
	cases := []struct {
		name, path, contentType, body string
		status                        int
		code, message                 string
	}{
		{"no content type", "/v1/decisions", "", good["/v1/decisions"], 415, "unsupported_media_type", "Content-Type is required"},
		{"text/plain", "/v1/decisions", "text/plain", good["/v1/decisions"], 415, "unsupported_media_type", "text/plain is not accepted"},
		{"latin-1", "/v1/events", "application/json; charset=iso-8859-1", good["/v1/events"], 415, "unsupported_media_type", "charset=iso-8859-1"},
		{"form", "/v1/events", "application/x-www-form-urlencoded", good["/v1/events"], 415, "unsupported_media_type", "not accepted"},
		{"subject twice", "/v1/decisions", "application/json", `{"subject":"` + other + `","program":"bike","subject":"` + own + `"}`, 400, "invalid", "repeats the key $.subject"},
		{"events twice", "/v1/events", "application/json", `{"events":[],"events":[` + string(inquiry(furnisher, own, "")) + `]}`, 400, "invalid", "repeats the key $.events"},
		{"nested twice", "/v1/events", "application/json", `{"events":[{"a":{"b":1,"b":2}}]}`, 400, "invalid", "repeats the key $.events[0].a.b"},
		{"unknown field", "/v1/decisions", "application/json", `{"subject":"` + own + `","program":"bike","limit":5}`, 400, "invalid", `unknown field "limit"`},
		{"trailing data", "/v1/decisions", "application/json", good["/v1/decisions"] + ` {}`, 400, "invalid", "after its JSON value"},
		{"empty", "/v1/events", "application/json", "  ", 400, "invalid", "the body is empty"},
		{"broken", "/v1/events", "application/json", `{"events":[`, 400, "invalid", "not valid JSON"},
		{"registration id twice", "/v1/subjects", "application/json", `{"id":"a","id":"b"}`, 400, "invalid", "repeats the key $.id"},
		{"registration as text", "/v1/subjects", "text/plain", `{"id":"a"}`, 415, "unsupported_media_type", "text/plain is not accepted"},
		{"grant unknown field", "/v1/subjects/" + own + "/consents", "application/json", `{"counterparty":"` + lender + `","purpose":"account_review","until":"x"}`, 400, "invalid", `unknown field "until"`},
		{"withdrawal purpose twice", "/v1/subjects/" + own + "/consents/withdraw", "application/json", `{"counterparty":"` + lender + `","purpose":"account_review","purpose":"x"}`, 400, "invalid", "repeats the key $.purpose"},
	}
	for _, c := range cases {
		before := f.audit.Size()
		req, err := http.NewRequest("POST", f.url+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+f.keys[keys[c.path]])
		if c.contentType != "" {
			req.Header.Set("Content-Type", c.contentType)
		}
		r := send(t, req)
		if r.status != c.status || r.errorCode() != c.code || !strings.Contains(r.errorMessage(), c.message) {
			t.Errorf("%s: %d %s, want %d %s with %q", c.name, r.status, r.raw, c.status, c.code, c.message)
		}
		if got := f.audit.Size() - before; got != 0 {
			t.Errorf("%s: %d audit records for a refused body", c.name, got)
		}
	}
	// The good bodies pass, with the charset parameter too.
	for path, body := range good {
		req, _ := http.NewRequest("POST", f.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.keys[keys[path]])
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		if r := send(t, req); r.status != http.StatusOK {
			t.Errorf("%s: %d %s", path, r.status, r.raw)
		}
	}
}

// TestHeadNeverWrites: HEAD of a score answers 405 and leaves no audit
// record and no inquiry; the health probe still answers HEAD.
func TestHeadNeverWrites(t *testing.T) {
	f := newFixture(t)
	evsBefore, err := f.store.Events(context.Background(), own)
	if err != nil {
		t.Fatal(err)
	}
	before := f.audit.Size()
	for _, path := range []string{
		"/v1/subjects/" + own + "/score?purpose=credit_application",
		"/v1/subjects/" + own + "/data",
		"/v1/audit/records",
	} {
		req, _ := http.NewRequest("HEAD", f.url+path, nil)
		req.Header.Set("Authorization", "Bearer "+f.keys[lender])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
			t.Errorf("HEAD %s: %d, Allow %q; want 405, Allow GET", path, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
	if got := f.audit.Size() - before; got != 0 {
		t.Errorf("HEAD wrote %d audit records", got)
	}
	evs, err := f.store.Events(context.Background(), own)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(evsBefore) {
		t.Errorf("HEAD left %d events, want none", len(evs)-len(evsBefore))
	}
	resp, err := http.Head(f.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD /healthz: %d", resp.StatusCode)
	}
}

// TestBearerSchemeCaseInsensitive: "bearer", "BEARER" and extra spaces
// authenticate like "Bearer" (RFC 9110 §11.1); another scheme does not.
func TestBearerSchemeCaseInsensitive(t *testing.T) {
	f := newFixture(t)
	path := f.url + "/v1/subjects/" + own + "/score?purpose=rental_deposit_waiver"
	for header, want := range map[string]int{
		"bearer " + f.keys[lender]:             http.StatusOK,
		"BEARER " + f.keys[lender]:             http.StatusOK,
		"Bearer  " + f.keys[lender]:            http.StatusOK,
		"Basic " + f.keys[lender]:              http.StatusUnauthorized,
		"Bearer" + f.keys[lender]:              http.StatusUnauthorized,
		"Bearer oc_" + strings.Repeat("A", 43): http.StatusUnauthorized,
	} {
		req, _ := http.NewRequest("GET", path, nil)
		req.Header.Set("Authorization", header)
		if r := send(t, req); r.status != want {
			t.Errorf("Authorization %.12q…: %d, want %d", header, r.status, want)
		}
	}
}

// send does req and decodes the JSON answer.
func send(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatal(err)
	}
	out := response{status: resp.StatusCode, raw: b.String()}
	if err := json.Unmarshal(b.Bytes(), &out.body); err != nil {
		t.Fatalf("%s %s: not JSON: %s", req.Method, req.URL.Path, b.String())
	}
	return out
}
