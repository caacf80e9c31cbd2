package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
)

// TestOperatorReadsModelAndAudit: a score names the model version the
// operator sees at GET /v1/model, the audit records show that score with
// that version, every operator read is itself audited, and the checkpoint
// the operator takes verifies against the log.
func TestOperatorReadsModelAndAudit(t *testing.T) {
	f := newFixture(t)
	sc := f.do("GET", "/v1/subjects/"+own+"/score?purpose=rental_deposit_waiver", f.keys[lender], nil)
	if sc.status != http.StatusOK {
		t.Fatalf("score: %d %s", sc.status, sc.raw)
	}
	m := f.do("GET", "/v1/model", f.keys[operator], nil)
	id, _ := m.body["id"].(string)
	if m.status != http.StatusOK || !strings.HasPrefix(id, "scorecard-") || sc.body["model_id"] != id {
		t.Fatalf("model %d id %q, score's model_id %v", m.status, id, sc.body["model_id"])
	}
	if feats, _ := m.body["model"].(map[string]any)["features"].([]any); len(feats) != 2 {
		t.Errorf("the model's artifact has %d features, want the fixture's 2", len(feats))
	}

	r := f.do("GET", "/v1/audit/records", f.keys[operator], nil)
	recs, _ := r.body["records"].([]any)
	if r.status != http.StatusOK || len(recs) != 2 || r.body["size"] != 2.0 {
		t.Fatalf("records: %d, want the score and the model read: %s", r.status, r.raw)
	}
	first := recs[0].(map[string]any)
	rec := first["record"].(map[string]any)
	res := rec["result"].(map[string]any)
	if first["index"] != 0.0 || rec["action"] != audit.ActionScore || rec["subject"] != own || rec["client"] != lender ||
		res["model"] != id || res["score"] != sc.body["score"] {
		t.Errorf("record 0 = %v, want the lender's score of %s with model %s", first, own, id)
	}
	if a := recs[1].(map[string]any)["record"].(map[string]any)["action"]; a != "model_read" {
		t.Errorf("record 1 action %v, want model_read", a)
	}
	// The records read is logged after it is read.
	r = f.do("GET", "/v1/audit/records?from=2&limit=1", f.keys[operator], nil)
	recs, _ = r.body["records"].([]any)
	if len(recs) != 1 || recs[0].(map[string]any)["record"].(map[string]any)["action"] != "audit_read" {
		t.Errorf("from=2: %s, want the first records read", r.raw)
	}
	for _, q := range []string{"from=-1", "from=x", "limit=0", "limit=1001"} {
		if r := f.do("GET", "/v1/audit/records?"+q, f.keys[operator], nil); r.status != http.StatusBadRequest || !strings.Contains(r.errorMessage(), strings.Split(q, "=")[0]) {
			t.Errorf("%s: %d %s, want 400 naming the parameter", q, r.status, r.raw)
		}
	}

	cp := f.do("GET", "/v1/audit/checkpoint", f.keys[operator], nil)
	signed, _ := cp.body["checkpoint"].(string)
	_, v := audittest.Keys(t)
	tree, err := audit.OpenCheckpoint(v, []byte(signed))
	if err != nil {
		t.Fatalf("checkpoint %q: %v", signed, err)
	}
	if float64(tree.N) != cp.body["size"] || tree.N < 4 {
		t.Errorf("checkpoint covers %d records, response says %v", tree.N, cp.body["size"])
	}

	p := f.do("GET", "/v1/programs", f.keys[operator], nil)
	if progs, _ := p.body["programs"].([]any); len(progs) != 3 {
		t.Errorf("programs: %s, want the fixture's three", p.raw)
	}
}

// TestDeclineNoticePrintable: a browser asking for a decision that
// declines gets the adverse-action notice as a printable page; an API
// client gets JSON, and so does a browser for an approval.
func TestDeclineNoticePrintable(t *testing.T) {
	f := newFixture(t)
	post := func(program, accept string) (*http.Response, string) {
		body := []byte(`{"subject":"` + own + `","program":"` + program + `"}`)
		req, _ := http.NewRequest("POST", f.url+"/v1/decisions", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+f.keys[lender])
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	resp, page := post("bike", browser)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("declined, browser: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"<!DOCTYPE html>", "Deposit-free bike rental", own, furnisher} {
		if !strings.Contains(page, want) {
			t.Errorf("the printable notice lacks %q", want)
		}
	}
	for _, c := range []struct{ program, accept string }{{"bike", "application/json"}, {"bike", "*/*"}, {"loan", browser}} {
		resp, body := post(c.program, c.accept)
		var v map[string]any
		if resp.Header.Get("Content-Type") != "application/json" || json.Unmarshal([]byte(body), &v) != nil || v["decision"] == nil {
			t.Errorf("%s with Accept %q: %s %s, want the JSON decision", c.program, c.accept, resp.Header.Get("Content-Type"), body)
		}
	}
}
