package web_test

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/web"
)

// records returns the audit records from the n-th on.
func (f *fixture) records(from int64) []audit.Record {
	f.t.Helper()
	var out []audit.Record
	for n := from; n < f.audit.Size(); n++ {
		b, err := f.audit.Record(context.Background(), n)
		if err != nil {
			f.t.Fatal(err)
		}
		r, err := audit.ParseRecord(b)
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// mustContain checks that body holds each of wants, written as
// html/template writes text ("+" is "&#43;", "'" is "&#39;"); a want
// starting with "<" is markup, and taken as it is.
func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.HasPrefix(w, "<") && !strings.Contains(w, `="`) {
			w = escapeText(w)
		}
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func TestScorePage(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])
	before := f.audit.Size()
	r := b.get("/score")
	if r.status != http.StatusOK {
		t.Fatalf("GET /score: %d %s", r.status, r.body)
	}
	// 580 fair: pageModel's comment adds it up by hand.
	mustContain(t, "the score page", r.body,
		`class="dial-score" fill="#101828">580</text>`, "Your score is 580, which is a fair score. Scores run from 350 to 950; fair is 550 to 599.",
		`role="img" aria-labelledby="dial-title dial-desc"`, "Your score: 580, fair",
		// utilisation 0.6 → 30 points, its best bin (<0.3) 80: 50 lost, 50 to gain.
		"Share of card and credit-line limits in use: 60%", // 600 of 1,000
		"This costs you 50 points against the best possible.",
		"Keep your card and credit-line balances under 30% of their limits — worth about +50 points.",
		// on time 9 of 10 → 50 of 90; ≥ 0.97 gains 40.
		"so that at least 97% of those due over 24 months were paid on time — worth about +40 points",
		// payment history: 50 + 30 of 90 + 60.
		"Payment history: 53 out of 100. This part looks at whether you paid what you owed when it was due; you earned 80 of the 150 points it can give.",
		`aria-labelledby="radar-title radar-desc"`, `aria-labelledby="line-title line-desc"`,
		"Show numbers", `<a href="/disputes">Dispute a record you think is wrong</a>`, `name="csrf"`)
	// The history's last point is the end of last month, when every event of
	// the file had happened: the score of today, 580.
	if n := strings.Count(r.body, "<td class=\"num\">"); n < 12 {
		t.Errorf("the history table has too few cells: %d", n)
	}
	last := scoring.MonthEnds(f.clock.now(), web.HistoryMonths)[web.HistoryMonths-1]
	mustContain(t, "the history table", r.body, "<tr><td>"+last.Format("2 January 2006")+"</td><td class=\"num\">580</td><td>fair</td></tr>")

	// The page left the records the API leaves: the score for
	// subject_self_access, and the history's.
	recs := f.records(before)
	if len(recs) != 2 {
		t.Fatalf("records of a score page: %+v", recs)
	}
	if s := recs[0]; s.Action != audit.ActionScore || s.Client != selfID || s.Role != opencredit.RoleSubject || s.Subject != person ||
		s.Purpose != opencredit.PurposeSubjectSelfAccess || s.Result.Score != 580 || s.RequestID == "" {
		t.Errorf("score record: %+v", s)
	}
	if h := recs[1]; h.Action != scoring.ActionScoreHistory || h.Result.Items != web.HistoryMonths || h.Client != selfID {
		t.Errorf("history record: %+v", h)
	}
	// The API's pull leaves the same record, but for its time and request.
	req, _ := http.NewRequest("GET", f.url+"/v1/subjects/"+person+"/score?purpose=subject_self_access", nil)
	req.Header.Set("Authorization", "Bearer "+f.keys[selfID])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	api := f.records(before + 2)
	if len(api) != 1 {
		t.Fatalf("API records: %+v", api)
	}
	a, p := api[0], recs[0]
	a.Time, a.RequestID = p.Time, p.RequestID
	ae, err1 := a.Encode()
	pe, err2 := p.Encode()
	if err1 != nil || err2 != nil || string(ae) != string(pe) {
		t.Errorf("the page's record %s differs from the API's %s (%v, %v)", pe, ae, err1, err2)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	r := b.get("/signin")
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff",
		"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Frame-Options": "DENY",
	} {
		if !strings.Contains(r.header.Get(k), want) {
			t.Errorf("%s: %q, want %q", k, r.header.Get(k), want)
		}
	}
	cookie := r.header.Get("Set-Cookie")
	mustContain(t, "the sign-in cookie", cookie, "HttpOnly", "SameSite=Lax", "Path=/")
	if strings.Contains(cookie, "Secure") {
		t.Errorf("a cookie over plain HTTP is Secure, so the browser would drop it: %s", cookie)
	}
	b.signIn(f.keys[selfID])
	// HEAD of a person's page reads nothing and records nothing.
	before := f.audit.Size()
	if r := b.do("HEAD", "/score", nil); r.status != http.StatusMethodNotAllowed {
		t.Errorf("HEAD /score: %d", r.status)
	}
	if f.audit.Size() != before {
		t.Errorf("HEAD /score left %d audit records", f.audit.Size()-before)
	}
}

