package rights_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/audit/audittest"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/pii"
	"github.com/opencredit/opencredit/rights"
	"github.com/opencredit/opencredit/scoring"
	"github.com/opencredit/opencredit/sqlite"
)

// clock is an injected clock that a test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// fixture is a SQLite store with two people, Own and Other, a furnisher,
// a lender and an operator; Own consented to the lender for every lender
// purpose and holds two hard inquiries; the rights and scoring services
// share the store, one in-memory audit log and the clock.
type fixture struct {
	st      *sqlite.DB
	log     *audit.Log
	rights  *rights.Service
	scoring *scoring.Service
	clock   *clock
}

var (
	lender    = opencredit.Client{ID: "lender-a", Name: "Lender A", Role: opencredit.RoleLender, Purposes: opencredit.LenderPurposes()}
	furnisher = opencredit.Client{ID: "furn-a", Name: "Furnisher A", Role: opencredit.RoleFurnisher}
	operator  = opencredit.Client{ID: "ops", Name: "Operator", Role: opencredit.RoleOperator}
	self      = opencredit.Client{ID: "self-own", Name: "subject own", Role: opencredit.RoleSubject, Subject: "own"}
)

func by(c opencredit.Client) scoring.Caller { return scoring.Caller{Client: c, RequestID: "r-" + c.ID} }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "opencredit.db"), pii.DemoKeys())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	signer, verifier := audittest.Keys(t)
	log, err := audit.Open(ctx, audit.NewMemoryStorage(), signer, verifier)
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	clk := &clock{t: time.Now().UTC().Truncate(time.Second)}
	for _, s := range []string{"own", "other"} {
		check(t, st.CreateSubject(ctx, s, opencredit.PII{Name: "Person " + s, NationalID: "N-" + s, DateOfBirth: "1980-02-03"}, past))
	}
	for _, c := range []opencredit.Client{lender, furnisher, operator, self} {
		_, hash, err := opencredit.NewAPIKey()
		check(t, err)
		c.CreatedAt = past
		check(t, st.CreateClient(ctx, c, hash))
	}
	check(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "own", Counterparty: furnisher.ID, Purpose: opencredit.PurposeFurnishing, GrantedAt: past}))
	for _, p := range opencredit.LenderPurposes() {
		check(t, st.GrantConsent(ctx, opencredit.Consent{Subject: "own", Counterparty: lender.ID, Purpose: p, GrantedAt: past}))
	}
	res, err := st.Ingest(ctx, []opencredit.Event{apitest.Inquiry(furnisher.ID, "own", "inq-0"), apitest.Inquiry(furnisher.ID, "own", "inq-1")})
	check(t, err)
	for _, r := range res {
		if r.Status != opencredit.Accepted {
			t.Fatalf("fixture event %+v", r)
		}
	}
	rs, err := rights.New(rights.Config{Store: st, Log: log, Now: clk.now})
	check(t, err)
	sc, err := scoring.New(scoring.Config{Store: st, Model: apitest.Model(t), Log: log, Now: clk.now})
	check(t, err)
	return &fixture{st: st, log: log, rights: rs, scoring: sc, clock: clk}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustCode(t *testing.T, err error, want, what string) {
	t.Helper()
	if got := opencredit.ErrorCode(err); got != want {
		t.Fatalf("%s: %v (code %q), want code %q", what, err, got, want)
	}
}

// lastRecord is the log's latest record.
func (f *fixture) lastRecord(t *testing.T) audit.Record {
	t.Helper()
	b, err := f.log.Record(context.Background(), f.log.Size()-1)
	check(t, err)
	r, err := audit.ParseRecord(b)
	check(t, err)
	return r
}

