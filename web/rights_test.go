package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opencredit/opencredit"
)

// lenderPull asks for the person's score as the lender, through the API.
func (f *fixture) lenderPull(t *testing.T, purpose string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", f.url+"/v1/subjects/"+person+"/score?purpose="+purpose, nil)
	req.Header.Set("Authorization", "Bearer "+f.keys[lenderID])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRightsPages(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	b := f.browser()
	b.signIn(f.keys[selfID])
	token := b.get("/score").csrf(t)
	post := func(path string, form url.Values) reply {
		t.Helper()
		form.Set("csrf", token)
		return b.do("POST", path, form)
	}

	// The lender, without consent, is refused, and the refusal is in the history.
	if st := f.lenderPull(t, opencredit.PurposeCreditApplication); st != http.StatusForbidden {
		t.Fatalf("a pull without consent: %d", st)
	}
	r := b.get("/accesses")
	mustContain(t, "the access history", r.body, "Read your score", "You", "Lender A (lender)", "credit application", "Refused (forbidden)")

	// Consents: give the lender one, see it, withdraw it; each takes effect at once.
	if r := post("/consents/grant", url.Values{"counterparty": {lenderID}, "purpose": {opencredit.PurposeCreditApplication}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/consents?done=granted" {
		t.Fatalf("grant: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	mustContain(t, "the consents", b.get("/consents?done=granted").body, "Your consent is recorded.", "<strong>lender-a</strong>, for credit application", "<strong>furn-a</strong>, for reporting records about you")
	if st := f.lenderPull(t, opencredit.PurposeCreditApplication); st != http.StatusOK {
		t.Errorf("a pull with consent: %d", st)
	}

	// Freeze: the lender is refused while it holds; lifted, it is not.
	if r := post("/freeze", url.Values{"action": {"freeze"}}); r.status != http.StatusSeeOther || r.header.Get("Location") != "/freeze?done=frozen" {
		t.Fatalf("freeze: %d %s", r.status, r.body)
	}
	mustContain(t, "the freeze page", b.get("/freeze").body, "Your file is frozen since", `value="unfreeze"`)
	if st := f.lenderPull(t, opencredit.PurposeCreditApplication); st == http.StatusOK {
		t.Errorf("a pull of a frozen file: %d", st)
	}
	if r := post("/freeze", url.Values{"action": {"unfreeze"}}); r.status != http.StatusSeeOther {
		t.Fatalf("unfreeze: %d", r.status)
	}
	mustContain(t, "the freeze page", b.get("/freeze").body, "Your file is not frozen.", "lifted on")
	if st := f.lenderPull(t, opencredit.PurposeCreditApplication); st != http.StatusOK {
		t.Errorf("a pull after the freeze is lifted: %d", st)
	}
	if r := post("/freeze", url.Values{"action": {"melt"}}); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Field action") {
		t.Errorf("action melt: %d", r.status)
	}

	if r := post("/consents/withdraw", url.Values{"counterparty": {lenderID}, "purpose": {opencredit.PurposeCreditApplication}}); r.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", r.status, r.body)
	}
	if ok, err := f.store.HasConsent(ctx, person, lenderID, opencredit.PurposeCreditApplication, f.clock.now()); err != nil || ok {
		t.Errorf("after withdrawal the consent holds: %v %v", ok, err)
	}
	if st := f.lenderPull(t, opencredit.PurposeCreditApplication); st != http.StatusForbidden {
		t.Errorf("a pull after withdrawal: %d", st)
	}

	// A consent to no one, or for nothing: the error summary links to the field.
	r = post("/consents/grant", url.Values{"counterparty": {""}, "purpose": {"x"}})
	mustContain(t, "an empty grant", r.body, `<a href="#counterparty">Enter the id of the company`, `<a href="#purpose">Choose what the consent is for`)
	if r.status != http.StatusBadRequest {
		t.Errorf("an empty grant: %d", r.status)
	}
	r = post("/consents/grant", url.Values{"counterparty": {"nobody"}, "purpose": {opencredit.PurposeCreditApplication}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `<a href="#counterparty">`) {
		t.Errorf("a grant to an unknown company: %d", r.status)
	}

	// Without the token nothing changes.
	if r := b.do("POST", "/freeze", url.Values{"action": {"freeze"}}); r.status != http.StatusForbidden {
		t.Errorf("a freeze without the token: %d", r.status)
	}
	if st := f.lenderPull(t, opencredit.PurposeAccountReview); st == http.StatusOK {
		t.Error("account_review is not the lender's purpose; the fixture is wrong")
	}

	// Export: a file to save, the whole document: the 29 events of
	// personEvents and the hard inquiry the lender's credit_application
	// pulls left (two pulls within the inquiry window: one inquiry).
	r = b.get("/export")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("export: %d %v", r.status, r.header)
	}
	var ex struct {
		Version string            `json:"version"`
		Events  []json.RawMessage `json:"events"`
		Freezes []json.RawMessage `json:"freezes"`
	}
	if err := json.Unmarshal([]byte(r.body), &ex); err != nil || ex.Version == "" || len(ex.Events) != 30 || len(ex.Freezes) != 1 {
		t.Errorf("export: %v, version %q, %d events (want 30), %d freezes (want 1)", err, ex.Version, len(ex.Events), len(ex.Freezes))
	}
	// The pages link to each right.
	mustContain(t, "the score page", b.get("/score").body, `<a href="/accesses">`, `<a href="/consents">`, `<a href="/freeze">`, `<a href="/export">`)
}

// TestErasePage: erasure asks for a ticked confirmation (the error summary
// links to the box), then erases through the rights use case — no PII, no
// events left, the erasure recorded — ends the session, and says how many
// records went; a POST without the form's token erases nothing.
func TestErasePage(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	b := f.browser()
	b.signIn(f.keys[selfID])
	mustContain(t, "the score page", b.get("/score").body, `<a href="/erase">Erase your data</a>`)
	r := b.get("/erase")
	token := r.csrf(t)
	mustContain(t, "the erasure page", r.body, "What is deleted", "What is kept, and why", `<label for="confirm">`)
	if r := b.do("POST", "/erase", url.Values{"confirm": {"yes"}}); r.status != http.StatusForbidden {
		t.Errorf("an erasure without the token: %d", r.status)
	}
	r = b.do("POST", "/erase", url.Values{"csrf": {token}})
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, `<a href="#confirm">Tick the box`) {
		t.Fatalf("an erasure without the confirmation: %d", r.status)
	}
	if evs, err := f.store.Events(ctx, person); err != nil || len(evs) == 0 {
		t.Fatalf("before the confirmed erasure: %d events, %v", len(evs), err)
	}
	r = b.do("POST", "/erase", url.Values{"csrf": {token}, "confirm": {"yes"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/signin?erased=") {
		t.Fatalf("the erasure: %d %s %s", r.status, r.header.Get("Location"), r.body)
	}
	mustContain(t, "the page after erasure", b.get(r.header.Get("Location")).body, "Your data is erased: 29 records about you were deleted")
	if _, err := f.store.SubjectPII(ctx, person); err == nil {
		t.Error("the PII is still there")
	}
	if r := b.get("/score"); r.status != http.StatusSeeOther {
		t.Errorf("the session lives on after erasure: %d", r.status)
	}
}
