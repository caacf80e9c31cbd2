package httpapi_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
)

// Clients the dispute tests add to the fixture: a second furnisher, and
// the subject client of Other.
const (
	furnisherB = "furn-b"
	otherSelf  = "self-other"
)

func (f *fixture) addClient(c opencredit.Client) {
	f.t.Helper()
	key, hash, err := opencredit.NewAPIKey()
	if err != nil {
		f.t.Fatal(err)
	}
	c.CreatedAt = time.Now().Add(-time.Hour)
	if err := f.store.CreateClient(context.Background(), c, hash); err != nil {
		f.t.Fatal(err)
	}
	f.keys[c.ID] = key
}

func newDisputeFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.addClient(opencredit.Client{ID: furnisherB, Name: "Furnisher B", Role: opencredit.RoleFurnisher})
	f.addClient(opencredit.Client{ID: otherSelf, Name: "Other subject", Role: opencredit.RoleSubject, Subject: other})
	return f
}

// actionsFrom lists "client:action" of the audit records from index from on.
func (f *fixture) actionsFrom(from int64) []string {
	f.t.Helper()
	var out []string
	for n := from; n < f.audit.Size(); n++ {
		b, err := f.audit.Record(context.Background(), n)
		if err != nil {
			f.t.Fatal(err)
		}
		r, err := audit.ParseRecord(b)
		if err != nil {
			f.t.Fatal(err)
		}
		if r.Result.Error != "" {
			out = append(out, r.Client+":"+r.Action+"!"+r.Result.Error)
			continue
		}
		out = append(out, r.Client+":"+r.Action)
	}
	return out
}

func field(m map[string]any, path ...string) any {
	var v any = m
	for _, p := range path {
		mm, _ := v.(map[string]any)
		v = mm[p]
	}
	return v
}

