package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/monitor"
)

// monitoredModel is pageModel with a development sample: 25 training rows
// in every bin of every feature (the missing bins included), and 100
// development scores in each of the buckets of 550, 600 and 650.
func monitoredModel(t testing.TB) *model.Model {
	m := pageModel(t)
	for j := range m.Features {
		for k := range m.Features[j].Bins {
			m.Features[j].Bins[k].Count = 25
		}
	}
	m.ScoreCounts = make([]int, m.Scaling.ScoreBuckets())
	for _, s := range []int{550, 600, 650} {
		m.ScoreCounts[m.Scaling.BucketOf(s)] = 100
	}
	return m
}

// observeStable counts n live scores spread as the development sample:
// bins in turn, and the three scores in turn. Over a multiple of 12 rows
// every share equals the development share, so every index is 0.
func observeStable(mo *monitor.Monitor, id string, m *model.Model, n int) {
	for i := range n {
		r := &model.Result{Score: []int{550, 600, 650}[i%3]}
		for _, f := range m.Features {
			r.Bins = append(r.Bins, i%len(f.Bins))
		}
		mo.Observe(id, m, r)
	}
}

// observeShifted counts n live scores of a recession: every one in the
// first bin of each feature and in the lowest score's bucket. After 240
// stable rows and 240 of these, a feature of k equal bins has live shares
// (1/k + 1)/2 in its first and 1/(2k) in each other, so its CSI is
// (1/2 − 1/(2k))·ln(1 + k) + (k−1)/(2k)·ln 2 (by hand): 0.462 for k = 3,
// 0.60 for k = 4, 0.72 for k = 5; the score's, over three buckets, 0.462.
// All are past 0.25, act.
func observeShifted(mo *monitor.Monitor, id string, m *model.Model, n int) {
	for range n {
		mo.Observe(id, m, &model.Result{Score: 550, Bins: make([]int, len(m.Features))})
	}
}

// TestMonitoringPage: a stable population shows every index stable and no
// alert; a shifted one the act banner, naming the score and the features,
// on the monitoring page and on the models page; the shadow comparison
// shows the swap set; a subject session is refused; the read is recorded.
func TestMonitoringPage(t *testing.T) {
	drift, shadow := monitor.New(nil), monitor.NewShadow([]int{600})
	f := newFixture(t, func(d *httpapi.Deps) { d.Drift, d.Shadow = drift, shadow })
	_, id := f.scoring.Model()
	m := monitoredModel(t)
	ops := f.browser()
	ops.signInTo(f.keys[opsID], "/ops/disputes")

	empty := ops.get("/ops/monitoring")
	mustContain(t, "the monitoring page before any score", empty.body, "No live score yet", "No challenger is scoring in shadow", `aria-current="page">Monitoring`)

	observeStable(drift, id, m, 240)
	before := f.audit.Size()
	stable := ops.get("/ops/monitoring")
	if stable.status != http.StatusOK {
		t.Fatalf("the monitoring page: %d %s", stable.status, stable.body)
	}
	mustContain(t, "the stable page", stable.body, id, "today 240 scores", "The score", "Share of payments made on time in the last 24 months", `<strong class="badge badge-stable">Stable</strong> <span class="num index">0.000`)
	if strings.Contains(stable.body, `role="alert"`) || strings.Contains(stable.body, "badge-watch") || strings.Contains(stable.body, "badge-act") {
		t.Error("a stable population raises an alert")
	}
	if models := ops.get("/ops/models"); strings.Contains(models.body, `role="alert"`) {
		t.Error("the models page shows an alert for a stable population")
	}
	recs := f.records(before)
	// The monitoring page's read, then the models page's.
	if len(recs) != 2 || recs[0].Action != "models_read" || recs[0].Client != opsID || recs[0].Result.Model != id {
		t.Errorf("the monitoring page's record: %+v", recs)
	}

	// The recession: as many shifted scores again.
	observeShifted(drift, id, m, 240)
	shifted := ops.get("/ops/monitoring")
	mustContain(t, "the shifted page", shifted.body, `role="alert"`, `<strong class="badge badge-act">Act</strong> The people scored have shifted`,
		"Act: the score, 0.462 today and 0.462 over the last 7 days",
		"Act: “Share of payments made on time in the last 24 months”, 0.604 today and 0.604 over the last 7 days")
	models := ops.get("/ops/models")
	mustContain(t, "the models page of a shifted population", models.body, `role="alert"`, `href="/ops/monitoring"`, "have shifted")

	// A challenger in shadow: (champion, challenger) = (610, 590) swaps to
	// the champion at 600, (580, 605) to the challenger, (700, 700) does not.
	for _, p := range [][2]int{{610, 590}, {580, 605}, {700, 700}} {
		shadow.Compare(id, &model.Result{Score: p[0]}, "challenger-b", &model.Result{Score: p[1]})
	}
	sh := ops.get("/ops/monitoring")
	// Differences −20, +25, 0: mean +1.7, mean absolute 15.0 (by hand).
	mustContain(t, "the shadow comparison", sh.body, "<strong>challenger-b</strong>", "3 requests", "+1.7 points", "15.0 points",
		`Cut-off </span>600</td><td class="num">1 (33%)`)

	self := f.browser()
	self.signIn(f.keys[selfID])
	if r := self.get("/ops/monitoring"); r.status != http.StatusForbidden {
		t.Errorf("a subject session at the monitoring page: %d", r.status)
	}
}