// TestSecureCookieOverTLS: a session started over TLS gets a Secure cookie.
func TestSecureCookieOverTLS(t *testing.T) {
	f := newFixture(t, nil)
	h := f.handler()
	form := httpGetForm(t, h)
	req := formRequest("/signin", url.Values{"csrf": {form.token}, "key": {f.keys[selfID]}}, form.cookie)
	req.TLS = tlsState()
	w := record(h, req)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("sign-in over TLS: %d %s", w.Code, w.Body)
	}
	var session string
	for _, c := range w.Result().Cookies() {
		if c.Name == "oc_session" {
			session = c.String()
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie over TLS: %s", c.String())
			}
		}
	}
	if session == "" {
		t.Fatal("no session cookie")
	}
}

func TestSignInErrors(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	for _, tc := range []struct {
		name, key string
		status    int
		want      string
	}{
		{"empty", "", http.StatusBadRequest, "Enter your personal key"},
		{"not a key", "my password", http.StatusBadRequest, "Enter your personal key as it was given to you: it starts with oc_ and is 46 characters long"},
		{"unknown", "oc_" + strings.Repeat("A", 43), http.StatusUnauthorized, "This key is not valid"},
		{"lender's key", f.keys[lenderID], http.StatusForbidden, "This is a lender's key, which works only with the API"},
		{"furnisher's key", f.keys[furnisher], http.StatusForbidden, "This is a reporting company's key, which works only with the API"},
	} {
		form := b.get("/signin")
		r := b.do("POST", "/signin", url.Values{"csrf": {form.csrf(t)}, "key": {tc.key}})
		if r.status != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, r.status, tc.status)
		}
		// The GOV.UK error summary: a title, a link to the field, the field's own message.
		mustContain(t, tc.name, r.body, "<title>Error: Sign in", "There is a problem", `<li><a href="#key">`+escapeText(tc.want),
			`id="key-error"`, `aria-describedby="key-hint key-error"`)
		if strings.Contains(r.header.Get("Set-Cookie"), "oc_session=") && !strings.Contains(r.header.Get("Set-Cookie"), "oc_session=;") {
			t.Errorf("%s: a session was started", tc.name)
		}
		if tc.key != "" && strings.Contains(r.body, tc.key) {
			t.Errorf("%s: the page repeats the key", tc.name)
		}
	}
	// Without the form's token (another site's form, or none) nothing is tried.
	fresh := f.browser()
	if r := fresh.do("POST", "/signin", url.Values{"key": {f.keys[selfID]}}); r.status != http.StatusForbidden || !strings.Contains(r.body, "This form has expired") {
		t.Errorf("sign-in without the token: %d", r.status)
	}
	if r := fresh.get("/score"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin" {
		t.Errorf("after a refused sign-in, /score: %d %s", r.status, r.header.Get("Location"))
	}
}