// TestDisputeFlow: the person disputes an event, sees it flagged; a score
// says it is affected; the furnisher finds it in its queue, another
// furnisher cannot resolve it (404, as an unknown dispute); the furnisher
// corrects it, and the corrected content replaces the old in the features,
// which equal a recomputation. Each step is audited.
func TestDisputeFlow(t *testing.T) {
	f := newDisputeFixture(t)
	ctx := context.Background()
	from := f.audit.Size()
	r := f.do("POST", "/v1/subjects/"+own+"/disputes", f.keys[selfClient],
		[]byte(`{"source":"`+furnisher+`","event_id":"inq-0","comment":"I never applied to them"}`))
	if r.status != http.StatusCreated || field(r.body, "dispute", "status") != "open" {
		t.Fatalf("opening a dispute: %d %s", r.status, r.raw)
	}
	id, _ := field(r.body, "dispute", "id").(string)
	if again := f.do("POST", "/v1/subjects/"+own+"/disputes", f.keys[selfClient],
		[]byte(`{"source":"`+furnisher+`","event_id":"inq-0","comment":"again"}`)); again.status != http.StatusConflict {
		t.Errorf("a second dispute of the event: %d %s", again.status, again.raw)
	}
	if bad := f.do("POST", "/v1/subjects/"+own+"/disputes", f.keys[selfClient],
		[]byte(`{"source":"`+furnisher+`","event_id":"inq-1","comment":"   "}`)); bad.status != http.StatusBadRequest || !strings.Contains(bad.errorMessage(), "comment") {
		t.Errorf("a dispute without a comment: %d %s", bad.status, bad.raw)
	}

	data := f.do("GET", "/v1/subjects/"+own+"/data", f.keys[selfClient], nil)
	for _, e := range data.body["events"].([]any) {
		ev := e.(map[string]any)
		if ev["disputed"] != (ev["id"] == "inq-0") {
			t.Errorf("event %v disputed = %v", ev["id"], ev["disputed"])
		}
	}
	sc := f.do("GET", "/v1/subjects/"+own+"/score?purpose=rental_deposit_waiver", f.keys[lender], nil)
	if sc.status != http.StatusOK || sc.body["open_disputes"] != 1.0 {
		t.Fatalf("a score affected by an open dispute: %d %s", sc.status, sc.raw)
	}

	q := f.do("GET", "/v1/disputes?status=open", f.keys[furnisher], nil)
	if ds, _ := q.body["disputes"].([]any); q.status != http.StatusOK || len(ds) != 1 {
		t.Fatalf("the furnisher's queue: %d %s", q.status, q.raw)
	}
	if q := f.do("GET", "/v1/disputes", f.keys[furnisherB], nil); len(q.body["disputes"].([]any)) != 0 {
		t.Errorf("another furnisher's queue holds %s", q.raw)
	}
	if q := f.do("GET", "/v1/disputes?status=pending", f.keys[operator], nil); q.status != http.StatusBadRequest {
		t.Errorf("a queue of an unknown status: %d %s", q.status, q.raw)
	}
	verify := []byte(`{"outcome":"verified"}`)
	otherB := f.do("POST", "/v1/disputes/"+id+"/resolve", f.keys[furnisherB], verify)
	unknown := f.do("POST", "/v1/disputes/dsp_0000/resolve", f.keys[furnisherB], verify)
	if otherB.status != http.StatusNotFound || unknown.status != http.StatusNotFound ||
		strings.Replace(otherB.errorMessage(), id, "X", 1) != strings.Replace(unknown.errorMessage(), "dsp_0000", "X", 1) {
		t.Errorf("another furnisher's dispute %d %q, an unknown one %d %q: want the same 404", otherB.status, otherB.raw, unknown.status, unknown.raw)
	}
	if bad := f.do("POST", "/v1/disputes/"+id+"/resolve", f.keys[furnisher], []byte(`{"outcome":"corrected"}`)); bad.status != http.StatusBadRequest {
		t.Errorf("a correction without content: %d %s", bad.status, bad.raw)
	}
	// The inquiry was a soft one: the correction changes its kind.
	fix := f.do("POST", "/v1/disputes/"+id+"/resolve", f.keys[furnisher],
		[]byte(`{"outcome":"corrected","note":"it was a soft inquiry","corrected":{"data":{"kind":"soft","purpose":"account_review"}}}`))
	if fix.status != http.StatusOK || field(fix.body, "dispute", "status") != "corrected" || field(fix.body, "dispute", "resolver") != furnisher {
		t.Fatalf("the correction: %d %s", fix.status, fix.raw)
	}
	if orig, _ := field(fix.body, "dispute", "original").(map[string]any); orig == nil || field(orig, "data", "kind") != "hard" {
		t.Errorf("the dispute does not keep the original event: %s", fix.raw)
	}
	evs, err := f.store.Events(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.ID == "inq-0" && (!strings.Contains(string(e.Data), `"soft"`) || e.Disputed) {
			t.Errorf("the corrected event: %s, disputed %v", e.Data, e.Disputed)
		}
	}
	now := time.Now()
	live, err := f.store.Features(ctx, own, now)
	if err != nil {
		t.Fatal(err)
	}
	re, err := f.store.RecomputeFeatures(ctx, own, now)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(live.Values, re.Values) || live.Values["hard_inquiries_12m"] != 1 {
		t.Errorf("after the correction: live %v, recomputed %v; want equal with one hard inquiry", live.Values, re.Values)
	}
	// One hard inquiry instead of two: still 40 points, 580, and no open dispute.
	if sc := f.do("GET", "/v1/subjects/"+own+"/score?purpose=rental_deposit_waiver", f.keys[lender], nil); sc.body["open_disputes"] != 0.0 {
		t.Errorf("after the correction: %s", sc.raw)
	}
	mine := f.do("GET", "/v1/subjects/"+own+"/disputes", f.keys[selfClient], nil)
	if ds, _ := mine.body["disputes"].([]any); len(ds) != 1 || ds[0].(map[string]any)["note"] != "it was a soft inquiry" {
		t.Errorf("the person's disputes: %s", mine.raw)
	}
	// A body refused before the use case (a blank comment, a correction
	// without content) names no file yet and leaves no record; the second
	// dispute of the event and the other furnisher's try are recorded
	// under Own with their codes.
	want := []string{
		selfClient + ":dispute_open", selfClient + ":dispute_open!conflict", selfClient + ":subject_data", lender + ":score",
		furnisher + ":disputes_read", furnisherB + ":disputes_read", furnisherB + ":dispute_verified!not_found",
		furnisher + ":dispute_corrected", lender + ":score", selfClient + ":disputes_read",
	}
	if got := f.actionsFrom(from); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit records\n%v\nwant\n%v", got, want)
	}
}