// TestAuthorization: every use case admits the person's own client and an
// operator, and refuses a lender, a furnisher and the person for another
// person; each refusal is recorded under the subject asked for, with its
// code. Registration is an operator's alone.
func TestAuthorization(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	otherSelf := opencredit.Client{ID: "self-other", Role: opencredit.RoleSubject, Subject: "other"}
	calls := map[string]func(c opencredit.Client) error{
		rights.ActionAccesses: func(c opencredit.Client) error {
			_, err := f.rights.Accesses(ctx, by(c), "own", 0, 10)
			return err
		},
		rights.ActionConsents: func(c opencredit.Client) error {
			_, err := f.rights.Consents(ctx, by(c), "own")
			return err
		},
		rights.ActionConsentGrant: func(c opencredit.Client) error {
			_, err := f.rights.GrantConsent(ctx, by(c), "own", furnisher.ID, opencredit.PurposeFurnishing)
			return err
		},
		rights.ActionConsentWithdraw: func(c opencredit.Client) error {
			_, err := f.rights.WithdrawConsent(ctx, by(c), "own", furnisher.ID, opencredit.PurposeFurnishing)
			return err
		},
		rights.ActionFreeze: func(c opencredit.Client) error {
			_, err := f.rights.Freeze(ctx, by(c), "own")
			return err
		},
		rights.ActionUnfreeze: func(c opencredit.Client) error {
			_, err := f.rights.Unfreeze(ctx, by(c), "own")
			return err
		},
		rights.ActionExport: func(c opencredit.Client) error {
			_, err := f.rights.Export(ctx, by(c), "own")
			return err
		},
		rights.ActionErase: func(c opencredit.Client) error {
			_, err := f.rights.Erase(ctx, by(c), "own")
			return err
		},
		rights.ActionRegister: func(c opencredit.Client) error {
			_, err := f.rights.Register(ctx, by(c), "new-person", opencredit.PII{}, false, "")
			return err
		},
	}
	for action, call := range calls {
		refused := []opencredit.Client{lender, furnisher, otherSelf}
		if action == rights.ActionRegister {
			refused = append(refused, self)
		}
		for _, c := range refused {
			before := f.log.Size()
			mustCode(t, call(c), opencredit.EFORBIDDEN, c.ID+" "+action)
			if f.log.Size() != before+1 {
				t.Fatalf("%s %s: %d records, want one refusal", c.ID, action, f.log.Size()-before)
			}
			r := f.lastRecord(t)
			want := "own"
			if action == rights.ActionRegister {
				want = "new-person"
			}
			if r.Client != c.ID || r.Subject != want || r.Action != action || r.Result.Error != opencredit.EFORBIDDEN {
				t.Errorf("%s %s recorded as %+v", c.ID, action, r)
			}
		}
	}
	// Allowed: the person and an operator (erasure last: it ends the file).
	for _, c := range []opencredit.Client{self, operator} {
		for _, action := range []string{rights.ActionAccesses, rights.ActionConsents, rights.ActionConsentWithdraw, rights.ActionConsentGrant,
			rights.ActionFreeze, rights.ActionUnfreeze, rights.ActionExport} {
			f.clock.t = f.clock.t.Add(time.Second)
			if err := calls[action](c); err != nil {
				t.Fatalf("%s %s: %v", c.ID, action, err)
			}
			if r := f.lastRecord(t); r.Client != c.ID || r.Action != action || r.Result.Error != "" {
				t.Errorf("%s %s recorded as %+v", c.ID, action, r)
			}
		}
	}
	check(t, calls[rights.ActionRegister](operator))
	check(t, calls[rights.ActionErase](self))
}

