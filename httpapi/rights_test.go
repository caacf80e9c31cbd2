package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestRightsRoutesMatchTheDocument sends every rights route its answers,
// good and bad, through the fixture's do, which checks each JSON answer
// against openapi.yaml; and checks each answer's status and code.
func TestRightsRoutesMatchTheDocument(t *testing.T) {
	f := newFixture(t)
	base := "/v1/subjects/" + own
	steps := []struct {
		method, path, key, body string
		status                  int
		code                    string
	}{
		{"POST", "/v1/subjects", operator, `{"id":"carol","name":"Carol","issue_key":true}`, http.StatusCreated, ""},
		{"POST", "/v1/subjects", operator, `{"id":"carol"}`, http.StatusConflict, "conflict"},
		{"POST", "/v1/subjects", operator, `{"id":"dave","date_of_birth":"1990-13-01"}`, http.StatusBadRequest, "invalid"},
		{"POST", "/v1/subjects", lender, `{"id":"erin"}`, http.StatusForbidden, "forbidden"},
		{"GET", base + "/consents", selfClient, "", http.StatusOK, ""},
		{"GET", "/v1/subjects/" + other + "/consents", selfClient, "", http.StatusForbidden, "forbidden"},
		{"POST", base + "/consents", selfClient, `{"counterparty":"` + furnisher + `","purpose":"credit_application"}`, http.StatusBadRequest, "invalid"},
		{"POST", base + "/consents/withdraw", selfClient, `{"counterparty":"` + lender + `","purpose":"account_review"}`, http.StatusOK, ""},
		{"POST", base + "/consents/withdraw", selfClient, `{"counterparty":"` + lender + `","purpose":"account_review"}`, http.StatusNotFound, "not_found"},
		{"POST", base + "/consents", selfClient, `{"counterparty":"` + lender + `","purpose":"account_review"}`, http.StatusCreated, ""},
		{"POST", base + "/consents", selfClient, `{"counterparty":"","purpose":""}`, http.StatusBadRequest, "invalid"},
		{"POST", base + "/freeze", selfClient, "", http.StatusOK, ""},
		{"POST", base + "/freeze", selfClient, "", http.StatusConflict, "conflict"},
		{"GET", base + "/score?purpose=credit_application", lender, "", http.StatusForbidden, "frozen"},
		{"POST", base + "/unfreeze", operator, "", http.StatusOK, ""},
		{"POST", base + "/unfreeze", operator, "", http.StatusConflict, "conflict"},
		{"GET", base + "/accesses?limit=2", selfClient, "", http.StatusOK, ""},
		{"GET", base + "/accesses?limit=0", selfClient, "", http.StatusBadRequest, "invalid"},
		{"GET", base + "/accesses", furnisher, "", http.StatusForbidden, "forbidden"},
		{"GET", base + "/export", selfClient, "", http.StatusOK, ""},
		{"GET", base + "/export", operator, "", http.StatusOK, ""},
		{"GET", "/v1/subjects/nobody/export", operator, "", http.StatusNotFound, "not_found"},
		{"DELETE", "/v1/subjects/" + other, selfClient, "", http.StatusForbidden, "forbidden"},
		{"DELETE", base, selfClient, "", http.StatusOK, ""},
		{"DELETE", base, selfClient, "", http.StatusNotFound, "not_found"},
	}
	for _, s := range steps {
		var body []byte
		if s.body != "" {
			body = []byte(s.body)
		}
		r := f.do(s.method, s.path, f.keys[s.key], body)
		if r.status != s.status || r.errorCode() != s.code {
			t.Errorf("%s %s as %s: %d %s, want %d %q", s.method, s.path, s.key, r.status, r.raw, s.status, s.code)
		}
	}
}

// TestWrongRoleOnAFileIsRecorded: a client whose role may not call a route
// naming a person's file is refused, and the refusal is recorded under the
// person's id with the route, so the person's access history shows it.
func TestWrongRoleOnAFileIsRecorded(t *testing.T) {
	f := newFixture(t)
	before := f.audit.Size()
	if r := f.do("GET", "/v1/subjects/"+own+"/accesses", f.keys[lender], nil); r.status != http.StatusForbidden {
		t.Fatalf("a lender reading the access history: %d %s", r.status, r.raw)
	}
	if r := f.do("GET", "/v1/model", f.keys[lender], nil); r.status != http.StatusForbidden {
		t.Fatalf("a lender reading the model: %d %s", r.status, r.raw)
	}
	if got := f.audit.Size() - before; got != 1 {
		t.Fatalf("%d records, want 1: the refusal on the person's file (the model names no one)", got)
	}
	b, err := f.audit.Record(context.Background(), before)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"client":"` + lender + `"`, `"subject":"` + own + `"`, `"action":"GET /v1/subjects/{id}/accesses"`, `"error":"forbidden"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("record %s lacks %s", b, want)
		}
	}
}
