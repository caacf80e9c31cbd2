package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/decision"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/httpapi"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/model"
	"github.com/opencredit/opencredit/model/modeltest"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/sqlite"
	"github.com/opencredit/opencredit/web"
)

// Ids of the fixture.
const (
	person    = "subj-web"   // the person the pages are about
	other     = "subj-other" // another person
	furnisher = "furn-a"
	selfID    = "self-web"   // person's subject client
	otherID   = "self-other" // other's subject client
	lenderID  = "lender-a"
	opsID     = "ops-a" // an operator client
	hostile   = `<script>alert("x")</script>`
)

// pageModel is a hand-built scorecard over every dimension. Base 300; the
// points of each bin (missing last):
//
//	on_time_payment_ratio_24m  PH01  <0.9: 0  [0.9,0.97): 50  ≥0.97: 90   missing 30
//	missed_payments_12m        PH02  <1: 60  [1,2): 30  ≥2: 0              missing 60
//	revolving_utilisation      CA01  <0.3: 80  [0.3,0.5): 60  [0.5,0.75): 30  ≥0.75: 0  missing 40
//	months_on_file             HS01  <12: 10  [12,36): 40  ≥36: 70        missing 0
//	identity_level             HS02  <2: 10  ≥2: 40                        missing 0
//	hard_inquiries_12m         NC01  <1: 60  [1,3): 30  ≥3: 0              missing 60
//	bills_on_time_ratio_12m    EO01  <0.9: 10  ≥0.9: 50                    missing 20
//	rentals_on_time_ratio_12m  EO02  <1: 10  ≥1: 40                        missing 20
//
// The person's file (personEvents) gives, by hand: on time 9 of 10 → 50,
// 1 missed → 30, utilisation 600/1000 → 30, 20 months on file → 40,
// identity level 1 → 10, 1 hard inquiry → 30, bills 6 of 6 → 50, rentals
// 1 of 1 → 40: 300 + 280 = 580, fair.
func pageModel(tb testing.TB) *model.Model { return pageModelWith(tb, []int{80, 60, 30, 0}) }