// TestWithdrawalAtOnce: the very next pull after a withdrawal, at the same
// instant, is refused; a new grant lets the next pull through again.
func TestWithdrawalAtOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	if _, err := f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeAccountReview); err != nil {
		t.Fatal(err)
	}
	_, err := f.rights.WithdrawConsent(ctx, by(self), "own", lender.ID, opencredit.PurposeAccountReview)
	check(t, err)
	_, err = f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeAccountReview)
	mustCode(t, err, opencredit.EFORBIDDEN, "the pull right after the withdrawal")
	if r := f.lastRecord(t); r.Result.Error != opencredit.EFORBIDDEN || r.Client != lender.ID {
		t.Errorf("the refused pull recorded as %+v", r)
	}
	_, err = f.rights.WithdrawConsent(ctx, by(self), "own", lender.ID, opencredit.PurposeAccountReview)
	mustCode(t, err, opencredit.ENOTFOUND, "withdrawing twice")

	f.clock.t = f.clock.t.Add(time.Second)
	c, err := f.rights.GrantConsent(ctx, by(self), "own", lender.ID, opencredit.PurposeAccountReview)
	check(t, err)
	if !c.GrantedAt.Equal(f.clock.t) {
		t.Errorf("granted at %s, want the clock's %s", c.GrantedAt, f.clock.t)
	}
	if _, err := f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeAccountReview); err != nil {
		t.Fatalf("the pull after a new grant: %v", err)
	}
	// Only purposes valid for the counterparty's role, and only to clients.
	for _, bad := range []struct{ counterparty, purpose, code string }{
		{furnisher.ID, opencredit.PurposeCreditApplication, opencredit.EINVALID},
		{lender.ID, opencredit.PurposeFurnishing, opencredit.EINVALID},
		{lender.ID, opencredit.PurposeSubjectSelfAccess, opencredit.EINVALID},
		{operator.ID, opencredit.PurposeAccountReview, opencredit.EINVALID},
		{"nobody", opencredit.PurposeAccountReview, opencredit.ENOTFOUND},
		{lender.ID, "employment", opencredit.EINVALID},
	} {
		_, err := f.rights.GrantConsent(ctx, by(self), "own", bad.counterparty, bad.purpose)
		mustCode(t, err, bad.code, "consent to "+bad.counterparty+" for "+bad.purpose)
	}
}

// TestFreezeBlocksLendersNotThePerson: while frozen, a lender's
// credit_application and rental_deposit_waiver pulls and decisions are
// refused with code frozen and recorded so; account_review (an existing
// creditor, exempt) and the person's own score still work; lifting the
// freeze lets the lender through again.
func TestFreezeBlocksLendersNotThePerson(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	st, err := f.rights.Freeze(ctx, by(self), "own")
	check(t, err)
	if !st.Frozen || len(st.Freezes) != 1 || !st.Freezes[0].FrozenAt.Equal(f.clock.t) {
		t.Fatalf("freeze state %+v", st)
	}
	_, err = f.rights.Freeze(ctx, by(self), "own")
	mustCode(t, err, opencredit.ECONFLICT, "freezing twice")
	for _, p := range []string{opencredit.PurposeCreditApplication, opencredit.PurposeRentalDepositWaiver} {
		_, err := f.scoring.Score(ctx, by(lender), "own", p)
		mustCode(t, err, opencredit.EFROZEN, p+" pull of a frozen file")
		if r := f.lastRecord(t); r.Result.Error != opencredit.EFROZEN || r.Purpose != p || r.Subject != "own" {
			t.Errorf("refused %s recorded as %+v", p, r)
		}
	}
	if _, err := f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeAccountReview); err != nil {
		t.Errorf("account review of a frozen file: %v, want it exempt", err)
	}
	if _, err := f.scoring.Score(ctx, by(self), "own", opencredit.PurposeSubjectSelfAccess); err != nil {
		t.Errorf("the person's own score while frozen: %v", err)
	}
	// A lender without consent learns nothing of the freeze.
	_, err = f.scoring.Score(ctx, by(lender), "other", opencredit.PurposeCreditApplication)
	mustCode(t, err, opencredit.EFORBIDDEN, "a pull without consent")

	// FreezeStatus reads the same state, and records the read.
	if rd, err := f.rights.FreezeStatus(ctx, by(self), "own"); err != nil || !rd.Frozen || len(rd.Freezes) != 1 {
		t.Errorf("freeze status: %+v, %v", rd, err)
	} else if r := f.lastRecord(t); r.Action != rights.ActionFreezeRead || r.Subject != "own" || r.Result.Items != 1 {
		t.Errorf("freeze status recorded as %+v", r)
	}
	if _, err := f.rights.FreezeStatus(ctx, by(self), "other"); err == nil {
		t.Error("a person read another's freeze status")
	}

	f.clock.t = f.clock.t.Add(time.Second)
	st, err = f.rights.Unfreeze(ctx, by(self), "own")
	check(t, err)
	if st.Frozen || len(st.Freezes) != 1 || st.Freezes[0].LiftedAt == nil || !st.Freezes[0].LiftedAt.Equal(f.clock.t) {
		t.Fatalf("state after unfreeze %+v", st)
	}
	if _, err := f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeCreditApplication); err != nil {
		t.Errorf("a pull after the freeze is lifted: %v", err)
	}
	_, err = f.rights.Unfreeze(ctx, by(self), "own")
	mustCode(t, err, opencredit.ECONFLICT, "unfreezing an unfrozen file")
}