func TestSignInRateLimited(t *testing.T) {
	f := newFixture(t, func(d *httpapi.Deps) { d.AddressRatePerSecond, d.AddressBurst = 0.001, 3 })
	b := f.browser()
	form := b.get("/signin")
	var last reply
	for range 4 {
		last = b.do("POST", "/signin", url.Values{"csrf": {form.csrf(t)}, "key": {"oc_" + strings.Repeat("B", 43)}})
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" || !strings.Contains(last.body, "Too many requests") {
		t.Errorf("the fourth attempt of a burst of 3: %d Retry-After %q", last.status, last.header.Get("Retry-After"))
	}
}

func TestSignInLink(t *testing.T) {
	f := newFixture(t, nil)
	token, err := f.links.Issue(f.keys[selfID])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(token, f.keys[selfID]) {
		t.Fatal("the link holds the key")
	}
	b := f.browser()
	r := b.get("/signin/" + token)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/score" {
		t.Fatalf("the link: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	if r := b.get("/score"); r.status != http.StatusOK {
		t.Errorf("signed in by link, /score: %d", r.status)
	}
	// Used once, it is spent, for anyone.
	again := f.browser().get("/signin/" + token)
	if again.status != http.StatusGone || !strings.Contains(again.body, "This sign-in link has been used already or has expired") {
		t.Errorf("a link's second use: %d", again.status)
	}
	// A link not used within its time to live has expired.
	late, err := f.links.Issue(f.keys[selfID])
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(web.DefaultLinkTTL)
	if r := f.browser().get("/signin/" + late); r.status != http.StatusGone {
		t.Errorf("an expired link: %d", r.status)
	}
	if _, err := f.links.Issue("not a key"); opencredit.ErrorCode(err) != opencredit.EINVALID {
		t.Errorf("a link for a non-key: %v", err)
	}
}

func TestSessionLimits(t *testing.T) {
	f := newFixture(t, nil)
	// Idle: a request just inside the limit keeps the session; past it, it ends.
	b := f.browser()
	b.signIn(f.keys[selfID])
	f.clock.advance(web.DefaultIdleTimeout - time.Second)
	if r := b.get("/data"); r.status != http.StatusOK {
		t.Fatalf("within the idle limit: %d", r.status)
	}
	f.clock.advance(web.DefaultIdleTimeout)
	if r := b.get("/data"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin?ended=1" {
		t.Errorf("past the idle limit: %d %s", r.status, r.header.Get("Location"))
	}
	// Absolute: used every half idle period, a session still ends at the maximum age.
	b = f.browser()
	b.signIn(f.keys[selfID])
	step := web.DefaultIdleTimeout / 2
	ended := false
	var lived time.Duration
	for lived = step; lived <= web.DefaultMaxSessionAge+step; lived += step {
		f.clock.advance(step)
		if r := b.get("/"); r.header.Get("Location") != "/score" {
			ended = true
			break
		}
	}
	if !ended || lived < web.DefaultMaxSessionAge {
		t.Errorf("a busy session ended after %s (ended %v), want at %s", lived, ended, web.DefaultMaxSessionAge)
	}
}

