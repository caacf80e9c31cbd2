package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive Debian's chromium headless through chromedp.
// They run when OPENCREDIT_TEST_CHROMIUM names the binary (.ci/run sets
// it), and write their screenshots to OPENCREDIT_TEST_SCREENSHOTS, or else
// to opencredit-screenshots in the temporary directory; the path is logged.

// chrome starts a fresh headless chromium for one test and returns its
// context, with a deadline so that a stuck page fails instead of hanging.
func chrome(t *testing.T) context.Context {
	t.Helper()
	bin := os.Getenv("OPENCREDIT_TEST_CHROMIUM")
	if bin == "" {
		t.Skip("browser test: set OPENCREDIT_TEST_CHROMIUM=/usr/bin/chromium (apt-get install chromium) to run it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page and returns its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// screenshotDir is where the screenshots go.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("OPENCREDIT_TEST_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "opencredit-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shoot saves a full-page screenshot as name.png.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(screenshotDir(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// width sets the viewport's width in CSS pixels (and so what the media
// queries see), at a device scale of 1.
func width(px int64) chromedp.Action[chromedp.Void] {
	if px < 600 {
		return chromedp.EmulateViewport(px, 900, chromedp.EmulateMobile)
	}
	return chromedp.EmulateViewport(px, 900)
}

// noOverflow checks that nothing makes the page wider than the viewport.
func noOverflow(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	out := eval[struct {
		Scroll int      `json:"scroll"`
		Client int      `json:"client"`
		Wide   []string `json:"wide"`
	}](t, ctx, `(() => {
		const w = document.documentElement.clientWidth;
		const wide = [...document.querySelectorAll('body *')].filter(e => {
			const r = e.getBoundingClientRect();
			return r.width > 0 && r.right > w + 1 && !e.closest('.table-wrap') && !e.closest('.visually-hidden');
		}).slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
		return {scroll: document.documentElement.scrollWidth, client: w, wide: wide};
	})()`)
	if out.Scroll > out.Client || len(out.Wide) > 0 {
		t.Errorf("%s overflows a %d px viewport: scroll width %d; %v", page, out.Client, out.Scroll, out.Wide)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBrowserPages(t *testing.T) {
	ctx := chrome(t)
	f := newFixture(t, nil)

	// A wrong key first: the error summary, linked to the field.
	run(t, ctx, chromedp.Navigate(f.url+"/"), chromedp.WaitVisible(chromedp.ID("key")),
		chromedp.SendKeys(chromedp.ID("key"), "oc_wrong"), chromedp.Submit(chromedp.ID("key")),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	if got := text(t, ctx, ".error-summary a"); !strings.HasPrefix(got, "Enter your personal key as it was given to you") {
		t.Errorf("error summary: %q", got)
	}
	shoot(t, ctx, "signin-error-desktop")
	run(t, ctx, width(320))
	noOverflow(t, ctx, "the sign-in page with an error")
	shoot(t, ctx, "signin-error-320")
	run(t, ctx, width(1280))

	// Then the right key.
	run(t, ctx, chromedp.SetValue(chromedp.ID("key"), f.keys[selfID]), chromedp.Submit(chromedp.ID("key")),
		chromedp.WaitVisible(chromedp.CSS(".dial-score")))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/score") || strings.Contains(loc, "oc_") {
		t.Errorf("after sign-in at %s", loc)
	}
	if got := text(t, ctx, ".dial-score"); got != "580" {
		t.Errorf("score %q, want 580 (pageModel)", got)
	}
	charts := eval[int](t, ctx, `document.querySelectorAll('svg.dial[role=img], svg.radar[role=img], svg.line[role=img]').length`)
	reasons := eval[int](t, ctx, `document.querySelectorAll('ol.reasons > li').length`)
	// Four principal reasons, and the inquiry's after them (FCRA §609(f)(9);
	// scoring adds it when inquiries cost points).
	if charts != 3 || reasons != 5 {
		t.Errorf("%d charts (want dial, radar, line) and %d reasons (want 5)", charts, reasons)
	}
	shoot(t, ctx, "score-desktop")
	run(t, ctx, width(320))
	noOverflow(t, ctx, "the score page")
	shoot(t, ctx, "score-320")
	run(t, ctx, width(1280))

	// The what-if: utilisation under 30% gives 630 (TestWhatIf works it out).
	run(t, ctx, chromedp.Click(chromedp.ID("improve-revolving_utilisation")),
		chromedp.Click(chromedp.CSS(`#what-if button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".result-score")))
	if got := text(t, ctx, ".result-score"); got != "630" {
		t.Errorf("what-if score %q, want 630", got)
	}
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/score#what-if") {
		t.Errorf("after the what-if at %s", loc)
	}
	shoot(t, ctx, "whatif-desktop")

	// My data, with every group open.
	run(t, ctx, chromedp.Click(chromedp.CSS(`a[href="/data"]`)), chromedp.WaitVisible(chromedp.ID("records")),
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('details').forEach(d => d.open = true)`))
	script := eval[int](t, ctx, `document.querySelectorAll('script').length`)
	if script != 0 {
		t.Errorf("the data page runs %d scripts: an event's text became markup", script)
	}
	shoot(t, ctx, "data-desktop")
	run(t, ctx, width(320))
	noOverflow(t, ctx, "the data page")
	shoot(t, ctx, "data-320")
	run(t, ctx, width(1280))

	// The rights pages: who asked, consents (withdraw one), freeze and lift.
	for _, pg := range []struct{ path, ready, name string }{
		{"/accesses", "#accesses-heading", "accesses"}, {"/consents", "#grant-heading", "consents"}, {"/freeze", "form[action='/freeze']", "freeze"},
		{"/erase", "form[action='/erase']", "erase"},
	} {
		run(t, ctx, chromedp.Navigate(f.url+pg.path), chromedp.WaitVisible(chromedp.CSS(pg.ready)))
		shoot(t, ctx, pg.name+"-desktop")
		run(t, ctx, width(320))
		noOverflow(t, ctx, "the "+pg.name+" page")
		shoot(t, ctx, pg.name+"-320")
		run(t, ctx, width(1280))
	}
	run(t, ctx, chromedp.Navigate(f.url+"/consents"), chromedp.WaitVisible(chromedp.CSS("form[action='/consents/withdraw'] button")),
		chromedp.Click(chromedp.CSS("form[action='/consents/withdraw'] button")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := text(t, ctx, ".notice"); !strings.Contains(got, "Your consent is withdrawn") {
		t.Errorf("after withdrawing: %q", got)
	}
	run(t, ctx, chromedp.Navigate(f.url+"/freeze"), chromedp.Click(chromedp.CSS("form[action='/freeze'] button")),
		chromedp.WaitReady(chromedp.CSS(`input[name=action][value=unfreeze]`)))
	if got := text(t, ctx, ".lead"); !strings.HasPrefix(got, "Your file is frozen since") {
		t.Errorf("after freezing: %q", got)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS("form[action='/freeze'] button")), chromedp.WaitReady(chromedp.CSS(`input[name=action][value=freeze]`)))
	if got := text(t, ctx, ".lead"); got != "Your file is not frozen." {
		t.Errorf("after lifting: %q", got)
	}

	// A form whose token was taken out is refused.
	run(t, ctx, chromedp.Navigate(f.url+"/score"), chromedp.WaitVisible(chromedp.ID("what-if")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#what-if input[name=csrf]').remove()`),
		chromedp.Click(chromedp.CSS(`#what-if button[type=submit]`)), chromedp.WaitNotPresent(chromedp.ID("what-if")))
	if got := text(t, ctx, "h1"); got != "This form has expired" {
		t.Errorf("a form without its token: %q", got)
	}

	// Sign out, and the score is out of reach.
	run(t, ctx, chromedp.Navigate(f.url+"/score"), chromedp.WaitVisible(chromedp.CSS(".signout button")),
		chromedp.Click(chromedp.CSS(".signout button")), chromedp.WaitVisible(chromedp.ID("key")))
	if got := text(t, ctx, ".notice"); !strings.Contains(got, "You are signed out") {
		t.Errorf("after sign-out: %q", got)
	}
	run(t, ctx, chromedp.Navigate(f.url+"/score"), chromedp.WaitVisible(chromedp.ID("key")))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/signin") {
		t.Errorf("signed out, /score went to %s", loc)
	}
}

func TestBrowserLinkAndRevocation(t *testing.T) {
	ctx := chrome(t)
	f := newFixture(t, nil)
	token, err := f.links.Issue(f.keys[selfID])
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(f.url+"/signin/"+token), chromedp.WaitVisible(chromedp.CSS(".dial-score")))
	if loc := location(t, ctx); !strings.HasSuffix(loc, "/score") {
		t.Errorf("the link landed at %s, want /score (the token out of the address bar)", loc)
	}
	// Used once: a second visit is refused.
	run(t, ctx, chromedp.Navigate(f.url+"/signin/"+token), chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := text(t, ctx, ".notice"); !strings.Contains(got, "used already or has expired") {
		t.Errorf("the link again: %q", got)
	}
	// The first session still stands; revoking the key ends it at the next page.
	run(t, ctx, chromedp.Navigate(f.url+"/data"), chromedp.WaitVisible(chromedp.ID("records")))
	if err := f.store.RevokeClient(context.Background(), selfID, f.clock.now()); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("key")))
	if loc := location(t, ctx); !strings.Contains(loc, "/signin") {
		t.Errorf("after revocation at %s", loc)
	}
}

// TestBrowserKeyboard: Tab alone reaches every link and control of each
// page, each with a visible focus style; the skip link comes first and
// moves focus to the content; sign-in and the what-if work from the keyboard.
func TestBrowserKeyboard(t *testing.T) {
	ctx := chrome(t)
	f := newFixture(t, nil)
	run(t, ctx, chromedp.Navigate(f.url+"/signin"), chromedp.WaitVisible(chromedp.ID("key")))
	tabThrough(t, ctx, "the sign-in page")
	// Sign in with keys only: focus the field by Tab, type, Enter.
	run(t, ctx, chromedp.Navigate(f.url+"/signin"), chromedp.WaitVisible(chromedp.ID("key")))
	for range 10 {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		if eval[string](t, ctx, `document.activeElement.id`) == "key" {
			break
		}
	}
	run(t, ctx, chromedp.KeyEvent(f.keys[selfID]), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(".dial-score")))

	// The skip link is the first stop and takes focus to the main content.
	run(t, ctx, chromedp.KeyEvent(kb.Tab))
	first := eval[string](t, ctx, `document.activeElement.textContent.trim()`)
	run(t, ctx, chromedp.KeyEvent(kb.Enter))
	after := eval[string](t, ctx, `document.activeElement.id`)
	if first != "Skip to main content" || after != "main" {
		t.Errorf("first stop %q, after Enter focus on #%s; want the skip link, then #main", first, after)
	}
	run(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".dial-score")))
	tabThrough(t, ctx, "the score page")

	// The what-if from the keyboard: Tab to the checkbox, Space, Tab on to
	// the button, Enter.
	run(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".dial-score")))
	for step := 0; ; step++ {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		if eval[string](t, ctx, `document.activeElement.id`) == "improve-revolving_utilisation" {
			break
		}
		if step > 200 {
			t.Fatal("Tab never reached the what-if's checkbox")
		}
	}
	run(t, ctx, chromedp.KeyEvent(" "))
	for step := 0; ; step++ {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		if eval[bool](t, ctx, `document.activeElement.closest('#what-if') !== null && document.activeElement.type === 'submit'`) {
			break
		}
		if step > 20 {
			t.Fatal("Tab never reached the what-if's button")
		}
	}
	run(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(".result-score")))
	if got := text(t, ctx, ".result-score"); got != "630" {
		t.Errorf("keyboard what-if: %q, want 630", got)
	}
	run(t, ctx, chromedp.Navigate(f.url+"/data"), chromedp.WaitVisible(chromedp.ID("records")))
	tabThrough(t, ctx, "the data page")
}