// pageModelWith is pageModel with the points of the utilisation bins
// (under 0.3, to 0.5, to 0.75, above) as given.
func pageModelWith(tb testing.TB, utilisation []int) *model.Model {
	tb.Helper()
	step := func(name, dim, code string, cuts []float64, pts []int, missing int) model.Feature {
		f := modeltest.Step(name, dim, code, cuts, pts, missing)
		def, _ := features.Lookup(name)
		f.Label, f.Unit = features.Labels[name], features.ReasonUnit(def)
		f.Integer = def.Unit != "ratio"
		f.DescribeBins()
		return f
	}
	m, err := modeltest.Scorecard(300,
		step(features.OnTimePaymentRatio24m, "payment_history", "PH01", []float64{0.9, 0.97}, []int{0, 50, 90}, 30),
		step(features.MissedPayments12m, "payment_history", "PH02", []float64{1, 2}, []int{60, 30, 0}, 60),
		step(features.RevolvingUtilisation, "capacity", "CA01", []float64{0.3, 0.5, 0.75}, utilisation, 40),
		step(features.MonthsOnFile, "history_stability", "HS01", []float64{12, 36}, []int{10, 40, 70}, 0),
		step(features.IdentityLevel, "history_stability", "HS02", []float64{2}, []int{10, 40}, 0),
		step(features.HardInquiries12m, "new_credit", "NC01", []float64{1, 3}, []int{60, 30, 0}, 60),
		step(features.BillsOnTimeRatio12m, "everyday_obligations", "EO01", []float64{0.9}, []int{10, 50}, 20),
		step(features.RentalsOnTimeRatio12m, "everyday_obligations", "EO02", []float64{1}, []int{10, 40}, 20),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// clock is a settable clock, starting at the real now (the store refuses
// events after its own, real, clock).
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is the API and the pages over a real SQLite store and audit log.
type fixture struct {
	t     testing.TB
	url   string
	store *sqlite.DB
	audit *audit.Log
	clock *clock
	links *web.Links
	keys  map[string]string // client id → key
	// scoring is the use case the API and the pages share.
	scoring *scoring.Service
}

// monthDay is day d of the calendar month k months before now's.
func monthDay(now time.Time, k, d int) time.Time {
	return time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, time.UTC).AddDate(0, -k, d-1)
}

func event(typ, id string, at time.Time, data any) opencredit.Event {
	b, err := json.Marshal(data)
	if err != nil {
		panic(err)
	}
	return opencredit.Event{SpecVersion: "1.0", ID: id, Source: furnisher, Type: typ, Subject: person, Time: at,
		DataContentType: "application/json", Data: b}
}

func ptr(x float64) *float64 { return &x }

// personEvents is the person's file, every event in a month before now's:
// identity verified (level 1) 20 months ago; a card with a 1,000 limit
// opened 10 months ago, a statement of 600 each month since, ten payments
// of which the one 3 months ago was missed by 30 days; six utility bills
// paid on time; one rental returned on time (its item a script, to test
// escaping); one hard inquiry 2 months ago.
func personEvents(now time.Time) []opencredit.Event {
	var es []opencredit.Event
	es = append(es, event(opencredit.TypeIdentityVerified, "id-1", monthDay(now, 20, 5), opencredit.IdentityVerified{Level: 1, Method: "data match"}))
	es = append(es, event(opencredit.TypeAccountOpened, "open-1", monthDay(now, 10, 1), opencredit.AccountOpened{AccountID: "card-1", Product: "card", CreditLimit: ptr(1000), Currency: "EUR"}))
	for k := 10; k >= 1; k-- {
		due := monthDay(now, k, 20)
		dd := opencredit.Date(due.Format(time.DateOnly))
		if k <= 9 {
			es = append(es, event(opencredit.TypeAccountStatement, fmt.Sprintf("st-%d", k), monthDay(now, k, 5),
				opencredit.AccountStatement{AccountID: "card-1", Balance: 600, CreditLimit: ptr(1000), MinimumDue: ptr(25), Currency: "EUR"}))
		}
		if k == 3 {
			es = append(es, event(opencredit.TypePaymentMissed, fmt.Sprintf("pay-%d", k), due.AddDate(0, 0, 30),
				opencredit.PaymentMissed{AccountID: "card-1", DueDate: dd, AmountDue: 25, DaysPastDue: 30, Currency: "EUR"}))
			continue
		}
		es = append(es, event(opencredit.TypePaymentMade, fmt.Sprintf("pay-%d", k), due,
			opencredit.PaymentMade{AccountID: "card-1", DueDate: dd, Amount: 25, AmountDue: 25, Currency: "EUR"}))
	}
	for k := 6; k >= 1; k-- {
		due := monthDay(now, k, 15)
		es = append(es, event(opencredit.TypeBillPaid, fmt.Sprintf("bill-%d", k), due,
			opencredit.BillPaid{BillType: "utility", AccountID: "power-1", DueDate: opencredit.Date(due.Format(time.DateOnly)), Amount: 80, Currency: "EUR"}))
	}
	es = append(es, event(opencredit.TypeRentalReturned, "rent-1", monthDay(now, 2, 8),
		opencredit.RentalReturned{RentalID: "bike-1", Item: hostile, DueAt: monthDay(now, 2, 9)}))
	es = append(es, event(opencredit.TypeInquiry, "inq-1", monthDay(now, 2, 3), opencredit.Inquiry{Kind: "hard", Purpose: "credit_application"}))
	return es
}

// newFixture starts the API and the pages; configure, if not nil, adjusts
// the Deps.
// fixtureModel is the model newFixture serves.
var fixtureModel = pageModel

func newFixture(tb testing.TB, configure func(*httpapi.Deps)) *fixture {
	tb.Helper()
	ctx := context.Background()
	st, log := apitest.Stores(tb)
	real := time.Now().UTC()
	clk := &clock{t: real}
	past := monthDay(real, 24, 1)
	for _, s := range []string{person, other} {
		if err := st.CreateSubject(ctx, s, opencredit.PII{Name: "Test " + s}, past); err != nil {
			tb.Fatal(err)
		}
		if err := st.GrantConsent(ctx, opencredit.Consent{Subject: s, Counterparty: furnisher, Purpose: opencredit.PurposeFurnishing, GrantedAt: past}); err != nil {
			tb.Fatal(err)
		}
	}
	f := &fixture{t: tb, store: st, audit: log, clock: clk, links: web.NewLinks(0, clk.now)}
	f.keys = apitest.Clients(tb, st, past,
		opencredit.Client{ID: furnisher, Name: "Furnisher A", Role: opencredit.RoleFurnisher},
		opencredit.Client{ID: lenderID, Name: "Lender A", Role: opencredit.RoleLender, Purposes: []string{opencredit.PurposeCreditApplication}},
		opencredit.Client{ID: selfID, Name: "The person", Role: opencredit.RoleSubject, Subject: person},
		opencredit.Client{ID: otherID, Name: "Another person", Role: opencredit.RoleSubject, Subject: other},
		opencredit.Client{ID: opsID, Name: "Operator A", Role: opencredit.RoleOperator})
	f.ingest(personEvents(real)...)

	deps := httpapi.Deps{Store: st, Audit: log, Now: clk.now, Links: f.links}
	if configure != nil {
		configure(&deps)
	}
	programs := []decision.Program{{ID: "card", Name: "Card A", Purpose: opencredit.PurposeCreditApplication, MinScore: 600}}
	svc, err := scoring.New(scoring.Config{Store: st, Model: fixtureModel(tb), Programs: programs, Log: log, Now: deps.Now})
	if err != nil {
		tb.Fatal(err)
	}
	deps.Scoring = svc
	f.scoring = svc
	srv := httptest.NewServer(httpapi.NewServer(deps))
	tb.Cleanup(srv.Close)
	f.url = srv.URL
	return f
}

func (f *fixture) ingest(es ...opencredit.Event) {
	f.t.Helper()
	res, err := f.store.Ingest(context.Background(), es)
	if err != nil {
		f.t.Fatal(err)
	}
	for i, r := range res {
		if r.Status != opencredit.Accepted {
			f.t.Fatalf("fixture event %s: %+v", es[i].ID, r)
		}
	}
}

// browser is a client with a cookie jar that does not follow redirects,
// so that each test sees the 303s.
type browser struct {
	t      testing.TB
	f      *fixture
	client *http.Client
}

func (f *fixture) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return &browser{t: f.t, f: f, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(method, path string, form url.Values) reply {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.f.url+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: string(raw)}
}

func (b *browser) get(path string) reply { return b.do("GET", path, nil) }

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the first form of a page.
func (r reply) csrf(t testing.TB) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no CSRF field in the page: %s", r.body)
	}
	return m[1]
}

// signIn signs in with a subject's key through the form and checks the
// redirect to the score.
func (b *browser) signIn(key string) { b.signInTo(key, "/score") }

// signInTo signs in with key and checks the redirect to home.
func (b *browser) signInTo(key, home string) {
	b.t.Helper()
	form := b.get("/signin")
	r := b.do("POST", "/signin", url.Values{"csrf": {form.csrf(b.t)}, "key": {key}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != home {
		b.t.Fatalf("sign in: %d %s, want 303 to %s: %s", r.status, r.header.Get("Location"), home, r.body)
	}
}
