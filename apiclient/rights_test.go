package apiclient_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/api"
	"github.com/opencredit/opencredit/apiclient"
	"github.com/opencredit/opencredit/httpapi/apitest"
	"github.com/opencredit/opencredit/rights"
)

// TestRightsRoutesAuthorization calls every route of the person's rights
// as every role, and as the person for another person: a furnisher and a
// lender are refused by role (403), the person's own client reaches only
// its own subject (403 for the other), an operator reaches any; only an
// operator registers.
func TestRightsRoutesAuthorization(t *testing.T) {
	ctx := context.Background()
	s := apitest.Start(t, nil)
	as := func(id string) *apiclient.Client { return apiclient.New(s.URL, s.Keys[id]) }
	routes := map[string]func(c *apiclient.Client, subject string) error{
		"accesses": func(c *apiclient.Client, subject string) error { _, err := c.Accesses(ctx, subject, 0, 0); return err },
		"consents": func(c *apiclient.Client, subject string) error { _, err := c.Consents(ctx, subject); return err },
		"grant": func(c *apiclient.Client, subject string) error {
			_, err := c.GrantConsent(ctx, subject, lender, opencredit.PurposeAccountReview)
			return err
		},
		"withdraw": func(c *apiclient.Client, subject string) error {
			_, err := c.WithdrawConsent(ctx, subject, lender, opencredit.PurposeAccountReview)
			return err
		},
		"freeze":   func(c *apiclient.Client, subject string) error { _, err := c.Freeze(ctx, subject); return err },
		"unfreeze": func(c *apiclient.Client, subject string) error { _, err := c.Unfreeze(ctx, subject); return err },
		"export":   func(c *apiclient.Client, subject string) error { _, err := c.Export(ctx, subject); return err },
		"erase":    func(c *apiclient.Client, subject string) error { _, err := c.Erase(ctx, subject); return err },
		"register": func(c *apiclient.Client, subject string) error {
			_, err := c.Register(ctx, api.RegisterRequest{ID: subject + "-new"})
			return err
		},
	}
	for name, call := range routes {
		for _, id := range []string{furnisher, lender} {
			wantCode(t, call(as(id), own), opencredit.EFORBIDDEN, http.StatusForbidden)
		}
		wantCode(t, call(as(selfClient), apitest.Other), opencredit.EFORBIDDEN, http.StatusForbidden)
		if name == "register" {
			wantCode(t, call(as(selfClient), own), opencredit.EFORBIDDEN, http.StatusForbidden)
		}
	}
	// Allowed, in an order where each call can succeed; erasure last.
	for _, c := range []struct{ client, subject string }{{selfClient, own}, {operator, apitest.Other}} {
		for _, name := range []string{"accesses", "consents", "grant", "withdraw", "freeze", "unfreeze", "export"} {
			if err := routes[name](as(c.client), c.subject); err != nil {
				t.Errorf("%s %s of %s: %v", c.client, name, c.subject, err)
			}
		}
	}
	if err := routes["register"](as(operator), "carol"); err != nil {
		t.Errorf("operator register: %v", err)
	}
	if err := routes["erase"](as(operator), apitest.Other); err != nil {
		t.Errorf("operator erase: %v", err)
	}
	if err := routes["erase"](as(selfClient), own); err != nil {
		t.Errorf("own erase: %v", err)
	}
}

