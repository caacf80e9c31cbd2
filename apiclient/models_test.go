package apiclient_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/model/modeltest"
)

// TestModelsClient drives the registry through the Go SDK: a second
// operator approves and activates what the first added, a lender is refused
// with the API's code, and the record comes back with its history.
func TestModelsClient(t *testing.T) {
	ctx := context.Background()
	s := apitest.Start(t, nil)
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Store.CreateClient(ctx, opencredit.Client{ID: "ops-2", Role: opencredit.RoleOperator, CreatedAt: time.Now().Add(-time.Hour)}, hash); err != nil {
		t.Fatal(err)
	}
	m, err := modeltest.Scorecard(500, modeltest.Step("x", "capacity", "X", []float64{1}, []int{0, 50}, 0))
	if err != nil {
		t.Fatal(err)
	}
	v, err := lifecycle.Add(ctx, s.Store, m, "", apitest.Operator, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ops := apiclient.New(s.URL, key)
	if _, err := apiclient.New(s.URL, s.Keys[apitest.Lender]).Models(ctx); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Errorf("a lender listing models: %v, want forbidden", err)
	}
	if _, err := apiclient.New(s.URL, s.Keys[apitest.Operator]).ApproveModel(ctx, v.ID, "mine", ""); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Errorf("the author approving: %v, want forbidden", err)
	}
	if st, err := ops.ApproveModel(ctx, v.ID, "validated", ""); err != nil || st.State != opencredit.ModelApproved {
		t.Fatalf("approve: %+v, %v", st, err)
	}
	if st, err := ops.ActivateModel(ctx, v.ID, "go"); err != nil || st.State != opencredit.ModelActive {
		t.Fatalf("activate: %+v, %v", st, err)
	}
	if _, err := ops.RollbackModel(ctx, ""); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Errorf("rollback with nothing before: %v, want not found", err)
	}
	if _, err := ops.RetireModel(ctx, v.ID, ""); opencredit.ErrorCode(err) != opencredit.ECONFLICT {
		t.Errorf("retiring the active model: %v, want conflict", err)
	}
	rec, err := ops.ModelVersion(ctx, v.ID)
	if err != nil || rec.Model.State != opencredit.ModelActive || len(rec.Transitions) != 2 || rec.Transitions[0].By != "ops-2" {
		t.Fatalf("record %+v, %v", rec, err)
	}
	list, err := ops.Models(ctx)
	if err != nil || len(list.Models) != 1 {
		t.Fatalf("list %+v, %v", list, err)
	}
}

// TestAddModelClient adds an artifact through the Go SDK: a draft
// authored by the calling operator, a conflict for the same artifact, and
// the API's invalid code, naming what is wrong, for a broken one.
func TestAddModelClient(t *testing.T) {
	ctx := context.Background()
	s := apitest.Start(t, nil)
	m, err := modeltest.Scorecard(500, modeltest.Step(features.HardInquiries12m, "new_credit", "NC01", []float64{1}, []int{60, 0}, 60))
	if err != nil {
		t.Fatal(err)
	}
	var art bytes.Buffer
	if err := m.Save(&art); err != nil {
		t.Fatal(err)
	}
	ops := apiclient.New(s.URL, s.Keys[apitest.Operator])
	rec, err := ops.AddModel(ctx, art.Bytes(), "via the SDK")
	if err != nil || rec.Model.State != opencredit.ModelDraft || rec.Model.Author != apitest.Operator || rec.Model.Name != "via the SDK" {
		t.Fatalf("add: %+v, %v", rec, err)
	}
	if _, err := ops.AddModel(ctx, art.Bytes(), ""); opencredit.ErrorCode(err) != opencredit.ECONFLICT {
		t.Errorf("the same artifact again: %v, want conflict", err)
	}
	if _, err := ops.AddModel(ctx, []byte(`{"schema_version":1,"kind":"nope"}`), ""); opencredit.ErrorCode(err) != opencredit.EINVALID || !strings.Contains(err.Error(), "model:") {
		t.Errorf("a broken artifact: %v, want invalid naming the model", err)
	}
	if _, err := apiclient.New(s.URL, s.Keys[apitest.Lender]).AddModel(ctx, art.Bytes(), ""); opencredit.ErrorCode(err) != opencredit.EFORBIDDEN {
		t.Errorf("a lender adding: %v, want forbidden", err)
	}
}
