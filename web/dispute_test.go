package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/scoring"
)

// hostileComment is a comment that would run a script if it were written
// unescaped.
const hostileComment = `I never had this <img src=x onerror="alert(1)"> account </textarea><script>alert(2)</script>`

// TestDisputePages: from My data, a record's link opens the form; an empty
// comment shows the error summary linked to the field; a hostile comment
// is sent, the POST redirects to My disputes, which lists it with its
// dates, and My data flags the record. Each step is audited by the use case.
func TestDisputePages(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])

	data := b.get("/data")
	link := `/disputes/new?event=pay-2&amp;source=furn-a`
	mustContain(t, "the data page", data.body, `<a href="`+link+`">Dispute this record`)
	if strings.Contains(b.get("/score").body, "Coming soon") {
		t.Error("the score page still lists a right as coming soon")
	}

	form := b.get("/disputes/new?event=pay-2&source=furn-a")
	if form.status != http.StatusOK {
		t.Fatalf("the dispute form: %d %s", form.status, form.body)
	}
	mustContain(t, "the dispute form", form.body, `<label for="comment">What is wrong with this record?</label>`,
		"Paid 25.00 EUR of 25.00 EUR due on", `name="source" value="furn-a"`, `name="event" value="pay-2"`)
	token := form.csrf(t)

	// An empty comment: the form again, the summary linking to the field.
	r := b.do("POST", "/disputes", url.Values{"csrf": {token}, "source": {furnisher}, "event": {"pay-2"}, "comment": {"  "}})
	if r.status != http.StatusBadRequest {
		t.Fatalf("an empty comment: %d", r.status)
	}
	mustContain(t, "an empty comment", r.body, "<title>Error: What is wrong", `<li><a href="#comment">Say what is wrong with the record`,
		`id="comment-error"`, `aria-describedby="comment-hint comment-error"`)
	// Too long: the same, with its own message.
	r = b.do("POST", "/disputes", url.Values{"csrf": {token}, "source": {furnisher}, "event": {"pay-2"}, "comment": {strings.Repeat("x", opencredit.MaxDisputeTextBytes+1)}})
	mustContain(t, "a long comment", r.body, `<li><a href="#comment">Say what is wrong in fewer words`)
	// Without the token: refused, nothing opened.
	if r := b.do("POST", "/disputes", url.Values{"source": {furnisher}, "event": {"pay-2"}, "comment": {"wrong"}}); r.status != http.StatusForbidden {
		t.Errorf("a dispute without the CSRF token: %d", r.status)
	}
	// A record that is not the person's (the other person's has none of
	// this id) and an unknown one: 404, with the parameters named.
	nf := b.get("/disputes/new?event=nope&source=furn-a")
	if nf.status != http.StatusNotFound || !strings.Contains(nf.body, "name no record held about you") {
		t.Errorf("an unknown record's form: %d", nf.status)
	}
	if ds, _ := f.store.Disputes(context.Background(), opencredit.DisputeFilter{Subject: person}); len(ds) != 0 {
		t.Fatalf("refused forms opened %d disputes", len(ds))
	}

	before := f.audit.Size()
	r = b.do("POST", "/disputes", url.Values{"csrf": {token}, "source": {furnisher}, "event": {"pay-2"}, "comment": {hostileComment}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/disputes?done=opened" {
		t.Fatalf("the dispute: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	recs := f.records(before)
	if len(recs) != 1 || recs[0].Action != scoring.ActionDisputeOpen || recs[0].Subject != person || recs[0].Client != selfID {
		t.Errorf("records of the dispute: %+v", recs)
	}
	list := b.get("/disputes?done=opened")
	now := f.clock.now()
	mustContain(t, "the disputes page", list.body, "Your dispute is sent", "Waiting for the company's answer",
		"<dt>Sent on</dt><dd>"+now.UTC().Format("2 January 2006"),
		"<dt>Answer due by</dt><dd>"+now.UTC().AddDate(0, 0, 30).Format("2 January 2006"), // dispute.Deadline, 30 days
		"Paid 25.00 EUR of 25.00 EUR due on")
	for _, page := range []reply{list, b.get("/disputes")} {
		if strings.Contains(page.body, "<script>") || strings.Contains(page.body, "<img") {
			t.Error("the disputes page holds the comment's markup unescaped")
		}
	}
	if !strings.Contains(list.body, escapeText(hostileComment)) {
		t.Error("the disputes page lacks the comment, escaped")
	}
	data = b.get("/data")
	if n := strings.Count(data.body, "Disputed: counted until the company that sent it answers"); n != 1 {
		t.Errorf("%d records flagged after the dispute, want 1", n)
	}
	if strings.Contains(data.body, `<a href="`+link+`">`) {
		t.Error("the disputed record still has its dispute link")
	}
	// Its form now says it is disputed already; a second POST is a conflict.
	if r := b.get("/disputes/new?event=pay-2&source=furn-a"); r.status != http.StatusConflict {
		t.Errorf("the form of a disputed record: %d", r.status)
	}
	if r := b.do("POST", "/disputes", url.Values{"csrf": {token}, "source": {furnisher}, "event": {"pay-2"}, "comment": {"again"}}); r.status != http.StatusConflict {
		t.Errorf("a second dispute: %d", r.status)
	}

	// The other person sees none of it.
	o := f.browser()
	o.signIn(f.keys[otherID])
	if r := o.get("/disputes"); strings.Contains(r.body, "pay-2") || strings.Contains(r.body, "alert") {
		t.Error("another person's disputes page shows the first person's dispute")
	}
	if r := o.get("/disputes/new?event=pay-2&source=furn-a"); r.status != http.StatusNotFound {
		t.Errorf("another person's form of the first one's record: %d", r.status)
	}
}

// TestOperatorPages: an operator's key signs in to the operators' pages,
// whose queue lists the dispute; resolving it verified goes through the
// use case (audited under the operator), and the person sees the outcome.
// A subject session cannot reach them, nor an operator's the person's pages.
func TestOperatorPages(t *testing.T) {
	f := newFixture(t, nil)
	self := f.browser()
	self.signIn(f.keys[selfID])
	token := self.get("/disputes/new?event=pay-2&source=furn-a").csrf(t)
	if r := self.do("POST", "/disputes", url.Values{"csrf": {token}, "source": {furnisher}, "event": {"pay-2"}, "comment": {hostileComment}}); r.status != http.StatusSeeOther {
		t.Fatalf("the dispute: %d", r.status)
	}
	ds, err := f.store.Disputes(context.Background(), opencredit.DisputeFilter{Subject: person})
	if err != nil || len(ds) != 1 {
		t.Fatalf("disputes: %v %v", ds, err)
	}
	id := ds[0].ID

	// A subject session is refused the operators' pages, and keeps its session.
	for _, path := range []string{"/ops/disputes", "/ops/reviews"} {
		if r := self.get(path); r.status != http.StatusForbidden || !strings.Contains(r.body, "This page is for OpenCredit&#39;s operators") {
			t.Errorf("a subject session at %s: %d", path, r.status)
		}
	}
	if r := self.do("POST", "/ops/disputes/"+id+"/resolve", url.Values{"csrf": {token}, "outcome": {"deleted"}}); r.status != http.StatusForbidden {
		t.Errorf("a subject session resolving: %d", r.status)
	}
	if r := self.get("/data"); r.status != http.StatusOK {
		t.Errorf("after the refusals the person's session: %d", r.status)
	}

	ops := f.browser()
	ops.signInTo(f.keys[opsID], "/ops/disputes")
	if r := ops.get("/"); r.header.Get("Location") != "/ops/disputes" {
		t.Errorf("/ for an operator: %s", r.header.Get("Location"))
	}
	for _, path := range []string{"/score", "/data", "/disputes", "/consents"} {
		if r := ops.get(path); r.status != http.StatusForbidden || !strings.Contains(r.body, "This page is for the person a file is about") {
			t.Errorf("an operator session at %s: %d", path, r.status)
		}
	}
	before := f.audit.Size()
	q := ops.get("/ops/disputes")
	if q.status != http.StatusOK {
		t.Fatalf("the queue: %d %s", q.status, q.body)
	}
	mustContain(t, "the queue", q.body, id, "pay-2, from furn-a", `action="/ops/disputes/`+id+`/resolve"`, "alert(2)</script>",
		"<code>POST /v1/disputes/{id}/resolve</code>")
	if strings.Contains(q.body, "<script>") {
		t.Error("the queue holds the comment's markup unescaped")
	}
	if recs := f.records(before); len(recs) != 1 || recs[0].Action != scoring.ActionDisputesRead || recs[0].Subject != person || recs[0].Client != opsID {
		t.Errorf("records of the queue: %+v", recs)
	}
	// Filtered: the verified ones are none yet; a bad status is named.
	if r := ops.get("/ops/disputes?status=verified"); strings.Contains(r.body, `action="/ops/disputes/`) {
		t.Error("the verified filter lists the open dispute")
	}
	if r := ops.get("/ops/disputes?status=bogus"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Parameter status") {
		t.Errorf("a bad status: %d", r.status)
	}
	optoken := q.csrf(t)
	// No outcome: the summary names the dispute and links to its radios.
	r := ops.do("POST", "/ops/disputes/"+id+"/resolve", url.Values{"csrf": {optoken}, "note": {"checked"}})
	mustContain(t, "no outcome", r.body, `<li><a href="#outcome-`+id+`">`+"Dispute "+id+": choose verified or deleted")
	if r.status != http.StatusBadRequest {
		t.Errorf("no outcome: %d", r.status)
	}
	// corrected needs the corrected record: left to the API.
	if r := ops.do("POST", "/ops/disputes/"+id+"/resolve", url.Values{"csrf": {optoken}, "outcome": {"corrected"}}); r.status != http.StatusBadRequest {
		t.Errorf("corrected from the page: %d", r.status)
	}
	if r := ops.do("POST", "/ops/disputes/"+id+"/resolve", url.Values{"outcome": {"verified"}}); r.status != http.StatusForbidden {
		t.Errorf("resolving without the CSRF token: %d", r.status)
	}
	before = f.audit.Size()
	r = ops.do("POST", "/ops/disputes/"+id+"/resolve", url.Values{"csrf": {optoken}, "outcome": {"verified"}, "note": {"The payment was received 3 days late <b>"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/ops/disputes?done=verified" {
		t.Fatalf("resolve: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	if recs := f.records(before); len(recs) != 1 || recs[0].Action != scoring.ActionDisputeVerified || recs[0].Subject != person || recs[0].Client != opsID {
		t.Errorf("records of the resolution: %+v", recs)
	}
	if r := ops.get("/ops/disputes?done=verified"); !strings.Contains(r.body, "resolved as verified") || strings.Contains(r.body, `action="/ops/disputes/`+id) {
		t.Error("after resolving, the queue still offers its form or says nothing")
	}
	// Twice: a conflict, named in the summary.
	if r := ops.do("POST", "/ops/disputes/"+id+"/resolve", url.Values{"csrf": {optoken}, "outcome": {"verified"}}); r.status != http.StatusBadRequest {
		t.Errorf("resolving twice: %d", r.status)
	}

	mustContain(t, "the person's disputes", self.get("/disputes").body, "Checked: the company says the record is right",
		"The payment was received 3 days late <b>"[:30])
	if strings.Contains(self.get("/disputes").body, "late <b>") {
		t.Error("the resolver's note is written unescaped")
	}
}

// TestReviewPages: the person asks for review of a decision listed from
// their access history; it lands in the operators' queue; the operator
// upholds it with a note; the person reads the outcome.
func TestReviewPages(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if err := f.store.GrantConsent(ctx, opencredit.Consent{Subject: person, Counterparty: lenderID, Purpose: opencredit.PurposeCreditApplication, GrantedAt: f.clock.now()}); err != nil {
		t.Fatal(err)
	}
	lender, err := f.store.ClientByKey(ctx, opencredit.HashAPIKey(f.keys[lenderID]))
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	b.signIn(f.keys[selfID])
	b.get("/score") // an audit record that is not a decision, before the decision's
	dec, err := f.scoring.Decide(ctx, scoring.Caller{Client: lender}, person, "card")
	if err != nil {
		t.Fatal(err)
	}
	notDecision := itoa(dec.ID - 1)
	page := b.get("/reviews")
	link := "/reviews/new?decision=" + itoa(dec.ID)
	mustContain(t, "the reviews page", page.body, "Lender A, for credit application", `<a href="`+link+`">Ask a person to review this decision`)
	form := b.get(link)
	if form.status != http.StatusOK {
		t.Fatalf("the review form: %d", form.status)
	}
	token := form.csrf(t)
	if r := b.do("POST", "/reviews", url.Values{"csrf": {token}, "decision": {itoa(dec.ID)}, "comment": {""}}); r.status != http.StatusBadRequest ||
		!strings.Contains(r.body, `<li><a href="#comment">Say why you want a person to review the decision`) {
		t.Errorf("an empty comment: %d", r.status)
	}
	// A decision number that is no decision about the person.
	if r := b.get("/reviews/new?decision=" + notDecision); r.status != http.StatusNotFound {
		t.Errorf("a record that is not a decision: %d", r.status)
	}
	if r := b.do("POST", "/reviews", url.Values{"csrf": {token}, "decision": {notDecision}, "comment": {"why"}}); r.status != http.StatusBadRequest {
		t.Errorf("requesting a review of a record that is not a decision: %d", r.status)
	}
	r := b.do("POST", "/reviews", url.Values{"csrf": {token}, "decision": {itoa(dec.ID)}, "comment": {hostileComment}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/reviews?done=requested" {
		t.Fatalf("request: %d %s", r.status, r.body)
	}
	mustContain(t, "after the request", b.get("/reviews?done=requested").body, "Your request is sent", "Waiting for a person to review it", "Review asked for")

	ops := f.browser()
	ops.signInTo(f.keys[opsID], "/ops/disputes")
	q := ops.get("/ops/reviews")
	rs, _ := f.store.Reviews(ctx, opencredit.ReviewFilter{})
	if len(rs) != 1 {
		t.Fatalf("%d reviews", len(rs))
	}
	mustContain(t, "the review queue", q.body, rs[0].ID, "by lender-a for credit application", "alert(2)</script>")
	if strings.Contains(q.body, "<script>") {
		t.Error("the review queue holds the comment's markup unescaped")
	}
	if r := ops.do("POST", "/ops/reviews/"+rs[0].ID+"/resolve", url.Values{"csrf": {q.csrf(t)}, "outcome": {"upheld"}}); r.status != http.StatusBadRequest {
		t.Errorf("a resolution without a note: %d", r.status)
	}
	r = ops.do("POST", "/ops/reviews/"+rs[0].ID+"/resolve", url.Values{"csrf": {q.csrf(t)}, "outcome": {"upheld"}, "note": {"Checked by hand: the missed payment stands."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("resolve: %d %s", r.status, r.body)
	}
	mustContain(t, "the outcome", b.get("/reviews").body, "Reviewed: the decision stands", "Checked by hand: the missed payment stands.")
	if r := b.get("/ops/reviews"); r.status != http.StatusForbidden {
		t.Errorf("a subject at the review queue: %d", r.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
