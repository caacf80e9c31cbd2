package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/httpapi/apitest"
)

func TestHealth(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := f.do("GET", path, "", nil); r.status != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, r.status, r.raw)
		}
	}
	// An unknown /v1 path is the API's JSON 404; any other path is the
	// person's pages', an HTML page.
	if r := f.do("GET", "/v1/nowhere", "", nil); r.status != http.StatusNotFound || r.errorCode() != opencredit.ENOTFOUND {
		t.Errorf("GET /v1/nowhere: %d %s", r.status, r.raw)
	}
	resp, err := http.Get(f.url + "/nowhere")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "Page not found") {
		t.Errorf("GET /nowhere: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

// request is one call of the matrix, for a subject.
type request struct {
	route  string
	method string
	path   func(subject, purpose string) string
	body   func(subject string) []byte
}

var routes = []request{
	{"events", "POST", func(_, _ string) string { return "/v1/events" },
		func(s string) []byte { return fmt.Appendf(nil, `{"events":[%s]}`, inquiry(furnisher, s, "")) }},
	{"score", "GET", func(s, p string) string { return "/v1/subjects/" + s + "/score?purpose=" + p }, nil},
	{"decision", "POST", func(_, _ string) string { return "/v1/decisions" },
		func(s string) []byte { return fmt.Appendf(nil, `{"subject":%q,"program":"loan"}`, s) }},
	{"data", "GET", func(s, _ string) string { return "/v1/subjects/" + s + "/data" }, nil},
	// The operator routes name no subject: both columns ask the same.
	{"model", "GET", func(_, _ string) string { return "/v1/model" }, nil},
	{"programs", "GET", func(_, _ string) string { return "/v1/programs" }, nil},
	{"checkpoint", "GET", func(_, _ string) string { return "/v1/audit/checkpoint" }, nil},
	{"records", "GET", func(_, _ string) string { return "/v1/audit/records?limit=5" }, nil},
}

// TestAuthorizationMatrix calls every route as every role (and with no
// key) about the own and the other subject. Exactly the cells in allowed
// succeed; every other cell is denied with 401 or 403. For events, the
// furnisher's call about the other subject reaches the route but the event
// is rejected: that subject gave it no furnishing consent.
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	allowed := map[string]bool{
		"events/" + furnisher + "/" + own:   true,
		"score/" + lender + "/" + own:       true,
		"score/" + selfClient + "/" + own:   true,
		"decision/" + lender + "/" + own:    true,
		"data/" + selfClient + "/" + own:    true,
		"events/" + furnisher + "/" + other: true, // 200, event rejected: see below
	}
	for _, rt := range []string{"model", "programs", "checkpoint", "records"} {
		allowed[rt+"/"+operator+"/"+own], allowed[rt+"/"+operator+"/"+other] = true, true
	}
	callers := []string{furnisher, lender, operator, selfClient, "none", "bogus"}
	for _, rt := range routes {
		for _, caller := range callers {
			for _, subj := range []string{own, other} {
				name := rt.route + "/" + caller + "/" + subj
				// A subject client asks with subject_self_access, every
				// other caller with credit_application.
				purpose := opencredit.PurposeCreditApplication
				if caller == selfClient {
					purpose = opencredit.PurposeSubjectSelfAccess
				}
				key := f.keys[caller]
				if caller == "bogus" {
					key, _, _ = opencredit.NewAPIKey()
				}
				var body []byte
				if rt.body != nil {
					body = rt.body(subj)
				}
				r := f.do(rt.method, rt.path(subj, purpose), key, body)
				switch {
				case allowed[name]:
					if r.status != http.StatusOK {
						t.Errorf("%s: %d %s, want 200", name, r.status, r.raw)
						continue
					}
					if rt.route == "events" {
						results, _ := r.body["results"].([]any)
						if len(results) != 1 {
							t.Fatalf("%s: %s", name, r.raw)
						}
						res := results[0].(map[string]any)
						want := opencredit.Accepted
						if subj == other {
							want = opencredit.Rejected
						}
						if res["status"] != want {
							t.Errorf("%s: event %v, want %s", name, res, want)
						}
					}
				case caller == "none" || caller == "bogus":
					if r.status != http.StatusUnauthorized || r.errorCode() != "unauthorized" {
						t.Errorf("%s: %d %s, want 401", name, r.status, r.raw)
					}
				default:
					if r.status != http.StatusForbidden {
						t.Errorf("%s: %d %s, want 403", name, r.status, r.raw)
					}
					if r.errorMessage() == "" {
						t.Errorf("%s: a denial without a message: %s", name, r.raw)
					}
				}
			}
		}
	}
}

func TestScore(t *testing.T) {
	f := newFixture(t)
	r := f.do("GET", "/v1/subjects/"+own+"/score?purpose=credit_application", f.keys[lender], nil)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	// 500 + 40 (no payments: missing bin) + 40 (two hard inquiries), by hand.
	if r.body["score"] != 580.0 || r.body["band"] != "fair" || r.body["model"] != "scorecard" {
		t.Errorf("score %v band %v model %v, want 580 fair scorecard", r.body["score"], r.body["band"], r.body["model"])
	}
	for _, field := range []string{"probability_of_default", "dimensions", "reasons", "features_as_of"} {
		if _, ok := r.body[field]; !ok {
			t.Errorf("no %s in %s", field, r.raw)
		}
	}
	if dims, _ := r.body["dimensions"].([]any); len(dims) != 2 {
		t.Errorf("dimensions %v, want payment_history and new_credit", r.body["dimensions"])
	}
}

// TestRefusedPurposes: a purpose a score must not serve is refused with the
// rule it breaks, for a lender and for the subject itself.
func TestRefusedPurposes(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ purpose, rule string }{
		{"employment", "employment screening"},
		{"travel", "travel"},
		{"no_such_purpose", "Permissible purposes"},
	} {
		for _, caller := range []string{lender, selfClient} {
			r := f.do("GET", "/v1/subjects/"+own+"/score?purpose="+tc.purpose, f.keys[caller], nil)
			if r.status != http.StatusForbidden || r.errorCode() != opencredit.EREFUSED || !strings.Contains(r.errorMessage(), tc.rule) {
				t.Errorf("%s as %s: %d %s, want 403 refused stating %q", tc.purpose, caller, r.status, r.raw, tc.rule)
			}
		}
	}
	// A permissible purpose the lender is not permitted, and one it is
	// permitted but for which the subject gave no consent.
	r := f.do("GET", "/v1/subjects/"+own+"/score?purpose=account_review", f.keys[lender], nil)
	if r.status != http.StatusForbidden || !strings.Contains(r.errorMessage(), "not permitted") {
		t.Errorf("account_review: %d %s", r.status, r.raw)
	}
	r = f.do("POST", "/v1/decisions", f.keys[lender], []byte(`{"subject":"`+own+`","program":"review"}`))
	if r.status != http.StatusForbidden || !strings.Contains(r.errorMessage(), "not permitted") {
		t.Errorf("review program: %d %s", r.status, r.raw)
	}
	r = f.do("GET", "/v1/subjects/"+own+"/score", f.keys[lender], nil)
	if r.status != http.StatusBadRequest {
		t.Errorf("no purpose: %d %s, want 400", r.status, r.raw)
	}
}