func TestRevokedKeyEndsSession(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])
	if r := b.get("/score"); r.status != http.StatusOK {
		t.Fatalf("/score: %d", r.status)
	}
	if err := f.store.RevokeClient(context.Background(), selfID, f.clock.now()); err != nil {
		t.Fatal(err)
	}
	before := f.audit.Size()
	r := b.get("/score")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin?ended=1" {
		t.Errorf("after revocation, /score: %d %s", r.status, r.header.Get("Location"))
	}
	if f.audit.Size() != before {
		t.Error("a revoked key's session read the score")
	}
	// The session is gone, not only refused once.
	if r := b.get("/"); r.header.Get("Location") != "/signin" {
		t.Errorf("after revocation, /: %s", r.header.Get("Location"))
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])
	token := b.get("/score").csrf(t)
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/whatif", url.Values{"months": {"6"}}},
		{"/whatif", url.Values{"months": {"6"}, "csrf": {"forged"}}},
		{"/signout", url.Values{}},
	} {
		if r := b.do("POST", tc.path, tc.form); r.status != http.StatusForbidden || !strings.Contains(r.body, "This form has expired") {
			t.Errorf("POST %s %v: %d", tc.path, tc.form, r.status)
		}
	}
	// The refused sign-out left the session; the real one ends it.
	if r := b.get("/score"); r.status != http.StatusOK {
		t.Errorf("after a forged sign-out, /score: %d", r.status)
	}
	if r := b.do("POST", "/signout", url.Values{"csrf": {token}}); r.status != http.StatusSeeOther {
		t.Errorf("sign out: %d", r.status)
	}
	if r := b.get("/score"); r.status != http.StatusSeeOther {
		t.Errorf("after sign-out, /score: %d", r.status)
	}
	// Another session's token is not this one's.
	b2 := f.browser()
	b2.signIn(f.keys[selfID])
	if r := b2.do("POST", "/whatif", url.Values{"months": {"6"}, "csrf": {token}}); r.status != http.StatusForbidden {
		t.Errorf("a token of an ended session: %d", r.status)
	}
}