// TestMonitoringPageWithoutMonitor: a server started without a monitor
// says so instead of showing empty tables.
func TestMonitoringPageWithoutMonitor(t *testing.T) {
	f := newFixture(t, nil)
	ops := f.browser()
	ops.signInTo(f.keys[opsID], "/ops/disputes")
	r := ops.get("/ops/monitoring")
	mustContain(t, "the page without a monitor", r.body, "does not monitor drift", "cannot run a challenger")
}

// TestBrowserMonitoring: the monitoring page of a shifted population with
// a challenger in shadow, in Chromium at 1280 and 320 px: the banner is
// an alert region whose badge says its level in words, and the page does
// not overflow.
func TestBrowserMonitoring(t *testing.T) {
	ctx := chrome(t)
	drift, shadow := monitor.New(nil), monitor.NewShadow([]int{600, 650})
	f := newFixture(t, func(d *httpapi.Deps) { d.Drift, d.Shadow = drift, shadow })
	_, id := f.scoring.Model()
	m := monitoredModel(t)
	observeStable(drift, id, m, 240)
	observeShifted(drift, id, m, 240)
	for _, p := range [][2]int{{610, 590}, {580, 605}, {700, 700}, {655, 640}} {
		shadow.Compare(id, &model.Result{Score: p[0]}, "challenger-b", &model.Result{Score: p[1]})
	}
	run(t, ctx, chromedp.Navigate(f.url+"/signin"), chromedp.WaitVisible(chromedp.ID("key")),
		chromedp.SetValue(chromedp.ID("key"), f.keys[opsID]), chromedp.Submit(chromedp.ID("key")), chromedp.WaitVisible(chromedp.CSS(".queue, h1")),
		chromedp.Click(chromedp.CSS(`a[href="/ops/monitoring"]`)), chromedp.WaitVisible(chromedp.CSS("table.drift")))
	if got := text(t, ctx, `[role="alert"] h2 .badge`); got != "Act" {
		t.Errorf("the banner's badge says %q, want Act", got)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('table.drift .badge').length`); n != 2*(1+len(m.Features)) {
		t.Errorf("%d badges in the table, want one per index: %d", n, 2*(1+len(m.Features)))
	}
	shootBoth(t, ctx, "ops-monitoring")
	run(t, ctx, chromedp.Navigate(f.url+"/ops/models"), chromedp.WaitVisible(chromedp.CSS(`[role="alert"]`)))
	shootBoth(t, ctx, "ops-models-alert")
}
