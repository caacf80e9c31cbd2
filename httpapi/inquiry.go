package httpapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// recordHardInquiry puts a hard inquiry on the subject's file: a
// credit_application pull is one (FCRA §604(a)(3)(A)); later scores count it
// (hard_inquiries_6m, hard_inquiries_12m). It is recorded after the score it
// belongs to, so an application never counts against itself. The event id is
// the request's, so the record is made once.
func recordHardInquiry(ctx context.Context, d Deps, subject, requestID string) error {
	data, _ := json.Marshal(opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
	e := opencredit.Event{
		SpecVersion: "1.0", ID: "inquiry-" + requestID, Source: opencredit.PlatformSource,
		Type: opencredit.TypeInquiry, Subject: subject, Time: d.Now().UTC(), Data: data,
	}
	res, err := d.Store.Ingest(ctx, []opencredit.Event{e})
	if err != nil {
		return err
	}
	if len(res) != 1 || res[0].Status == opencredit.Rejected {
		return &opencredit.Error{Code: opencredit.EINTERNAL, Message: "cannot record the hard inquiry",
			Err: fmt.Errorf("%+v", res)}
	}
	return nil
}

// withInquiryReason adds, after the principal reasons, a reason for the
// inquiries on file when they cost points and are not already among them
// (FCRA §609(f)(9): the number of inquiries is a key factor to disclose when
// it adversely affected the score).
func withInquiryReason(m *model.Model, r model.Result) model.Result {
	best, bestLost := -1, 0
	for j := range m.Features {
		name := m.Features[j].Name
		if name != features.HardInquiries6m && name != features.HardInquiries12m {
			continue
		}
		lost := m.Features[j].MaxPoints() - r.Points[j]
		if lost <= 0 {
			continue
		}
		for _, rs := range r.Reasons {
			if rs.Feature == features.HardInquiries6m || rs.Feature == features.HardInquiries12m {
				return r // already stated
			}
		}
		if lost > bestLost {
			best, bestLost = j, lost
		}
	}
	if best < 0 {
		return r
	}
	f := &m.Features[best]
	r.Reasons = append(r.Reasons, model.Reason{Code: f.ReasonCode, Feature: f.Name, Text: f.Bins[r.Bins[best]].Text, PointsLost: bestLost})
	return r
}
