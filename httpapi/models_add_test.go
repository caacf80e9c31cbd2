package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
)

// servableModel is a one-feature scorecard over a feature the live
// features compute, so the service could serve it.
func servableModel(t testing.TB, base int) *model.Model {
	t.Helper()
	m, err := modeltest.Scorecard(base, modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1}, []int{60, 0}, 60))
	if err != nil {
		t.Fatal(err)
	}
	m.Training.SHA256 = strings.Repeat("ab", 32)
	return m
}

// addBody is POST /v1/models's body for m with name.
func addBody(t testing.TB, m *model.Model, name string) []byte {
	t.Helper()
	var art bytes.Buffer
	if err := m.Save(&art); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]any{"name": name, "model": json.RawMessage(art.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAddModelRoute: an operator adds an artifact, answered 201 with the
// draft it became, authored by the calling operator with the artifact's
// training fingerprint; the same artifact again is 409; bad artifacts are
// 400 naming what is wrong; other roles are refused; an added model goes
// through four-eyes approval like any other; each add is audited.
func TestAddModelRoute(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	second := apitest.Clients(t, f.store, time.Now().Add(-time.Hour), opencredit.Client{ID: "ops-2", Role: opencredit.RoleOperator})["ops-2"]
	m := servableModel(t, 500)
	id, err := model.ID(m)
	if err != nil {
		t.Fatal(err)
	}
	body := addBody(t, m, "2026 Q4 scorecard")
	if r := f.do("POST", "/v1/models", f.keys[lender], body); r.status != http.StatusForbidden {
		t.Errorf("a lender adding a model: %d %s", r.status, r.raw)
	}
	before := f.audit.Size()
	r := f.do("POST", "/v1/models", f.keys[operator], body)
	if r.status != http.StatusCreated {
		t.Fatalf("add: %d %s", r.status, r.raw)
	}
	v, _ := r.body["model"].(map[string]any)
	if v["id"] != id || v["state"] != opencredit.ModelDraft || v["author"] != operator || v["name"] != "2026 Q4 scorecard" || v["data_sha256"] != strings.Repeat("ab", 32) {
		t.Errorf("the version added: %s", r.raw)
	}
	if r := f.do("POST", "/v1/models", f.keys[operator], body); r.status != http.StatusConflict || r.errorCode() != "conflict" {
		t.Errorf("the same artifact again: %d %s, want 409", r.status, r.raw)
	}
	if got, want := f.actionsFrom(before), []string{operator + ":model_add", operator + ":model_add!conflict"}; !slices.Equal(got, want) {
		t.Errorf("audit records %v, want %v", got, want)
	}
	// The registry holds it as a draft; the author cannot approve it, another operator can.
	stored, _, err := f.store.ModelVersion(ctx, id)
	if err != nil || stored.State != opencredit.ModelDraft || stored.Author != operator {
		t.Fatalf("in the registry: %+v %v", stored, err)
	}
	approve := []byte(`{"justification":"validated on the 2026 holdout"}`)
	if r := f.do("POST", "/v1/models/"+id+"/approve", f.keys[operator], approve); r.status != http.StatusForbidden {
		t.Errorf("the API author approving: %d %s, want 403 (four-eyes)", r.status, r.raw)
	}
	if r := f.do("POST", "/v1/models/"+id+"/approve", second, approve); r.status != http.StatusOK {
		t.Errorf("another operator approving: %d %s", r.status, r.raw)
	}

	bad := servableModel(t, 510)
	var art bytes.Buffer
	if err := bad.Save(&art); err != nil {
		t.Fatal(err)
	}
	unservable, err := modeltest.Scorecard(500, modeltest.Step("shoe_size", "capacity", "X", []float64{40}, []int{0, 50}, 0))
	if err != nil {
		t.Fatal(err)
	}
	before = f.audit.Size()
	for _, c := range []struct {
		name, body, want string
	}{
		{"no model", `{"name":"x"}`, "model is required"},
		{"a model that is not an object", `{"model":[1,2]}`, "model is required"},
		{"no schema version", `{"model":{"kind":"scorecard"}}`, "no schema_version"},
		{"an unknown field in the artifact", `{"model":` + strings.Replace(art.String(), `"kind"`, `"zz_extra":1,"kind"`, 1) + `}`, `unknown field \"zz_extra\"`},
		{"a feature the service cannot compute", string(addBody(t, unservable, "")), "shoe_size"},
		{"a name with a control character", string(addBody(t, bad, "a\u0007b")), "name"},
		{"a name too long", string(addBody(t, bad, strings.Repeat("n", 201))), "name is longer than 200 bytes"},
	} {
		r := f.do("POST", "/v1/models", f.keys[operator], []byte(c.body))
		if r.status != http.StatusBadRequest || r.errorCode() != "invalid" || !strings.Contains(r.raw, c.want) {
			t.Errorf("%s: %d %s, want 400 naming %q", c.name, r.status, r.raw, c.want)
		}
	}
	if n := f.audit.Size() - before; n != 0 {
		t.Errorf("refused artifacts left %d audit records", n)
	}
	if _, _, err := f.store.ModelVersion(ctx, func() string { id, _ := model.ID(bad); return id }()); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Errorf("a refused artifact is in the registry: %v", err)
	}
	// Past the size limit: 413.
	huge := append([]byte(`{"model":{"schema_version":1,"pad":"`), bytes.Repeat([]byte("x"), httpapi.MaxModelBodyBytes)...)
	huge = append(huge, `"}}`...)
	if r := f.do("POST", "/v1/models", f.keys[operator], huge); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over %d bytes: %d %.200s", httpapi.MaxModelBodyBytes, r.status, r.raw)
	}
}