// TestRightsOverTheAPI walks a person's rights end to end: an operator
// registers Carol with her key; she consents to the lender, who pulls her
// score, withdraws, and the lender's very next pull is refused; Own
// freezes, the lender's pull is refused with code frozen while Own's own
// score works, and after the freeze is lifted it works again; Own's access
// history lists the refusal with its code; the export holds Own's PII and
// events; Carol erases her file and the lender's pull is refused after.
func TestRightsOverTheAPI(t *testing.T) {
	ctx := context.Background()
	s := apitest.Start(t, nil)
	ops := apiclient.New(s.URL, s.Keys[operator])
	lend := apiclient.New(s.URL, s.Keys[lender])
	me := apiclient.New(s.URL, s.Keys[selfClient])

	reg, err := ops.Register(ctx, api.RegisterRequest{ID: "carol", Name: "Carol", NationalID: "N-77", IssueKey: true})
	if err != nil {
		t.Fatal(err)
	}
	if reg.Key == "" || reg.Client == nil || reg.Client.Subject != "carol" {
		t.Fatalf("registration %+v", reg)
	}
	carol := apiclient.New(s.URL, reg.Key)
	if _, err := carol.GrantConsent(ctx, "carol", lender, opencredit.PurposeCreditApplication); err != nil {
		t.Fatal(err)
	}
	if _, err := lend.Score(ctx, "carol", opencredit.PurposeCreditApplication); err != nil {
		t.Fatalf("a pull with Carol's consent: %v", err)
	}
	if after, err := carol.WithdrawConsent(ctx, "carol", lender, opencredit.PurposeCreditApplication); err != nil || len(after.Consents) != 1 || after.Consents[0].WithdrawnAt == nil {
		t.Fatalf("withdrawal: %+v, %v; want Carol's one consent, withdrawn", after, err)
	}
	_, err = lend.Score(ctx, "carol", opencredit.PurposeCreditApplication)
	wantCode(t, err, opencredit.EFORBIDDEN, http.StatusForbidden)
	cs, err := carol.Consents(ctx, "carol")
	if err != nil || len(cs.Consents) != 1 || cs.Consents[0].WithdrawnAt == nil {
		t.Fatalf("Carol's consents %+v, %v; want one, withdrawn", cs, err)
	}

	fr, err := me.Freeze(ctx, own)
	if err != nil || !fr.Frozen {
		t.Fatalf("freeze: %+v, %v", fr, err)
	}
	_, err = lend.Score(ctx, own, opencredit.PurposeCreditApplication)
	wantCode(t, err, opencredit.EFROZEN, http.StatusForbidden)
	_, err = lend.Decide(ctx, own, "bike")
	wantCode(t, err, opencredit.EFROZEN, http.StatusForbidden)
	if _, err := me.Score(ctx, own, opencredit.PurposeSubjectSelfAccess); err != nil {
		t.Errorf("the person's own score while frozen: %v", err)
	}
	if fr, err = me.Unfreeze(ctx, own); err != nil || fr.Frozen || len(fr.Freezes) != 1 {
		t.Fatalf("unfreeze: %+v, %v", fr, err)
	}
	if _, err := lend.Score(ctx, own, opencredit.PurposeRentalDepositWaiver); err != nil {
		t.Errorf("a pull after the freeze is lifted: %v", err)
	}

	page, err := me.Accesses(ctx, own, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for i, a := range page.Accesses {
		if i > 0 && a.Index <= page.Accesses[i-1].Index {
			t.Fatalf("history out of order: %+v", page.Accesses)
		}
		seen = append(seen, a.Action+"/"+a.Error)
	}
	want := []string{rights.ActionFreeze + "/", "score/" + opencredit.EFROZEN, "decision/" + opencredit.EFROZEN, "score/", rights.ActionUnfreeze + "/", "score/"}
	if !slices.Equal(seen, want) {
		t.Errorf("Own's history %v, want %v", seen, want)
	}

	ex, err := me.Export(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Store.Events(ctx, own)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Version != rights.ExportVersion || ex.PII == nil || ex.PII.Name != "Test Person "+own || len(ex.Events) != len(evs) || len(ex.Accesses) != len(want)+1 {
		t.Errorf("export: version %q, PII %+v, %d events (store %d), %d accesses (want %d)", ex.Version, ex.PII, len(ex.Events), len(evs), len(ex.Accesses), len(want)+1)
	}

	if _, err := carol.Erase(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.SubjectPII(ctx, "carol"); opencredit.ErrorCode(err) != opencredit.ENOTFOUND {
		t.Errorf("Carol's PII after erasure: %v", err)
	}
	_, err = carol.Score(ctx, "carol", opencredit.PurposeSubjectSelfAccess)
	wantCode(t, err, opencredit.ENOTFOUND, http.StatusNotFound)
}
