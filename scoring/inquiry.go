package scoring

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
func (s *Service) recordHardInquiry(ctx context.Context, subject, requestID string) error {
	data, _ := json.Marshal(opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication})
	e := opencredit.Event{
		SpecVersion: "1.0", ID: "inquiry-" + requestID, Source: opencredit.PlatformSource,
		Type: opencredit.TypeInquiry, Subject: subject, Time: s.now().UTC(), Data: data,
	}
	res, err := s.store.Ingest(ctx, []opencredit.Event{e})
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
// inquiries on file when they cost points and no reason states them yet
// (FCRA §609(f)(9): the number of inquiries is a key factor to disclose when
// it adversely affected the score). Inquiries cost points through an
// inquiry feature, or through a pair with one (an explainable boosting
// model's interaction table); the term that lost the most is stated.
func withInquiryReason(m *model.Model, r model.Result) model.Result {
	inquiries := func(name string) bool {
		return name == features.HardInquiries6m || name == features.HardInquiries12m
	}
	for _, rs := range r.Reasons {
		if inquiries(rs.Feature) {
			return r // already stated
		}
		for _, p := range m.Pairs {
			if rs.Feature == p.Name() && (inquiries(p.Features[0]) || inquiries(p.Features[1])) {
				return r // stated as part of a pair
			}
		}
	}
	var best model.Reason
	for j := range m.Features {
		f := &m.Features[j]
		if lost := f.MaxPoints() - r.Points[j]; inquiries(f.Name) && lost > best.PointsLost {
			best = model.Reason{Code: f.ReasonCode, Feature: f.Name, Text: f.Bins[r.Bins[j]].Text, PointsLost: lost}
		}
	}
	for p := range m.Pairs {
		if pr := m.PairReason(&r, p); (inquiries(m.Pairs[p].Features[0]) || inquiries(m.Pairs[p].Features[1])) && pr.PointsLost > best.PointsLost {
			best = pr
		}
	}
	if best.PointsLost <= 0 {
		return r
	}
	r.Reasons = append(r.Reasons, best)
	return r
}