func TestWhatIf(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])
	ctx := context.Background()
	events, err := f.store.Events(ctx, person)
	if err != nil {
		t.Fatal(err)
	}
	fv, err := f.store.Features(ctx, person, f.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	token := b.get("/score").csrf(t)
	post := func(form url.Values) reply {
		t.Helper()
		form.Set("csrf", token)
		r := b.do("POST", "/whatif", form)
		if r.status == http.StatusSeeOther && r.header.Get("Location") != "/score#what-if" {
			t.Errorf("what-if redirect: %s", r.header.Get("Location"))
		}
		return r
	}

	// Utilisation under 30%: 30 → 80 points, 580 + 50 = 630, good.
	if r := post(url.Values{"improve": {"revolving_utilisation"}}); r.status != http.StatusSeeOther {
		t.Fatalf("what-if: %d %s", r.status, r.body)
	}
	r := b.get("/score")
	mustContain(t, "the what-if result", r.body, "Your what-if score: <span class=\"result-score\">630</span>",
		"Your score would be about 630, 50 points more than today's 580: a good score.",
		`id="improve-revolving_utilisation" name="improve" value="revolving_utilisation" checked`)

	// Twelve more months paid on time, by hand from personEvents: as of
	// 12 months on, the missed payment (3 months ago) and the inquiry (2
	// months ago) leave their 12-month windows: 30 → 60 each; 21 of 22
	// payments on time stays in [0.9, 0.97): 50; 32 months on file: 40;
	// utilisation stays 0.6: 30; the bills carry on, paid on time: 50; the
	// rental (2 months ago) leaves its window: 40 → missing, 20. So 580 +
	// 30 + 30 − 20 = 620. With no new event at all the bills leave their
	// window too (50 → missing 20): 590.
	post(url.Values{"months": {"12"}})
	r = b.get("/score")
	mustContain(t, "the 12-month what-if", r.body, "Your score would be about 620, 40 points more than today's 580",
		"With no new payments at all, by "+f.clock.now().AddDate(0, 12, 0).Format("2 January 2006")+" your score would be about 590 (+10)")

	// Both at once: 620 + 50 = 670.
	post(url.Values{"months": {"12"}, "improve": {"revolving_utilisation"}})
	mustContain(t, "both what-ifs", b.get("/score").body, "Your score would be about 670")

	// Nothing chosen: an error summary linking to the field.
	post(url.Values{"months": {"0"}})
	r = b.get("/score")
	mustContain(t, "an empty what-if", r.body, `<a href="#months">Choose at least one change`, `id="months-error"`)

	// Tampered forms name the field.
	if r := post(url.Values{"months": {"7"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, escapeText(`Field months: "7"`)) {
		t.Errorf("months 7: %d %s", r.status, r.body)
	}
	if r := post(url.Values{"improve": {"<b>income</b>"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Field improve:") || strings.Contains(r.body, "<b>income") {
		t.Errorf("an unknown feature: %d", r.status)
	}

	// Nothing was written: the same events and features.
	after, err := f.store.Events(ctx, person)
	if err != nil {
		t.Fatal(err)
	}
	fv2, err := f.store.Features(ctx, person, f.clock.now())
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(events) || len(fv2.Values) != len(fv.Values) {
		t.Fatalf("the what-if changed the file: %d → %d events", len(events), len(after))
	}
	for k, x := range fv.Values {
		if fv2.Values[k] != x {
			t.Errorf("feature %s: %v → %v", k, x, fv2.Values[k])
		}
	}
}

func TestDataPage(t *testing.T) {
	f := newFixture(t, nil)
	if err := f.store.SuppressEvent(context.Background(), furnisher, "pay-3"); err != nil {
		t.Fatal(err)
	}
	// An open dispute of another record: flagged, still counted.
	if err := f.store.OpenDispute(context.Background(), opencredit.Dispute{ID: "d1", Subject: person, Source: furnisher, EventID: "pay-2",
		Comment: "I paid this", OpenedAt: f.clock.now(), Status: opencredit.DisputeOpen}); err != nil {
		t.Fatal(err)
	}
	b := f.browser()
	b.signIn(f.keys[selfID])
	before := f.audit.Size()
	r := b.get("/data")
	if r.status != http.StatusOK {
		t.Fatalf("/data: %d", r.status)
	}
	now := f.clock.now()
	due := monthDay(now, 3, 20)
	mustContain(t, "the data page", r.body,
		"29 records from the companies that report to us",
		`<span class="group-title">Credit card card-1</span>`, `<span class="group-title">Utility bills, account power-1</span>`,
		"From furn-a: 20 records", // card-1: opened, 9 statements, 10 payments
		"<td>"+escapeText("Missed: 25.00 EUR due on "+due.Format("2 January 2006")+", 30 days past due")+` <strong class="tag tag-amber">Not counted: disputed and suppressed</strong>`,
		"Statement: balance 600.00 EUR of a 1,000.00 EUR limit; up to date",
		"Credit application (a hard inquiry, which counts in your score) for credit application",
		"Identity verified at level 1 of 3 (data match)",
		// The hostile item, escaped.
		"Returned "+hostile,
		"reporting records about you", "Share of card and credit-line limits in use", "60%")
	if strings.Contains(r.body, hostile) {
		t.Error("the page holds an event's script unescaped")
	}
	if n := strings.Count(r.body, "Disputed: counted until the company that sent it answers"); n != 1 {
		t.Errorf("%d records flagged as disputed, want the one with an open dispute", n)
	}
	recs := f.records(before)
	if len(recs) != 1 || recs[0].Action != audit.ActionSubjectData || recs[0].Subject != person || recs[0].Client != selfID {
		t.Errorf("records of the data page: %+v", recs)
	}
}

// TestOwnFileOnly: another person's key shows that person's file, and
// nothing of the first person's; no page takes a subject id to reach
// another.
func TestOwnFileOnly(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[otherID])
	for _, path := range []string{"/score", "/data", "/data?subject=" + person, "/score?subject=" + person} {
		r := b.get(path)
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", path, r.status)
		}
		if strings.Contains(r.body, "card-1") || strings.Contains(r.body, person) {
			t.Errorf("%s shows the other person's file", path)
		}
	}
	for _, rec := range f.records(0) {
		if rec.Client == otherID && rec.Subject != other {
			t.Errorf("the other person's session read %s", rec.Subject)
		}
	}
}

func TestNotFoundAndHome(t *testing.T) {
	f := newFixture(t, nil)
	b := f.browser()
	if r := b.get("/"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/signin" {
		t.Errorf("/ signed out: %d %s", r.status, r.header.Get("Location"))
	}
	if r := b.get("/nowhere"); r.status != http.StatusNotFound || !strings.Contains(r.body, "Page not found") {
		t.Errorf("/nowhere: %d", r.status)
	}
	if r := b.get("/static/site.css"); r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
		t.Errorf("the stylesheet: %d %s", r.status, r.header.Get("Content-Type"))
	}
	b.signIn(f.keys[selfID])
	if r := b.get("/"); r.header.Get("Location") != "/score" {
		t.Errorf("/ signed in: %s", r.header.Get("Location"))
	}
}

// escapeText is s as html/template writes it in text.
func escapeText(s string) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse("{{.}}")).Execute(&b, s); err != nil {
		panic(err)
	}
	return b.String()
}