func TestWithdrawnConsentDeniesAtOnce(t *testing.T) {
	f := newFixture(t)
	path := "/v1/subjects/" + own + "/score?purpose=credit_application"
	if r := f.do("GET", path, f.keys[lender], nil); r.status != http.StatusOK {
		t.Fatalf("before withdrawal: %d %s", r.status, r.raw)
	}
	if err := f.store.WithdrawConsent(context.Background(), own, lender, opencredit.PurposeCreditApplication, time.Now()); err != nil {
		t.Fatal(err)
	}
	r := f.do("GET", path, f.keys[lender], nil)
	if r.status != http.StatusForbidden || !strings.Contains(r.errorMessage(), "consent") {
		t.Errorf("after withdrawal: %d %s, want 403 about consent", r.status, r.raw)
	}
	r = f.do("POST", "/v1/decisions", f.keys[lender], []byte(`{"subject":"`+own+`","program":"loan"}`))
	if r.status != http.StatusForbidden {
		t.Errorf("decision after withdrawal: %d %s, want 403", r.status, r.raw)
	}
}

func TestDecisions(t *testing.T) {
	f := newFixture(t)
	r := f.do("POST", "/v1/decisions", f.keys[lender], []byte(`{"subject":"`+own+`","program":"loan"}`))
	if r.status != http.StatusOK {
		t.Fatalf("loan: %d %s", r.status, r.raw)
	}
	if d, _ := r.body["decision"].(map[string]any); d["outcome"] != "approved" || r.body["notice"] != nil {
		t.Errorf("loan: %s, want approved without a notice", r.raw)
	}
	r = f.do("POST", "/v1/decisions", f.keys[lender], []byte(`{"subject":"`+own+`","program":"bike"}`))
	if r.status != http.StatusOK {
		t.Fatalf("bike: %d %s", r.status, r.raw)
	}
	n, _ := r.body["notice"].(map[string]any)
	if d, _ := r.body["decision"].(map[string]any); d["outcome"] != "declined" || n["kind"] != "adverse_action_notice" {
		t.Fatalf("bike: %s, want declined with a notice", r.raw)
	}
	if reasons, _ := n["reasons"].([]any); len(reasons) == 0 {
		t.Errorf("notice without reasons: %s", r.raw)
	}
	if fs, _ := n["furnishers"].([]any); len(fs) != 1 {
		t.Errorf("notice furnishers %v, want %s", n["furnishers"], furnisher)
	}
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"subject":"` + own + `","program":"nope"}`, http.StatusNotFound},
		{`{"subject":"` + own + `"}`, http.StatusBadRequest},
		{`{"subject":"` + own + `","program":"loan","extra":1}`, http.StatusBadRequest},
		{`not json`, http.StatusBadRequest},
	} {
		if r := f.do("POST", "/v1/decisions", f.keys[lender], []byte(tc.body)); r.status != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.body, r.status, r.raw, tc.status)
		}
	}
}

func TestSubjectData(t *testing.T) {
	f := newFixture(t)
	r := f.do("GET", "/v1/subjects/"+own+"/data", f.keys[selfClient], nil)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	if cs, _ := r.body["consents"].([]any); len(cs) != 4 {
		t.Errorf("consents %v, want 4", r.body["consents"])
	}
	if es, _ := r.body["events"].([]any); len(es) != 2 {
		t.Errorf("events %v, want 2", r.body["events"])
	}
	if strings.Contains(r.raw, "Test Person") {
		t.Errorf("the data route returned PII: %s", r.raw)
	}
}

func TestEventsSourceMustBeCaller(t *testing.T) {
	f := newFixture(t)
	body := fmt.Appendf(nil, `{"events":[%s,%s,{"bad":1}]}`, inquiry(furnisher, own, ""), inquiry("someone-else", own, ""))
	r := f.do("POST", "/v1/events", f.keys[furnisher], body)
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	results, _ := r.body["results"].([]any)
	if len(results) != 3 {
		t.Fatalf("results: %s", r.raw)
	}
	want := []string{opencredit.Accepted, opencredit.Rejected, opencredit.Rejected}
	for i, res := range results {
		if got := res.(map[string]any)["status"]; got != want[i] {
			t.Errorf("event %d: %v, want %s", i, res, want[i])
		}
	}
}

func TestUnauthorized(t *testing.T) {
	f := newFixture(t)
	revokedKey, hash, err := opencredit.NewAPIKey()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := f.store.CreateClient(ctx, opencredit.Client{ID: "gone", Role: opencredit.RoleLender, CreatedAt: time.Now().Add(-time.Hour)}, hash); err != nil {
		t.Fatal(err)
	}
	if err := f.store.RevokeClient(ctx, "gone", time.Now()); err != nil {
		t.Fatal(err)
	}
	path := "/v1/subjects/" + own + "/score?purpose=credit_application"
	for name, key := range map[string]string{"malformed": "oc_short", "revoked": revokedKey, "not a key": "hello"} {
		r := f.do("GET", path, key, nil)
		if r.status != http.StatusUnauthorized || r.errorCode() != "unauthorized" {
			t.Errorf("%s: %d %s, want 401", name, r.status, r.raw)
		}
	}
}

func TestBodyLimits(t *testing.T) {
	f := newFixture(t)
	big := `{"subject":"` + strings.Repeat("x", 2<<20) + `","program":"loan"}`
	r := f.do("POST", "/v1/decisions", f.keys[lender], []byte(big))
	if r.status != http.StatusRequestEntityTooLarge || r.errorCode() != "too_large" {
		t.Errorf("2 MiB decision: %d %.200s, want 413", r.status, r.raw)
	}
	// The events route takes up to 10 MiB: 2 MiB is fine, 11 MiB is not.
	batch := `{"events":[` + strings.TrimSuffix(strings.Repeat(string(inquiry(furnisher, own, ""))+",", 1), ",") + `],"pad":"` + strings.Repeat("x", 2<<20) + `"}`
	if r := f.do("POST", "/v1/events", f.keys[furnisher], []byte(batch)); r.status != http.StatusBadRequest {
		t.Errorf("2 MiB events body with an unknown field: %d %.200s, want 400 (read in full, then refused)", r.status, r.raw)
	}
	huge := `{"events":[],"pad":"` + strings.Repeat("x", 11<<20) + `"}`
	if r := f.do("POST", "/v1/events", f.keys[furnisher], []byte(huge)); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("11 MiB events: %d %.200s, want 413", r.status, r.raw)
	}
}

// TestAuditBeforeResponse: each score, decision and data access adds one
// record, committed by the time the response arrives; so does a refusal,
// which the person's access history must show (it carries the code).
func TestAuditBeforeResponse(t *testing.T) {
	f := newFixture(t)
	calls := []struct {
		name, method, path, key, body string
		records                       int64
	}{
		{"score", "GET", "/v1/subjects/" + own + "/score?purpose=credit_application", lender, "", 1},
		{"self score", "GET", "/v1/subjects/" + own + "/score?purpose=subject_self_access", selfClient, "", 1},
		{"decision", "POST", "/v1/decisions", lender, `{"subject":"` + own + `","program":"bike"}`, 1},
		{"data", "GET", "/v1/subjects/" + own + "/data", selfClient, "", 1},
		{"refused", "GET", "/v1/subjects/" + own + "/score?purpose=employment", lender, "", 1},
		{"other subject", "GET", "/v1/subjects/" + other + "/score?purpose=credit_application", lender, "", 1},
	}
	for _, c := range calls {
		before := f.audit.Size()
		var body []byte
		if c.body != "" {
			body = []byte(c.body)
		}
		f.do(c.method, c.path, f.keys[c.key], body)
		if got := f.audit.Size() - before; got != c.records {
			t.Errorf("%s: %d audit records, want %d", c.name, got, c.records)
		}
	}
	rec, err := f.audit.Record(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"client":"` + lender + `"`, `"purpose":"credit_application"`, `"action":"score"`, `"score":580`} {
		if !strings.Contains(string(rec), want) {
			t.Errorf("first record %s lacks %s", rec, want)
		}
	}
}

