package httpapi_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model/modeltest"
)

// TestModelRegistryRoutes: operators list and read the registry; the
// author's own approval is refused (four-eyes), the fairness gate refuses
// without an override and records one; activation and rollback answer the
// new state; other roles are refused; every call is audited.
func TestModelRegistryRoutes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	second := apitest.Clients(t, f.store, time.Now().Add(-time.Hour), opencredit.Client{ID: "ops-2", Role: opencredit.RoleOperator})["ops-2"]
	var ids []string
	for _, base := range []int{500, 520} {
		m, err := modeltest.Scorecard(base, modeltest.Step("x", "capacity", "X", []float64{1}, []int{0, 50}, 0))
		if err != nil {
			t.Fatal(err)
		}
		v, err := lifecycle.Add(ctx, f.store, m, "", operator, []opencredit.FairnessCheck{{Attribute: "age", Group: "young", Cutoff: 600, Rows: 90, AIR: 0.7}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	a, b := ids[0], ids[1]
	if r := f.do("GET", "/v1/models", f.keys[lender], nil); r.status != http.StatusForbidden {
		t.Errorf("a lender listing models: %d %s", r.status, r.raw)
	}
	// A lender's refusal on a model route names no person's file.
	before := f.audit.Size()
	if r := f.do("POST", "/v1/models/"+a+"/approve", f.keys[lender], []byte(`{"justification":"x"}`)); r.status != http.StatusForbidden {
		t.Errorf("a lender approving: %d %s", r.status, r.raw)
	}
	if n := f.audit.Size() - before; n != 0 {
		t.Errorf("a lender's refusal on a model route left %d audit records, as if the model id were a person", n)
	}
	r := f.do("GET", "/v1/models", f.keys[operator], nil)
	if ms, _ := r.body["models"].([]any); r.status != http.StatusOK || len(ms) != 2 {
		t.Fatalf("list: %d %s", r.status, r.raw)
	}
	approve := []byte(`{"justification":"validated"}`)
	if r := f.do("POST", "/v1/models/"+a+"/approve", f.keys[operator], approve); r.status != http.StatusForbidden || r.errorCode() != "forbidden" {
		t.Errorf("the author approving: %d %s, want 403 (four-eyes)", r.status, r.raw)
	}
	if r := f.do("POST", "/v1/models/"+a+"/approve", second, approve); r.status != http.StatusForbidden || r.errorCode() != "refused" {
		t.Errorf("past the fairness gate: %d %s, want 403 refused", r.status, r.raw)
	}
	if r := f.do("POST", "/v1/models/"+a+"/approve", second, []byte(`{}`)); r.status != http.StatusBadRequest {
		t.Errorf("no justification: %d %s, want 400", r.status, r.raw)
	}
	override := []byte(`{"justification":"validated","override_fairness":"young applicants get capped limits"}`)
	for _, id := range ids {
		if r := f.do("POST", "/v1/models/"+id+"/approve", second, override); r.status != http.StatusOK || r.body["state"] != "approved" {
			t.Fatalf("approve %s: %d %s", id, r.status, r.raw)
		}
	}
	for _, id := range ids {
		if r := f.do("POST", "/v1/models/"+id+"/activate", second, []byte(`{"note":"go"}`)); r.status != http.StatusOK || r.body["state"] != "active" {
			t.Fatalf("activate %s: %d %s", id, r.status, r.raw)
		}
	}
	if r := f.do("POST", "/v1/models/"+b+"/retire", second, []byte(`{}`)); r.status != http.StatusConflict {
		t.Errorf("retiring the active model: %d %s, want 409", r.status, r.raw)
	}
	if r := f.do("POST", "/v1/models/rollback", f.keys[operator], []byte(`{}`)); r.status != http.StatusOK || r.body["model"] != a || r.body["state"] != "active" {
		t.Errorf("rollback: %d %s, want %s active", r.status, r.raw, a)
	}
	r = f.do("GET", "/v1/models/"+a, f.keys[operator], nil)
	ts, _ := r.body["transitions"].([]any)
	if r.status != http.StatusOK || len(ts) != 4 {
		t.Fatalf("a's record: %d %s, want 4 transitions", r.status, r.raw)
	}
	if o := ts[0].(map[string]any)["override"]; o != "young applicants get capped limits" {
		t.Errorf("the approval's override: %v", o)
	}
	if r := f.do("GET", "/v1/models/scorecard-none", f.keys[operator], nil); r.status != http.StatusNotFound {
		t.Errorf("an unknown model: %d %s", r.status, r.raw)
	}
	// Every approval attempt that reached the rules is in the audit log,
	// the two refused with their codes; the body refused at decoding is not.
	var approvals []string
	for n := range f.audit.Size() {
		b, err := f.audit.Record(ctx, n)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := audit.ParseRecord(b)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Action == "model_approve" {
			approvals = append(approvals, rec.Client+":"+rec.Result.Error)
		}
	}
	want := []string{operator + ":forbidden", "ops-2:refused", "ops-2:", "ops-2:"}
	if !slices.Equal(approvals, want) {
		t.Errorf("approvals audited %v, want %v", approvals, want)
	}
}
