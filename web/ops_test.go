package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/scoring"
)

// TestOperatorInfoPages: the model registry with each model's card, the
// audit log (its verification status, pages and search), the programs;
// each read recorded under the operator; none reachable from a subject
// session.
func TestOperatorInfoPages(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	mv, err := lifecycle.Add(ctx, f.store, pageModel(t), "Page model <i>", opsID, nil, f.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	self := f.browser()
	self.signIn(f.keys[selfID])
	self.get("/data") // a record about the person, to search for
	for _, path := range []string{"/ops/models", "/ops/models/" + mv.ID + "/card", "/ops/audit", "/ops/programs"} {
		if r := self.get(path); r.status != http.StatusForbidden {
			t.Errorf("a subject session at %s: %d", path, r.status)
		}
	}

	ops := f.browser()
	ops.signInTo(f.keys[opsID], "/ops/disputes")
	// HEAD reads nothing: each GET here is an audited read.
	size0 := f.audit.Size()
	for _, path := range []string{"/ops/disputes", "/ops/models/" + mv.ID + "/card", "/ops/audit", "/ops/programs", "/disputes"} {
		if r := ops.do("HEAD", path, nil); r.status != http.StatusMethodNotAllowed {
			t.Errorf("HEAD %s: %d", path, r.status)
		}
	}
	if n := f.audit.Size(); n != size0 {
		t.Errorf("HEAD requests left %d audit records", n-size0)
	}
	before := f.audit.Size()
	models := ops.get("/ops/models")
	mustContain(t, "the models page", models.body, mv.ID, "Draft", "Page model <i>"[:10], `href="/ops/models/`+mv.ID+`/card"`)
	if strings.Contains(models.body, "<i>") {
		t.Error("a model's name is written unescaped")
	}
	card := ops.get("/ops/models/" + mv.ID + "/card")
	if card.status != http.StatusOK || !strings.Contains(card.body, "Model card: "+mv.ID) {
		t.Fatalf("the card: %d %.300s", card.status, card.body)
	}
	if csp := card.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script") {
		t.Errorf("the card's CSP: %s", csp)
	}
	if r := ops.get("/ops/models/nope/card"); r.status != http.StatusNotFound {
		t.Errorf("an unknown model's card: %d", r.status)
	}
	recs := f.records(before)
	if len(recs) != 2 || recs[0].Action != "models_read" || recs[1].Action != "models_read" || recs[1].Result.Model != mv.ID || recs[0].Client != opsID {
		t.Errorf("records of the model pages: %+v", recs)
	}

	programs := ops.get("/ops/programs")
	mustContain(t, "the programs", programs.body, "Card A", "Minimum score", "600", "credit application")

	if _, err := f.audit.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	size := f.audit.Size()
	page := ops.get("/ops/audit")
	mustContain(t, "the audit page", page.body, "<dt>Records</dt><dd>"+strconv.FormatInt(size, 10)+"</dd>",
		"opencredit audit verify --checkpoint FILE", "This server publishes to no witness.", "subject_data", selfID+" (subject)", "programs_read")
	// The search by subject lists only its records; by client only its.
	bySubject := ops.get("/ops/audit?subject=" + person)
	if !strings.Contains(bySubject.body, "subject_data") || strings.Contains(bySubject.body, "programs_read") {
		t.Error("the search by subject lists records of no subject")
	}
	byClient := ops.get("/ops/audit?client=" + opsID)
	if strings.Contains(byClient.body, selfID+" (subject)") || !strings.Contains(byClient.body, "programs_read") {
		t.Error("the search by client lists another client's records")
	}
	if r := ops.get("/ops/audit?before=x"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Parameter before") {
		t.Errorf("a bad page: %d", r.status)
	}
	// Paging: below index 1 only record 0 is left, and no older page.
	older := ops.get("/ops/audit?before=1")
	if !strings.Contains(older.body, `<td class="num">0</td>`) || strings.Contains(older.body, `<td class="num">1</td>`) || strings.Contains(older.body, "Older records") {
		t.Error("the page before index 1")
	}
	last := f.records(size)
	for _, r := range last {
		if r.Client != opsID || r.Purpose != scoring.PurposeOperations {
			t.Errorf("an operator's read recorded as %+v", r)
		}
	}
	if len(last) < 4 || last[0].Action != "audit_read" {
		t.Errorf("records of the audit pages: %+v", last)
	}
}