// TestHardInquiryRecorded: a credit_application pull leaves a hard inquiry on
// the file after it is scored, so the next pull counts it; the same lender's
// second pull within the inquiry window leaves no second one; a pull for a
// rental deposit waiver leaves none. The own subject starts with two hard
// inquiries (580, see apitest.Model); a third moves hard_inquiries_12m into
// the ≥ 3 bin, 40 points fewer: 540.
func TestHardInquiryRecorded(t *testing.T) {
	f := newFixture(t)
	path := "/v1/subjects/" + own + "/score?purpose="
	for i, want := range []float64{580, 540} {
		r := f.do("GET", path+"credit_application", f.keys[lender], nil)
		if r.status != http.StatusOK || r.body["score"] != want {
			t.Fatalf("pull %d: %d, score %v, want %v: %s", i+1, r.status, r.body["score"], want, r.raw)
		}
	}
	evs, err := f.store.Events(context.Background(), own)
	if err != nil {
		t.Fatal(err)
	}
	platform := 0
	for _, e := range evs {
		if e.Source == opencredit.PlatformSource && e.Type == opencredit.TypeInquiry {
			platform++
		}
	}
	if platform != 1 {
		t.Errorf("%d platform inquiries on file, want 1 (one lender, two pulls within the window)", platform)
	}
	// The subject's own look does not add one.
	if r := f.do("GET", path+"subject_self_access", f.keys[selfClient], nil); r.status != http.StatusOK || r.body["score"] != 540.0 {
		t.Errorf("self access: %d %v", r.status, r.body["score"])
	}
	if r := f.do("GET", path+"subject_self_access", f.keys[selfClient], nil); r.body["score"] != 540.0 {
		t.Errorf("a self-access pull counted as an inquiry: %v", r.body["score"])
	}
}

