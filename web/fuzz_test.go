package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
)

// signedInHandler signs the person in on the pages alone and returns the
// handler, the session cookie and the session's CSRF token.
func signedInHandler(t testing.TB) (http.Handler, *http.Cookie, string) {
	_, h, session, token := signedInFixture(t)
	return h, session, token
}

// signedInFixture is signedInHandler with its fixture.
func signedInFixture(t testing.TB) (*fixture, http.Handler, *http.Cookie, string) {
	f := newFixture(t, nil)
	h := f.handler()
	form := httpGetForm(t, h)
	w := record(h, formRequest("/signin", url.Values{"csrf": {form.token}, "key": {f.keys[selfID]}}, form.cookie))
	var session *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == "oc_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatalf("no session: %d", w.Code)
	}
	req := httptest.NewRequest("GET", "/score", nil)
	req.AddCookie(session)
	page := record(h, req)
	m := csrfField.FindStringSubmatch(page.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token: %d", page.Code)
	}
	return f, h, session, m[1]
}

// FuzzDisputeForm: any dispute form body opens a dispute and redirects
// (303), or is refused (400 with the form or naming what is wrong, 404 for
// a record not held, 409 for one disputed already, 403 for a repeated csrf)
// with nothing opened; never a panic or a 500.
func FuzzDisputeForm(f *testing.F) {
	for _, s := range []string{"source=furn-a&event=pay-2&comment=wrong", "source=furn-a&event=pay-2&comment=", "source=furn-a&event=nope&comment=x",
		"source=&event=&comment=x", "source=furn-a&event=pay-4&comment=%00", "source=furn-a&event=pay-5&comment=" + strings.Repeat("x", 2001),
		"source=furn-a&event=rent-1&comment=%3Cscript%3E", "%zz", ""} {
		f.Add(s)
	}
	fx, h, session, token := signedInFixture(f)
	f.Fuzz(func(t *testing.T, body string) {
		ctx := context.Background()
		before, err := fx.store.Disputes(ctx, opencredit.DisputeFilter{Subject: person})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("POST", "/disputes", strings.NewReader("csrf="+url.QueryEscape(token)+"&"+body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(session)
		w := record(h, req)
		after, err := fx.store.Disputes(ctx, opencredit.DisputeFilter{Subject: person})
		if err != nil {
			t.Fatal(err)
		}
		opened := len(after) - len(before)
		switch w.Code {
		case http.StatusSeeOther:
			if opened != 1 {
				t.Fatalf("%q: 303 with %d disputes opened", body, opened)
			}
		case http.StatusBadRequest, http.StatusNotFound, http.StatusConflict, http.StatusForbidden:
			if opened != 0 {
				t.Fatalf("%q: %d and %d disputes opened", body, w.Code, opened)
			}
		default:
			t.Fatalf("dispute %q: %d %s", body, w.Code, w.Body)
		}
	})
}

// FuzzWhatIfForm: any what-if form body is either kept and shown (303,
// then a score page that renders) or refused naming its field (400);
// never a panic or a 500.
func FuzzWhatIfForm(f *testing.F) {
	for _, s := range []string{"months=12", "improve=revolving_utilisation&months=6", "months=7", "improve=%3Cb%3E",
		"months=-1", "months=99999999999999999999", "improve=revolving_utilisation&improve=revolving_utilisation", "%zz", ""} {
		f.Add(s)
	}
	h, session, token := signedInHandler(f)
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/whatif", strings.NewReader("csrf="+url.QueryEscape(token)+"&"+body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(session)
		w := record(h, req)
		switch w.Code {
		case http.StatusSeeOther:
			get := httptest.NewRequest("GET", "/score", nil)
			get.AddCookie(session)
			if page := record(h, get); page.Code != http.StatusOK {
				t.Fatalf("after the what-if %q, /score: %d %s", body, page.Code, page.Body)
			}
		case http.StatusBadRequest:
			if !strings.Contains(w.Body.String(), "Field ") {
				t.Errorf("%q: a 400 that names no field: %s", body, w.Body)
			}
		case http.StatusForbidden: // a body that repeats csrf may take the first, the forged one
		default:
			t.Fatalf("what-if %q: %d %s", body, w.Code, w.Body)
		}
	})
}