// TestNoAdviceAgainstItsOwnSense: a model whose utilisation points are
// highest above 0.75 (a points table need not be monotone: 50, 10, 0 and
// 100 points from low to high) would give the person, at 0.6, 100 more
// points there. The score page says what utilisation costs and, as what
// would help, points the person the advice's way only, to under 30% for
// +50; the what-if offers that and never more utilisation.
func TestNoAdviceAgainstItsOwnSense(t *testing.T) {
	fixtureModel = func(tb testing.TB) *model.Model { return pageModelWith(tb, []int{50, 10, 0, 100}) }
	t.Cleanup(func() { fixtureModel = pageModel })
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])
	r := b.get("/score")
	mustContain(t, "the score page", r.body, "Share of card and credit-line limits in use: 60%", "This costs you 100 points against the best possible.",
		"Keep your card and credit-line balances under 30% of their limits — worth about +50 points", `id="improve-revolving_utilisation"`)
	for _, bad := range []string{"at least 75%", "the model gives the most points for"} {
		if strings.Contains(r.body, bad) {
			t.Errorf("the score page offers raising utilisation: it contains %q", bad)
		}
	}
}

// TestPairReasonInOwnValues: a pair's reason on the score page says the
// person's own two values, as a feature's does, not the cell's ranges. The
// pair (missed payments × time on file) pays 45 points to everyone but
// those with a missed payment and under 24 months on file, as the person
// (1 missed, 20 months).
func TestPairReasonInOwnValues(t *testing.T) {
	fixtureModel = func(tb testing.TB) *model.Model {
		m := pageModel(tb)
		f64 := func(x float64) *float64 { return &x }
		m.Pairs = []model.Pair{{
			Features:  [2]string{features.MissedPayments12m, features.MonthsOnFile},
			Dimension: "payment_history", ReasonCode: "PX01",
			Axes: [2]model.Axis{
				{Kind: model.Numeric, Integer: true, Bins: []model.Bin{{Upper: f64(1)}, {Lower: f64(1)}, {Missing: true}}},
				{Kind: model.Numeric, Integer: true, Bins: []model.Bin{{Upper: f64(24)}, {Lower: f64(24)}, {Missing: true}}},
			},
			Logit:  [][]float64{{0, 0, 0}, {0.6, 0, 0}, {0, 0, 0}},
			Points: [][]int{{45, 45, 45}, {0, 45, 45}, {45, 45, 45}},
		}}
		m.Pairs[0].DescribeBins(m)
		if err := m.Prepare(); err != nil {
			tb.Fatal(err)
		}
		return m
	}
	t.Cleanup(func() { fixtureModel = pageModel })
	f := newFixture(t, nil)
	b := f.browser()
	b.signIn(f.keys[selfID])
	r := b.get("/score")
	mustContain(t, "the score page", r.body, "Missed payments in the last 12 months: 1; Time on file: 20 months")
	if strings.Contains(r.body, "1 or more") {
		t.Error("the pair's reason reads as the cell's range")
	}
}