// TestReviewFlow: a declined decision carries its id; the person asks for a
// review of it, an operator resolves it, the person reads the outcome.
func TestReviewFlow(t *testing.T) {
	f := newDisputeFixture(t)
	dec := f.do("POST", "/v1/decisions", f.keys[lender], []byte(`{"subject":"`+own+`","program":"bike"}`))
	id, ok := dec.body["decision_id"].(float64)
	if dec.status != http.StatusOK || !ok || field(dec.body, "notice", "decision_id") != id {
		t.Fatalf("a decline without its decision id: %d %s", dec.status, dec.raw)
	}
	from := f.audit.Size()
	body := fmt.Appendf(nil, `{"decision_id":%d,"comment":"my income is not counted"}`, int64(id))
	if r := f.do("POST", "/v1/subjects/"+other+"/reviews", f.keys[otherSelf], body); r.status != http.StatusNotFound {
		t.Errorf("a review of another person's decision: %d %s", r.status, r.raw)
	}
	if r := f.do("POST", "/v1/subjects/"+own+"/reviews", f.keys[selfClient], []byte(`{"comment":"x"}`)); r.status != http.StatusBadRequest {
		t.Errorf("a review without a decision: %d %s", r.status, r.raw)
	}
	r := f.do("POST", "/v1/subjects/"+own+"/reviews", f.keys[selfClient], body)
	rid, _ := field(r.body, "review", "id").(string)
	if r.status != http.StatusCreated || field(r.body, "review", "outcome") != "declined" || field(r.body, "review", "lender") != lender {
		t.Fatalf("requesting a review: %d %s", r.status, r.raw)
	}
	q := f.do("GET", "/v1/reviews?status=requested", f.keys[operator], nil)
	if rs, _ := q.body["reviews"].([]any); len(rs) != 1 {
		t.Fatalf("the operators' queue: %s", q.raw)
	}
	if r := f.do("POST", "/v1/reviews/"+rid+"/resolve", f.keys[operator], []byte(`{"outcome":"upheld","note":""}`)); r.status != http.StatusBadRequest {
		t.Errorf("a resolution without a note: %d %s", r.status, r.raw)
	}
	done := f.do("POST", "/v1/reviews/"+rid+"/resolve", f.keys[operator], []byte(`{"outcome":"upheld","note":"the score is right: three recent applications"}`))
	if done.status != http.StatusOK || field(done.body, "review", "status") != "upheld" {
		t.Fatalf("resolving: %d %s", done.status, done.raw)
	}
	mine := f.do("GET", "/v1/subjects/"+own+"/reviews", f.keys[selfClient], nil)
	if rs, _ := mine.body["reviews"].([]any); len(rs) != 1 || rs[0].(map[string]any)["status"] != "upheld" {
		t.Errorf("the person's reviews: %s", mine.raw)
	}
	want := []string{otherSelf + ":review_request!not_found", selfClient + ":review_request", operator + ":reviews_read",
		operator + ":review_upheld", selfClient + ":reviews_read"}
	if got := f.actionsFrom(from); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit records %v, want %v", got, want)
	}
}