func TestPlatformClientIDReserved(t *testing.T) {
	c := opencredit.Client{ID: opencredit.PlatformSource, Name: "x", Role: opencredit.RoleLender, CreatedAt: time.Now()}
	if err := c.Validate(); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("client id %q accepted: %v", c.ID, err)
	}
}

// TestEventConflict: an event id re-sent with the same content is a
// duplicate; with other content (here an hour later) it is rejected as a
// conflict, and the first stands.
func TestEventConflict(t *testing.T) {
	f := newFixture(t)
	first := inquiry(furnisher, own, "same-id")
	if r := f.do("POST", "/v1/events", f.keys[furnisher], fmt.Appendf(nil, `{"events":[%s]}`, first)); r.status != http.StatusOK ||
		!strings.Contains(r.raw, `"accepted"`) {
		t.Fatalf("first: %d %s", r.status, r.raw)
	}
	later := apitest.Inquiry(furnisher, own, "same-id")
	later.Time = later.Time.Add(-time.Hour)
	laterJSON, err := json.Marshal(later)
	if err != nil {
		t.Fatal(err)
	}
	r := f.do("POST", "/v1/events", f.keys[furnisher], fmt.Appendf(nil, `{"events":[%s,%s]}`, first, laterJSON))
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.raw)
	}
	results, _ := r.body["results"].([]any)
	if len(results) != 2 {
		t.Fatalf("results: %s", r.raw)
	}
	if got := results[0].(map[string]any)["status"]; got != opencredit.Duplicate {
		t.Errorf("the same event again: %v, want duplicate", results[0])
	}
	if got := results[1].(map[string]any); got["status"] != opencredit.Rejected || got["reason"] != opencredit.ReasonConflict {
		t.Errorf("the same id an hour earlier: %v, want rejected conflict", got)
	}
}

