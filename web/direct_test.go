package web_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/web"
)

// handler returns the pages alone over the fixture's store, for requests
// made by hand (one over TLS).
func (f *fixture) handler() http.Handler {
	svc, err := scoring.New(scoring.Config{Store: f.store, Model: pageModel(f.t), Log: f.audit, Now: f.clock.now})
	if err != nil {
		f.t.Fatal(err)
	}
	return web.New(web.Config{Store: f.store, Scoring: svc, Now: f.clock.now})
}

type signInForm struct {
	token  string
	cookie *http.Cookie
}

func httpGetForm(t testing.TB, h http.Handler) signInForm {
	t.Helper()
	w := record(h, httptest.NewRequest("GET", "/signin", nil))
	var out signInForm
	for _, c := range w.Result().Cookies() {
		if c.Name == "oc_signin" {
			out.cookie = c
		}
	}
	m := csrfField.FindStringSubmatch(w.Body.String())
	if m == nil || out.cookie == nil {
		t.Fatalf("no sign-in token: %s", w.Body)
	}
	out.token = m[1]
	return out
}

func formRequest(path string, form url.Values, c *http.Cookie) *http.Request {
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if c != nil {
		req.AddCookie(c)
	}
	return req
}

func tlsState() *tls.ConnectionState { return &tls.ConnectionState{} }

func record(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