// TestDisputeReviewAuthorization calls every dispute and review route as
// every role, about the own and the other subject. Exactly the cells in
// allowed succeed; the rest are 401 (no key) or 403, but for a furnisher
// resolving another's dispute and a subject naming someone else's
// decision, which are 404 (TestDisputeFlow, TestReviewFlow).
func TestDisputeReviewAuthorization(t *testing.T) {
	f := newDisputeFixture(t)
	// A dispute of Own's inq-1 by Furnisher, and a review of a decision
	// about Own, for the resolve routes.
	r := f.do("POST", "/v1/subjects/"+own+"/disputes", f.keys[selfClient], []byte(`{"source":"`+furnisher+`","event_id":"inq-1","comment":"not mine"}`))
	disputeID, _ := field(r.body, "dispute", "id").(string)
	dec := f.do("POST", "/v1/decisions", f.keys[lender], []byte(`{"subject":"`+own+`","program":"bike"}`))
	decisionID := int64(dec.body["decision_id"].(float64))
	type route struct {
		name, method string
		path         func(subject string) string
		body         []byte
		created      bool
	}
	routes := []route{
		{"subject disputes", "GET", func(s string) string { return "/v1/subjects/" + s + "/disputes" }, nil, false},
		{"open dispute", "POST", func(s string) string { return "/v1/subjects/" + s + "/disputes" },
			[]byte(`{"source":"` + furnisher + `","event_id":"inq-0","comment":"wrong"}`), true},
		{"queue", "GET", func(string) string { return "/v1/disputes" }, nil, false},
		{"resolve dispute", "POST", func(string) string { return "/v1/disputes/" + disputeID + "/resolve" },
			[]byte(`{"outcome":"verified","note":"checked"}`), false},
		{"subject reviews", "GET", func(s string) string { return "/v1/subjects/" + s + "/reviews" }, nil, false},
		{"request review", "POST", func(s string) string { return "/v1/subjects/" + s + "/reviews" },
			fmt.Appendf(nil, `{"decision_id":%d}`, decisionID), true},
		{"review queue", "GET", func(string) string { return "/v1/reviews" }, nil, false},
	}
	allowed := map[string]bool{
		"subject disputes/" + selfClient + "/" + own:  true,
		"subject disputes/" + operator + "/" + own:    true,
		"subject disputes/" + operator + "/" + other:  true,
		"subject disputes/" + otherSelf + "/" + other: true,
		"open dispute/" + selfClient + "/" + own:      true,
		"queue/" + furnisher + "/" + own:              true,
		"queue/" + furnisher + "/" + other:            true,
		"queue/" + furnisherB + "/" + own:             true,
		"queue/" + furnisherB + "/" + other:           true,
		"queue/" + operator + "/" + own:               true,
		"queue/" + operator + "/" + other:             true,
		// The route names no subject: the first allowed call (the
		// furnisher's) succeeds, the later ones conflict.
		"resolve dispute/" + furnisher + "/" + own:   true,
		"resolve dispute/" + furnisher + "/" + other: true,
		"subject reviews/" + selfClient + "/" + own:  true,
		"subject reviews/" + operator + "/" + own:    true,
		"subject reviews/" + operator + "/" + other:  true,
		"subject reviews/" + otherSelf + "/" + other: true,
		"request review/" + selfClient + "/" + own:   true,
		"review queue/" + operator + "/" + own:       true,
		"review queue/" + operator + "/" + other:     true,
	}
	// The cells refused by the object, not the role: 404.
	notFound := map[string]bool{
		"resolve dispute/" + furnisherB + "/" + own: true, "resolve dispute/" + furnisherB + "/" + other: true,
		"request review/" + otherSelf + "/" + other: true,
		"open dispute/" + otherSelf + "/" + other:   true, // Other has no such event
	}
	for _, subj := range []string{own, other} {
		allowed["resolve dispute/"+operator+"/"+subj] = true
	}
	callers := []string{furnisher, furnisherB, lender, operator, selfClient, otherSelf, "none"}
	resolved := false
	for _, rt := range routes {
		for _, caller := range callers {
			for _, subj := range []string{own, other} {
				name := rt.name + "/" + caller + "/" + subj
				r := f.do(rt.method, rt.path(subj), f.keys[caller], rt.body)
				switch {
				case rt.name == "resolve dispute" && allowed[name]:
					if !resolved && r.status == http.StatusOK {
						resolved = true
					} else if resolved && r.status != http.StatusConflict {
						t.Errorf("%s: %d %s, want 409 once resolved", name, r.status, r.raw)
					}
				case allowed[name]:
					want := http.StatusOK
					if rt.created {
						want = http.StatusCreated
					}
					if r.status != want {
						t.Errorf("%s: %d %s, want %d", name, r.status, r.raw, want)
					}
				case caller == "none":
					if r.status != http.StatusUnauthorized {
						t.Errorf("%s: %d %s, want 401", name, r.status, r.raw)
					}
				case notFound[name]:
					if r.status != http.StatusNotFound {
						t.Errorf("%s: %d %s, want 404", name, r.status, r.raw)
					}
				default:
					if r.status != http.StatusForbidden || r.errorMessage() == "" {
						t.Errorf("%s: %d %s, want 403 with a message", name, r.status, r.raw)
					}
				}
			}
		}
	}
	if !resolved {
		t.Error("the furnisher never resolved its dispute")
	}
	// A dispute's id in a path is no person's: refusals by role on the
	// resolve routes record nothing under it.
	for n := range f.audit.Size() {
		b, err := f.audit.Record(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		if r, _ := audit.ParseRecord(b); r.Subject == disputeID {
			t.Fatalf("record %d names the dispute id as a subject: %s", n, b)
		}
	}
	// The operator resolves what it may, reviews included.
	rv := f.do("GET", "/v1/reviews", f.keys[operator], nil)
	rs, _ := rv.body["reviews"].([]any)
	if len(rs) != 1 {
		t.Fatalf("the review queue: %s", rv.raw)
	}
	rid := rs[0].(map[string]any)["id"].(string)
	for _, caller := range []string{furnisher, lender, selfClient} {
		if r := f.do("POST", "/v1/reviews/"+rid+"/resolve", f.keys[caller], []byte(`{"outcome":"upheld","note":"n"}`)); r.status != http.StatusForbidden {
			t.Errorf("%s resolving a review: %d %s", caller, r.status, r.raw)
		}
	}
	if r := f.do("POST", "/v1/reviews/"+rid+"/resolve", f.keys[operator], []byte(`{"outcome":"changed","note":"n"}`)); r.status != http.StatusOK {
		t.Errorf("the operator resolving a review: %d %s", r.status, r.raw)
	}
}
