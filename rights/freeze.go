package rights

import (
	"context"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/audit"
	"github.com/opencredit/opencredit/scoring"
)

// FreezeState is a file's freeze now and its history.
type FreezeState struct {
	Subject string              `json:"subject"`
	Frozen  bool                `json:"frozen"`
	Freezes []opencredit.Freeze `json:"freezes"`
}

// Freeze puts a security freeze on subject's file from now (FCRA §605A):
// no lender may pull a score or a decision for a purpose the freeze blocks
// (opencredit.FreezeBlocks) until it is lifted. ECONFLICT if frozen already.
func (s *Service) Freeze(ctx context.Context, by scoring.Caller, subject string) (FreezeState, error) {
	return s.setFreeze(ctx, by, subject, ActionFreeze, s.store.FreezeSubject)
}

// Unfreeze lifts the freeze on subject's file, now. ECONFLICT if not frozen.
func (s *Service) Unfreeze(ctx context.Context, by scoring.Caller, subject string) (FreezeState, error) {
	return s.setFreeze(ctx, by, subject, ActionUnfreeze, s.store.UnfreezeSubject)
}

func (s *Service) setFreeze(ctx context.Context, by scoring.Caller, subject, action string,
	change func(context.Context, string, time.Time) error) (FreezeState, error) {
	purpose, err := s.begin(ctx, by, subject, action)
	if err != nil {
		return FreezeState{}, err
	}
	now := s.now()
	if err := change(ctx, subject, now); err != nil {
		return FreezeState{}, s.fail(ctx, by, purpose, subject, action, err)
	}
	fs, err := s.store.Freezes(ctx, subject)
	if err != nil {
		return FreezeState{}, err
	}
	if err := s.record(ctx, by, purpose, subject, action, audit.Result{}); err != nil {
		return FreezeState{}, err
	}
	return freezeState(subject, fs, now), nil
}

// FreezeStatus reads whether subject's file is frozen and its freezes, for
// the person's own client or an operator, and records the read (the
// person's freeze page shows it before offering to change it).
func (s *Service) FreezeStatus(ctx context.Context, by scoring.Caller, subject string) (FreezeState, error) {
	purpose, err := s.begin(ctx, by, subject, ActionFreezeRead)
	if err != nil {
		return FreezeState{}, err
	}
	fs, err := s.store.Freezes(ctx, subject)
	if err != nil {
		return FreezeState{}, s.fail(ctx, by, purpose, subject, ActionFreezeRead, err)
	}
	if err := s.record(ctx, by, purpose, subject, ActionFreezeRead, audit.Result{Items: len(fs)}); err != nil {
		return FreezeState{}, err
	}
	return freezeState(subject, fs, s.now()), nil
}

func freezeState(subject string, fs []opencredit.Freeze, now time.Time) FreezeState {
	st := FreezeState{Subject: subject, Freezes: fs}
	if st.Freezes == nil {
		st.Freezes = []opencredit.Freeze{}
	}
	for _, f := range fs {
		st.Frozen = st.Frozen || f.Active(now)
	}
	return st
}