// TestAccessHistory: the history lists every access to the person's file,
// allowed and refused, and nothing about anyone else, in log order, each
// with its log index, the client's name, and whether it was allowed; the
// read itself appears from the next read on; pages join up.
func TestAccessHistory(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _ = f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeCreditApplication)
	_, _ = f.scoring.Score(ctx, by(lender), "own", "employment")
	_, _ = f.scoring.Score(ctx, by(lender), "other", opencredit.PurposeCreditApplication)
	_, _ = f.rights.Consents(ctx, by(lender), "own")
	_, _ = f.scoring.Score(ctx, by(self), "own", opencredit.PurposeSubjectSelfAccess)

	// The expectation, from the log itself: every record about own.
	var want []rights.Access
	for n := range f.log.Size() {
		b, err := f.log.Record(ctx, n)
		check(t, err)
		r, err := audit.ParseRecord(b)
		check(t, err)
		if r.Subject == "own" {
			want = append(want, rights.Access{Index: n, Time: r.Time, Client: r.Client, Role: r.Role, Purpose: r.Purpose,
				Action: r.Action, Allowed: r.Result.Error == "", Error: r.Result.Error})
		}
	}
	if len(want) != 4 {
		t.Fatalf("%d records about own, want 4 (two pulls, one refused, a refused consents read, the own score)", len(want))
	}
	page, err := f.rights.Accesses(ctx, by(self), "own", 0, 100)
	check(t, err)
	for i := range page.Accesses {
		wantName := map[string]string{lender.ID: "Lender A", self.ID: "subject own"}[page.Accesses[i].Client]
		if page.Accesses[i].ClientName != wantName {
			t.Errorf("access %d: client name %q, want %q", i, page.Accesses[i].ClientName, wantName)
		}
		page.Accesses[i].ClientName = ""
	}
	if !reflect.DeepEqual(page.Accesses, want) || page.Next != nil {
		t.Fatalf("history %+v (next %v),\nwant %+v", page.Accesses, page.Next, want)
	}
	if got := []string{want[1].Error, want[2].Error}; !slices.Equal(got, []string{opencredit.EREFUSED, opencredit.EFORBIDDEN}) {
		t.Errorf("refusal codes %v", got)
	}
	// Pages of one join up, and the first read is now listed. Each page
	// read is itself an access, so the walk stops at the log's size when
	// it began, or it would follow its own reads for ever.
	var all []rights.Access
	end := f.log.Size()
	for from := int64(0); from < end; {
		p, err := f.rights.Accesses(ctx, by(operator), "own", from, 1)
		check(t, err)
		all = append(all, p.Accesses...)
		if p.Next == nil {
			t.Fatal("a page before the end of the log says it is the last")
		}
		from = *p.Next
	}
	if len(all) < 5 || all[4].Action != rights.ActionAccesses || all[4].Client != self.ID {
		t.Fatalf("paged history %+v: want the 4 accesses, then the person's read", all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Index <= all[i-1].Index {
			t.Fatalf("history out of order at %d: %+v", i, all)
		}
	}
	// A full page that is the last says so: other has one record, the
	// lender's refused pull, read a page of one.
	if p, err := f.rights.Accesses(ctx, by(operator), "other", 0, 1); err != nil || len(p.Accesses) != 1 || p.Next != nil {
		t.Errorf("other's history %+v, %v; want the one refusal and no next page", p, err)
	}
	_, err = f.rights.Accesses(ctx, by(self), "own", 0, rights.MaxAccessPage+1)
	mustCode(t, err, opencredit.EINVALID, "a page too long")
}

