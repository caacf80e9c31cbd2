package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/lifecycle"
	"github.com/opencredit/opencredit/scoring"
)

// shootBoth saves the page at 1280 px and at 320 px, and checks that
// nothing overflows the narrow one.
func shootBoth(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	shoot(t, ctx, name+"-desktop")
	run(t, ctx, width(320))
	noOverflow(t, ctx, "the "+name+" page")
	shoot(t, ctx, name+"-320")
	run(t, ctx, width(1280))
}

// TestBrowserDisputeFlow: the person disputes a record from My data, sees
// it flagged there and listed on My disputes; an operator, in a browser
// context of their own, finds it in the queue and resolves it verified;
// the person then reads the outcome.
func TestBrowserDisputeFlow(t *testing.T) {
	ctx := chrome(t)
	f := newFixture(t, nil)
	signIn := func(ctx context.Context, key, ready string) {
		t.Helper()
		run(t, ctx, chromedp.Navigate(f.url+"/signin"), chromedp.WaitVisible(chromedp.ID("key")),
			chromedp.SetValue(chromedp.ID("key"), key), chromedp.Submit(chromedp.ID("key")), chromedp.WaitVisible(chromedp.CSS(ready)))
	}
	// A lender's decision to review, and a model in the registry.
	bg := context.Background()
	if err := f.store.GrantConsent(bg, opencredit.Consent{Subject: person, Counterparty: lenderID, Purpose: opencredit.PurposeCreditApplication, GrantedAt: f.clock.now()}); err != nil {
		t.Fatal(err)
	}
	lender, err := f.store.ClientByKey(bg, opencredit.HashAPIKey(f.keys[lenderID]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.scoring.Decide(bg, scoring.Caller{Client: lender}, person, "card"); err != nil {
		t.Fatal(err)
	}
	if _, err := lifecycle.Add(bg, f.store, pageModel(t), "Page model", opsID, nil, f.clock.now()); err != nil {
		t.Fatal(err)
	}
	signIn(ctx, f.keys[selfID], ".dial-score")

	// My data: open the card's records and dispute the payment of two months ago.
	link := `a[href="/disputes/new?event=pay-2&source=furn-a"]`
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/data"]`)), chromedp.WaitVisible(chromedp.ID("records")),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`),
		chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.ID("comment")))
	shootBoth(t, ctx, "dispute-form")
	tabThrough(t, ctx, "the dispute form")
	// Sent empty: the error summary, whose link moves focus to the field.
	run(t, ctx, chromedp.Submit(chromedp.ID("comment")), chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	if got := text(t, ctx, ".error-summary a"); got != "Say what is wrong with the record" {
		t.Errorf("error summary: %q", got)
	}
	shootBoth(t, ctx, "dispute-form-error")
	run(t, ctx, chromedp.Click(chromedp.CSS(".error-summary a")))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "comment" {
		t.Errorf("the summary's link focused #%s, want #comment", id)
	}
	run(t, ctx, chromedp.SendKeys(chromedp.ID("comment"), hostileComment), chromedp.Submit(chromedp.ID("comment")),
		chromedp.WaitVisible(chromedp.CSS(".disputes")))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/disputes?done=opened") {
		t.Errorf("after the dispute at %s", loc)
	}
	if got := text(t, ctx, ".dispute .comment"); got != hostileComment {
		t.Errorf("the comment shown: %q", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('script, img').length`); n != 0 {
		t.Errorf("the disputes page holds %d scripts or images: the comment became markup", n)
	}
	if got := text(t, ctx, ".dispute-status"); got != "Waiting for the company's answer" {
		t.Errorf("status %q", got)
	}
	shootBoth(t, ctx, "disputes")
	tabThrough(t, ctx, "the disputes page")
	run(t, ctx, chromedp.Navigate(f.url+"/data"), chromedp.WaitVisible(chromedp.ID("records")))
	if n := eval[int](t, ctx, `[...document.querySelectorAll('.tag')].filter(e => e.textContent.startsWith('Disputed: counted')).length`); n != 1 {
		t.Errorf("%d records flagged on My data, want 1", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('`+link+`').length`); n != 0 {
		t.Error("the disputed record still offers its dispute link")
	}

	// The operator, in a new browser context (no cookies of the person's).
	octx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	signIn(octx, f.keys[opsID], ".queue")
	if loc := location(t, octx); !strings.HasSuffix(loc, "/ops/disputes") {
		t.Errorf("the operator landed at %s", loc)
	}
	if got := text(t, octx, ".queue .comment"); got != hostileComment {
		t.Errorf("the queue's comment: %q", got)
	}
	shootBoth(t, octx, "ops-disputes")
	// The person's pages are not the operator's.
	run(t, octx, chromedp.Navigate(f.url+"/score"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text(t, octx, "h1"); got != "This page is for the person a file is about" {
		t.Errorf("an operator at /score: %q", got)
	}
	run(t, octx, chromedp.Navigate(f.url+"/ops/disputes"), chromedp.WaitVisible(chromedp.CSS(".resolve")),
		chromedp.Click(chromedp.CSS(`.resolve input[value=verified]`)),
		chromedp.SendKeys(chromedp.CSS(".resolve textarea"), "Checked against our ledger: the payment was received."),
		chromedp.Click(chromedp.CSS(".resolve button")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := text(t, octx, ".notice"); !strings.Contains(got, "resolved as verified") {
		t.Errorf("after resolving: %q", got)
	}
	if n := eval[int](t, octx, `document.querySelectorAll('.resolve').length`); n != 0 {
		t.Errorf("%d resolve forms left after resolving the only dispute", n)
	}
	shootBoth(t, octx, "ops-disputes-resolved")

	// Back as the person: the outcome.
	run(t, ctx, chromedp.Navigate(f.url+"/disputes"), chromedp.WaitVisible(chromedp.CSS(".disputes")))
	if got := text(t, ctx, ".dispute-status"); got != "Checked: the company says the record is right" {
		t.Errorf("status after resolving: %q", got)
	}
	if got := text(t, ctx, ".outcome"); !strings.Contains(got, "Checked against our ledger") {
		t.Errorf("outcome: %q", got)
	}
	shootBoth(t, ctx, "disputes-resolved")
	// Ask for a review of a lender's decision.
	run(t, ctx, chromedp.Navigate(f.url+"/reviews"), chromedp.WaitVisible(chromedp.ID("decisions-heading")),
		chromedp.Click(chromedp.CSS(`a[href^="/reviews/new?decision="]`)), chromedp.WaitVisible(chromedp.ID("comment")))
	shootBoth(t, ctx, "review-form")
	run(t, ctx, chromedp.SendKeys(chromedp.ID("comment"), "My income went up last month; the model did not know."),
		chromedp.Submit(chromedp.ID("comment")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	shootBoth(t, ctx, "reviews")

	// The operator's other pages.
	for _, pg := range []struct{ path, ready, name string }{
		{"/ops/reviews", ".resolve", "ops-reviews"}, {"/ops/models", "table", "ops-models"},
		{"/ops/audit", "table.audit", "ops-audit"}, {"/ops/programs", ".facts", "ops-programs"},
	} {
		run(t, octx, chromedp.Navigate(f.url+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
		shootBoth(t, octx, pg.name)
	}
	run(t, octx, chromedp.Navigate(f.url+"/ops/models"), chromedp.Click(chromedp.CSS(`a[href$="/card"]`)), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text(t, octx, "h1"); !strings.HasPrefix(got, "Model card") {
		t.Errorf("the model card's heading: %q", got)
	}
	// The card is report's standalone document, made for a desktop or
	// print: its wide tables scroll at 320 px, so it is only shot there.
	shoot(t, octx, "ops-model-card-desktop")
	run(t, octx, width(320))
	shoot(t, octx, "ops-model-card-320")
	run(t, octx, width(1280))

	// An operator's page is not the person's.
	run(t, ctx, chromedp.Navigate(f.url+"/ops/disputes"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text(t, ctx, "h1"); got != "This page is for OpenCredit's operators" {
		t.Errorf("the person at /ops/disputes: %q", got)
	}
}