// FuzzSignInForm: any sign-in form body is refused with the form again
// (400, 401, 403) or as a stale form (403); never a panic, a 500 or a
// session.
func FuzzSignInForm(f *testing.F) {
	for _, s := range []string{"key=", "key=oc_", "key=oc_" + strings.Repeat("A", 43), "key=%00", "key=" + strings.Repeat("x", 5000), "%zz"} {
		f.Add(s)
	}
	h := newFixture(f, nil).handler()
	f.Fuzz(func(t *testing.T, body string) {
		form := httpGetForm(t, h)
		req := httptest.NewRequest("POST", "/signin", strings.NewReader("csrf="+url.QueryEscape(form.token)+"&"+body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(form.cookie)
		w := record(h, req)
		switch w.Code {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		default:
			t.Fatalf("sign-in %q: %d %s", body, w.Code, w.Body)
		}
		for _, c := range w.Result().Cookies() {
			if c.Name == "oc_session" && c.Value != "" {
				t.Fatalf("sign-in %q started a session", body)
			}
		}
	})
}

// FuzzResolveForm: any body of the operator's dispute resolve form
// resolves the dispute with a 303 or is refused (400 naming the dispute,
// 403 for a repeated csrf) leaving it open; never a panic or a 500.
func FuzzResolveForm(f *testing.F) {
	for _, s := range []string{"outcome=verified", "outcome=deleted&note=gone", "outcome=corrected", "outcome=", "outcome=verified&note=%00",
		"outcome=deleted&note=" + strings.Repeat("x", 2001), "status=bogus", "%zz", ""} {
		f.Add(s)
	}
	fx := newFixture(f, nil)
	h := fx.handler()
	form := httpGetForm(f, h)
	w := record(h, formRequest("/signin", url.Values{"csrf": {form.token}, "key": {fx.keys[opsID]}}, form.cookie))
	var session *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == "oc_session" {
			session = c
		}
	}
	if session == nil {
		f.Fatalf("no operator session: %d", w.Code)
	}
	get := httptest.NewRequest("GET", "/ops/disputes", nil)
	get.AddCookie(session)
	m := csrfField.FindStringSubmatch(record(h, get).Body.String())
	if m == nil {
		f.Fatal("no CSRF token on the queue")
	}
	token := m[1]
	n := 0
	f.Fuzz(func(t *testing.T, body string) {
		ctx := context.Background()
		n++
		id, ev := "dsp_fuzz"+strconv.Itoa(n), "fuzz-"+strconv.Itoa(n) // a record of its own: deleted ones are gone
		e := event(opencredit.TypeIncomeVerified, ev, fx.clock.now().Add(-time.Hour), opencredit.IncomeVerified{MonthlyIncome: 2000, Currency: "EUR", Method: "payslip"})
		if res, err := fx.store.Ingest(ctx, []opencredit.Event{e}); err != nil || res[0].Status != opencredit.Accepted {
			t.Fatalf("ingest: %v %+v", err, res)
		}
		if err := fx.store.OpenDispute(ctx, opencredit.Dispute{ID: id, Subject: person, Source: furnisher, EventID: ev,
			Comment: "fuzz", OpenedAt: fx.clock.now(), Status: opencredit.DisputeOpen}); err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("POST", "/ops/disputes/"+id+"/resolve", strings.NewReader("csrf="+url.QueryEscape(token)+"&"+body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(session)
		w := record(h, req)
		d, err := fx.store.Dispute(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		switch w.Code {
		case http.StatusSeeOther:
			if d.Status == opencredit.DisputeOpen {
				t.Fatalf("%q: 303 and the dispute still open", body)
			}
		case http.StatusBadRequest:
			if d.Status != opencredit.DisputeOpen || !strings.Contains(w.Body.String(), "Dispute "+id) {
				t.Fatalf("%q: 400 with the dispute %s, or naming no dispute", body, d.Status)
			}
		case http.StatusForbidden:
			if d.Status != opencredit.DisputeOpen {
				t.Fatalf("%q: 403 and the dispute %s", body, d.Status)
			}
		default:
			t.Fatalf("resolve %q: %d %s", body, w.Code, w.Body)
		}
	})
}