// TestExportRoundTrips: the export, encoded as JSON and decoded again,
// holds what the store holds: the subject, the PII (for the person only),
// consents, freezes, events, features, the access history, disputes and
// reviews.
func TestExportRoundTrips(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, err := f.rights.Freeze(ctx, by(self), "own")
	check(t, err)
	_, _ = f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeCreditApplication)
	// A dispute and a review, put in the store directly so that the access
	// history stays the two records counted below.
	check(t, f.st.OpenDispute(ctx, opencredit.Dispute{ID: "d1", Subject: "own", Source: furnisher.ID, EventID: "inq-0",
		Comment: "not mine", OpenedAt: f.clock.t, Status: opencredit.DisputeOpen}))
	check(t, f.st.RequestReview(ctx, opencredit.Review{ID: "r1", Subject: "own", DecisionID: 0, Lender: lender.ID,
		Purpose: opencredit.PurposeCreditApplication, Outcome: "declined", Score: 540, RequestedAt: f.clock.t, Status: opencredit.ReviewRequested}))
	f.clock.t = f.clock.t.Add(time.Minute)

	ex, err := f.rights.Export(ctx, by(self), "own")
	check(t, err)
	b, err := json.Marshal(ex)
	check(t, err)
	var got rights.Export
	check(t, json.Unmarshal(b, &got))
	if got.Version != rights.ExportVersion || !got.ExportedAt.Equal(f.clock.t) {
		t.Errorf("version %q at %s", got.Version, got.ExportedAt)
	}
	sub, err := f.st.Subject(ctx, "own")
	check(t, err)
	p, err := f.st.SubjectPII(ctx, "own")
	check(t, err)
	cs, err := f.st.Consents(ctx, "own")
	check(t, err)
	fs, err := f.st.Freezes(ctx, "own")
	check(t, err)
	evs, err := f.st.Events(ctx, "own")
	check(t, err)
	fv, err := f.st.Features(ctx, "own", f.clock.t)
	check(t, err)
	page, err := f.rights.Accesses(ctx, by(operator), "own", 0, 100)
	check(t, err)
	ds, err := f.st.Disputes(ctx, opencredit.DisputeFilter{Subject: "own"})
	check(t, err)
	rs, err := f.st.Reviews(ctx, opencredit.ReviewFilter{Subject: "own"})
	check(t, err)
	if len(ds) != 1 || len(rs) != 1 {
		t.Fatalf("the store holds %d disputes and %d reviews, want 1 and 1", len(ds), len(rs))
	}
	// The JSON forms are compared: times lose their monotonic readings and
	// raw event data its spacing on the way, as any reader's would.
	for name, pair := range map[string][2]any{
		"subject":  {got.Subject, sub},
		"pii":      {got.PII, &p},
		"consents": {got.Consents, cs},
		"freezes":  {got.Freezes, fs},
		"events":   {got.Events, evs},
		"features": {got.Features, &fv},
		"accesses": {got.Accesses, page.Accesses[:len(got.Accesses)]},
		"disputes": {got.Disputes, ds},
		"reviews":  {got.Reviews, rs},
	} {
		a, _ := json.Marshal(pair[0])
		b, _ := json.Marshal(pair[1])
		if string(a) != string(b) {
			t.Errorf("export %s:\n%s\nstore:\n%s", name, a, b)
		}
	}
	// The pull was refused (frozen): no hard inquiry joined the two events.
	if got.PII == nil || got.PII.Name != "Person own" || len(got.Events) != 2 || len(got.Accesses) != 2 {
		t.Errorf("export holds PII %+v, %d events, %d accesses; want the name, the 2 events, 2 accesses (the freeze, the refused pull)",
			got.PII, len(got.Events), len(got.Accesses))
	}
	// An operator's export leaves the PII out.
	ex, err = f.rights.Export(ctx, by(operator), "own")
	check(t, err)
	if ex.PII != nil {
		t.Error("an operator's export holds the PII")
	}
}

