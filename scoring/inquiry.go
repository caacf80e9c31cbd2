package scoring

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/features"
	"github.com/opencredit/opencredit/model"
)

// DefaultInquiryWindow is how long one lender's repeated credit_application
// pulls of one person count as a single hard inquiry: 14 days, the
// shortest rate-shopping window the scoring industry uses (FICO's older
// models; newer ones use 45 days for mortgage, auto and student loans), so
// that a lender who pulls again while one application is processed does not
// cost the person points twice.
const DefaultInquiryWindow = 14 * 24 * time.Hour

// recordHardInquiry puts a hard inquiry by lender on the subject's file: a
// credit_application pull is one (FCRA §604(a)(3)(A)); later scores count it
// (hard_inquiries_6m, hard_inquiries_12m). It is recorded after the score it
// belongs to, so an application never counts against itself. A pull by the
// same lender within the inquiry window of the last inquiry recorded for it
// adds none: bureaus record one lender's repeated pulls for one application
// once. The event id is the request's, so a request records at most one.
// Two pulls of one lender at the same instant may both record one: the
// check and the insert are not one transaction (a rare double count, never
// a lost inquiry).
func (s *Service) recordHardInquiry(ctx context.Context, lender, subject, product, requestID string) error {
	now := s.now().UTC()
	recent, err := s.lastInquiry(ctx, lender, subject)
	if err != nil {
		return err
	}
	if !recent.IsZero() && now.Sub(recent) < s.inquiryWindow {
		return nil
	}
	data, _ := json.Marshal(opencredit.Inquiry{Kind: "hard", Purpose: opencredit.PurposeCreditApplication, Counterparty: lender, Product: product})
	e := opencredit.Event{
		SpecVersion: opencredit.SpecVersion, ID: "inquiry-" + requestID, Source: opencredit.PlatformSource,
		Type: opencredit.TypeInquiry, Subject: subject, Time: now, Data: data,
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

// lastInquiry returns the time of the latest hard inquiry the platform
// recorded on the subject's file for lender, or the zero time.
func (s *Service) lastInquiry(ctx context.Context, lender, subject string) (time.Time, error) {
	events, err := s.store.Events(ctx, subject)
	if err != nil {
		return time.Time{}, err
	}
	var last time.Time
	for _, e := range events {
		if e.Source != opencredit.PlatformSource || e.Type != opencredit.TypeInquiry || e.Suppressed || !e.Time.After(last) {
			continue
		}
		var q opencredit.Inquiry
		if json.Unmarshal(e.Data, &q) == nil && q.Kind == "hard" && q.Counterparty == lender {
			last = e.Time
		}
	}
	return last, nil
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