// tabThrough presses Tab until focus has gone round the page, and checks
// that every visible link, button, field and disclosure was reached with
// a visible focus style (an outline or a box shadow).
func tabThrough(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	want := eval[[]string](t, ctx, `window.__name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.getAttribute('href') ? '[' + e.getAttribute('href') + ']' : '') + (e.name ? '(' + e.name + ')' : '') + (e.tagName === 'SUMMARY' || e.tagName === 'BUTTON' ? '{' + e.textContent.trim().slice(0, 30) + '}' : '');
		[...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
			.filter(e => e.getClientRects().length > 0 || e.classList.contains('skip-link'))
			.filter(e => !e.closest('details:not([open]) > :not(summary)'))
			.map(window.__name)`)
	seen := map[string]bool{}
	var firstStop string
	for step := 0; step < len(want)+30; step++ {
		run(t, ctx, chromedp.KeyEvent(kb.Tab))
		s := eval[struct {
			Name    string `json:"name"`
			Visible bool   `json:"visible"`
		}](t, ctx, `(() => {
			const e = document.activeElement;
			const cs = getComputedStyle(e);
			return {name: window.__name(e), visible: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== 'none'};
		})()`)
		if s.Name == "body" {
			continue
		}
		if step > 0 && s.Name == firstStop {
			break
		}
		if firstStop == "" {
			firstStop = s.Name
		}
		if !s.Visible {
			t.Errorf("%s: %s has focus with no visible focus style", page, s.Name)
		}
		seen[s.Name] = true
	}
	var missed []string
	for _, w := range want {
		if !seen[w] {
			missed = append(missed, w)
		}
	}
	if len(missed) > 0 {
		t.Errorf("%s: Tab never reached %v (reached %d of %d)", page, missed, len(want)-len(missed), len(want))
	}
	if len(want) == 0 {
		t.Errorf("%s: no controls found", page)
	}
}