// TestFurnisherLearnsNoRegistration: an event about a person nobody
// registered, one about an erased person, and one about a registered person
// who gave the furnisher no consent get the same answer, but for the id
// (issue 13: a furnisher must not learn from an error whether someone is
// registered beyond what it furnishes).
func TestFurnisherLearnsNoRegistration(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.CreateSubject(ctx, "gone", opencredit.PII{}, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := f.store.DeleteSubject(ctx, "gone", time.Now()); err != nil {
		t.Fatal(err)
	}
	answers := map[string]string{}
	for _, subject := range []string{other, "nobody-at-all", "gone"} {
		r := f.do("POST", "/v1/events", f.keys[furnisher], fmt.Appendf(nil, `{"events":[%s]}`, inquiry(furnisher, subject, "")))
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", subject, r.status, r.raw)
		}
		answers[subject] = strings.ReplaceAll(r.raw, subject, "SUBJECT")
	}
	if answers["nobody-at-all"] != answers[other] || answers["gone"] != answers[other] {
		t.Errorf("the answers differ:\nregistered, no consent: %s\nunknown: %s\nerased: %s", answers[other], answers["nobody-at-all"], answers["gone"])
	}
	if !strings.Contains(answers[other], `"reason":"no_consent"`) {
		t.Errorf("answer %s, want no_consent", answers[other])
	}
}