// TestErasure: erasure deletes the PII and the events, keeps the access
// history (pseudonymous), and afterwards a lender's pull is refused and the
// person's own pull says the file was erased; a second erasure is
// not_found.
func TestErasure(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	_, _ = f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeAccountReview)
	e, err := f.rights.Erase(ctx, by(self), "own")
	check(t, err)
	if e.EventsDeleted != 2 || !e.ErasedAt.Equal(f.clock.t) {
		t.Errorf("erasure %+v, want 2 events deleted at the clock's time", e)
	}
	if _, err := f.st.SubjectPII(ctx, "own"); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Errorf("PII after erasure: %v", err)
	}
	if evs, err := f.st.Events(ctx, "own"); err != nil || len(evs) != 0 {
		t.Errorf("events after erasure: %d, %v", len(evs), err)
	}
	_, err = f.scoring.Score(ctx, by(lender), "own", opencredit.PurposeAccountReview)
	mustCode(t, err, opencredit.EFORBIDDEN, "a lender's pull after erasure")
	_, err = f.scoring.Score(ctx, by(self), "own", opencredit.PurposeSubjectSelfAccess)
	mustCode(t, err, opencredit.ENOTFOUND, "the person's own pull after erasure")
	_, err = f.rights.Erase(ctx, by(self), "own")
	mustCode(t, err, opencredit.ENOTFOUND, "a second erasure")

	ex, err := f.rights.Export(ctx, by(self), "own")
	check(t, err)
	if ex.PII != nil || len(ex.Events) != 0 || ex.Features != nil || ex.Subject.DeletedAt == nil {
		t.Errorf("export after erasure %+v: want a tombstone without PII, events or features", ex)
	}
	var actions []string
	for _, a := range ex.Accesses {
		actions = append(actions, a.Action)
	}
	if want := []string{audit.ActionScore, rights.ActionErase, audit.ActionScore, audit.ActionScore, rights.ActionErase}; !slices.Equal(actions, want) {
		t.Errorf("access history after erasure %v, want %v (the legal hold keeps it)", actions, want)
	}
}

// TestRegister: an operator registers a person with PII and a subject
// key, returned once, that the store knows and binds to the person alone;
// bad PII, a taken id and a taken client id write nothing.
func TestRegister(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	reg, err := f.rights.Register(ctx, by(operator), "carol", opencredit.PII{Name: "Carol", NationalID: "N-9", DateOfBirth: "1990-05-06"}, true, "")
	check(t, err)
	if reg.Key == "" || reg.Client == nil || reg.Client.ID != "self-carol" || reg.Subject.ID != "carol" {
		t.Fatalf("registration %+v", reg)
	}
	c, err := f.st.ClientByKey(ctx, opencredit.HashAPIKey(reg.Key))
	check(t, err)
	if c.Role != opencredit.RoleSubject || c.Subject != "carol" {
		t.Errorf("the issued key is client %+v", c)
	}
	p, err := f.st.SubjectPII(ctx, "carol")
	check(t, err)
	if p.Name != "Carol" || p.NationalID != "N-9" {
		t.Errorf("PII %+v", p)
	}
	for name, bad := range map[string]struct {
		id       string
		p        opencredit.PII
		clientID string
		code     string
	}{
		"taken id":        {"carol", opencredit.PII{}, "self-carol-2", opencredit.ECONFLICT},
		"taken client id": {"dave", opencredit.PII{}, "self-carol", opencredit.ECONFLICT},
		"bad date":        {"erin", opencredit.PII{DateOfBirth: "1990-02-30"}, "", opencredit.EINVALID},
		"future birth":    {"erin", opencredit.PII{DateOfBirth: "2999-01-01"}, "", opencredit.EINVALID},
		"control char":    {"erin", opencredit.PII{Name: "E\x00"}, "", opencredit.EINVALID},
		"bad id":          {"", opencredit.PII{}, "", opencredit.EINVALID},
	} {
		_, err := f.rights.Register(ctx, by(operator), bad.id, bad.p, true, bad.clientID)
		mustCode(t, err, bad.code, name)
		if bad.id != "carol" && bad.id != "" {
			if _, err := f.st.Subject(ctx, bad.id); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
				t.Errorf("%s: the subject %s was written: %v", name, bad.id, err)
			}
		}
	}
}
