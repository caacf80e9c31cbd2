// Package lifecycle is the governance of models: who may approve one, what
// the fairness gate refuses, which state changes exist, and rollback. The
// registry (opencredit.ModelRegistry, in the store) keeps the versions and
// applies each change atomically; this package decides whether a change is
// allowed, so the CLI and the API share one set of rules.
//
//	draft ──approve──▶ approved ──activate──▶ active
//	  │                   ▲  │                  │
//	  │                   │  └──retire──▶ retired
//	  └──────retire───────┼─────────────────────▲
//	                      └──(replaced by another activation)
//
// Supervisory guidance on model risk (Federal Reserve SR 11-7, "effective
// challenge") and the EU AI Act (Art. 9, 14, 17 for high-risk systems,
// which credit scoring is under Annex III 5(b)) ask that a model is approved
// by someone other than its developer and that every approval is recorded
// with its reason: the four-eyes rule below.
package lifecycle

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/model"
)

// MinAIR is the fairness gate: approval is refused while any audited group's
// adverse impact ratio at a cut-off is below it, unless an override with a
// written justification is recorded (the four-fifths rule, 29 CFR
// 1607.4(D)).
const MinAIR = 0.8

// Registry is the store's model registry.
type Registry = opencredit.ModelRegistry

// Add registers m, trained or written by author, as a draft, with the
// fairness evidence measured on it. The version's id is the artifact's
// (model.ID: its kind and a hash of it), so adding the same model twice is
// ECONFLICT.
func Add(ctx context.Context, reg Registry, m *model.Model, name, author string, fairness []opencredit.FairnessCheck, at time.Time) (opencredit.ModelVersion, error) {
	if err := opencredit.CheckID("author", author); err != nil {
		return opencredit.ModelVersion{}, err
	}
	if len(name) > opencredit.MaxIDBytes {
		return opencredit.ModelVersion{}, opencredit.Errorf(opencredit.EINVALID, "model name is longer than %d bytes", opencredit.MaxIDBytes)
	}
	for _, f := range fairness {
		if !(f.AIR >= 0) || f.Rows < 0 {
			return opencredit.ModelVersion{}, opencredit.Errorf(opencredit.EINVALID, "fairness %s=%s at %d: AIR %v and rows %d are not a measurement", f.Attribute, f.Group, f.Cutoff, f.AIR, f.Rows)
		}
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return opencredit.ModelVersion{}, err
	}
	artifact := buf.Bytes()
	id, err := model.ID(m)
	if err != nil {
		return opencredit.ModelVersion{}, err
	}
	v := opencredit.ModelVersion{
		ID: id, Kind: m.Kind, Name: name, Author: author, CreatedAt: at.UTC(), DataSHA256: m.Training.SHA256,
		Metrics: m.Metrics, Fairness: fairness, State: opencredit.ModelDraft, UpdatedAt: at.UTC(),
	}
	if err := reg.AddModel(ctx, v, artifact); err != nil {
		return opencredit.ModelVersion{}, err
	}
	return v, nil
}

// Unfair returns the fairness checks below MinAIR.
func Unfair(v opencredit.ModelVersion) []opencredit.FairnessCheck {
	var out []opencredit.FairnessCheck
	for _, f := range v.Fairness {
		if f.AIR < MinAIR {
			out = append(out, f)
		}
	}
	return out
}

// Approve approves draft id on behalf of operator by, with a justification.
// It is refused when by is the model's author (four-eyes), when the
// justification is empty, and, while any audited group's AIR is below
// MinAIR, unless override gives the written reason to approve it anyway,
// which is recorded with the approval and shown in the model card.
func Approve(ctx context.Context, reg Registry, id, by, justification, override string, at time.Time) error {
	v, _, err := reg.ModelVersion(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case v.State != opencredit.ModelDraft:
		return opencredit.Errorf(opencredit.ECONFLICT, "model %s is %s: only a draft is approved", id, v.State)
	case by == "":
		return opencredit.Errorf(opencredit.EINVALID, "approving model %s: no operator named", id)
	case by == v.Author:
		return opencredit.Errorf(opencredit.EFORBIDDEN, "model %s: %s is its author, and a model is approved by an operator other than its author (four-eyes)", id, by)
	case strings.TrimSpace(justification) == "":
		return opencredit.Errorf(opencredit.EINVALID, "approving model %s: give the justification of the approval", id)
	}
	if bad := Unfair(v); len(bad) > 0 && strings.TrimSpace(override) == "" {
		var groups []string
		for _, f := range bad {
			groups = append(groups, fmt.Sprintf("%s=%s at cut-off %d: AIR %.2f", f.Attribute, f.Group, f.Cutoff, f.AIR))
		}
		return opencredit.Errorf(opencredit.EREFUSED, "model %s fails the fairness gate (adverse impact ratio below %.1f): %s; approving it anyway needs a written override justification",
			id, MinAIR, strings.Join(groups, "; "))
	}
	if len(Unfair(v)) == 0 {
		override = "" // nothing to override: do not record one
	}
	return reg.TransitionModel(ctx, opencredit.ModelTransition{
		Model: id, From: opencredit.ModelDraft, To: opencredit.ModelApproved, By: by, At: at.UTC(),
		Note: strings.TrimSpace(justification), Override: strings.TrimSpace(override),
	})
}

// Activate makes approved model id the one that scores; the model it
// replaces goes back to approved, in the same transaction.
func Activate(ctx context.Context, reg Registry, id, by, note string, at time.Time) error {
	v, _, err := reg.ModelVersion(ctx, id)
	if err != nil {
		return err
	}
	switch {
	case by == "":
		return opencredit.Errorf(opencredit.EINVALID, "activating model %s: no operator named", id)
	case v.State == opencredit.ModelActive:
		return opencredit.Errorf(opencredit.ECONFLICT, "model %s is active already", id)
	case v.State != opencredit.ModelApproved:
		return opencredit.Errorf(opencredit.ECONFLICT, "model %s is %s: only an approved model is activated", id, v.State)
	}
	return reg.TransitionModel(ctx, opencredit.ModelTransition{
		Model: id, From: opencredit.ModelApproved, To: opencredit.ModelActive, By: by, At: at.UTC(), Note: note,
	})
}

// Rollback activates again the model the active one replaced: the latest
// model that left the active state and is still approved. It returns that
// model's id.
func Rollback(ctx context.Context, reg Registry, by string, at time.Time) (string, error) {
	ts, err := reg.ModelTransitions(ctx, "")
	if err != nil {
		return "", err
	}
	active, err := Active(ctx, reg)
	if err != nil {
		return "", err
	}
	for i := len(ts) - 1; i >= 0; i-- {
		t := ts[i]
		if t.From != opencredit.ModelActive || t.Model == active.ID {
			continue
		}
		v, _, err := reg.ModelVersion(ctx, t.Model)
		if err != nil {
			return "", err
		}
		if v.State != opencredit.ModelApproved {
			continue // retired since
		}
		return v.ID, Activate(ctx, reg, v.ID, by, "rollback from "+active.ID, at)
	}
	return "", opencredit.Errorf(opencredit.ENOTFOUND, "no earlier active model to roll back to")
}

// Retire ends a draft's or an approved model's life; an active model is
// retired only after another is activated in its place, so that something
// always scores.
func Retire(ctx context.Context, reg Registry, id, by, note string, at time.Time) error {
	v, _, err := reg.ModelVersion(ctx, id)
	if err != nil {
		return err
	}
	switch v.State {
	case opencredit.ModelDraft, opencredit.ModelApproved:
	case opencredit.ModelActive:
		return opencredit.Errorf(opencredit.ECONFLICT, "model %s is active: activate another (or roll back) before retiring it", id)
	default:
		return opencredit.Errorf(opencredit.ECONFLICT, "model %s is retired already", id)
	}
	if by == "" {
		return opencredit.Errorf(opencredit.EINVALID, "retiring model %s: no operator named", id)
	}
	return reg.TransitionModel(ctx, opencredit.ModelTransition{Model: id, From: v.State, To: opencredit.ModelRetired, By: by, At: at.UTC(), Note: note})
}

// Active returns the active model's version; ENOTFOUND when none is.
func Active(ctx context.Context, reg Registry) (opencredit.ModelVersion, error) {
	vs, err := reg.ModelVersions(ctx)
	if err != nil {
		return opencredit.ModelVersion{}, err
	}
	for _, v := range vs {
		if v.State == opencredit.ModelActive {
			return v, nil
		}
	}
	return opencredit.ModelVersion{}, opencredit.Errorf(opencredit.ENOTFOUND, "no model is active: approve and activate one (opencredit models)")
}

// ActiveModel loads the active model's artifact, ready to score.
func ActiveModel(ctx context.Context, reg Registry) (*model.Model, opencredit.ModelVersion, error) {
	v, err := Active(ctx, reg)
	if err != nil {
		return nil, v, err
	}
	_, artifact, err := reg.ModelVersion(ctx, v.ID)
	if err != nil {
		return nil, v, err
	}
	m, err := model.Load(bytes.NewReader(artifact))
	if err != nil {
		return nil, v, fmt.Errorf("the active model %s: %w", v.ID, err)
	}
	return m, v, nil
}

// Follow keeps a server on the registry's active model: every interval it
// reads which model is active and, when that is not the one served (id
// returns it), loads it and hands it to set, which puts it in service at
// once (scoring.Service.SetModel). A failed read or a model set refuses is
// reported to onError and tried again at the next tick; the model in service
// stays. Follow returns when ctx ends.
func Follow(ctx context.Context, reg Registry, interval time.Duration, id func() string,
	set func(*model.Model) (string, error), onChange func(from, to string), onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, err := Active(ctx, reg)
		if err != nil {
			onError(err)
			continue
		}
		if cur := id(); v.ID != cur {
			m, _, err := ActiveModel(ctx, reg)
			if err != nil {
				onError(err)
				continue
			}
			got, err := set(m)
			if err != nil {
				onError(fmt.Errorf("the active model %s cannot be served: %w", v.ID, err))
				continue
			}
			onChange(cur, got)
		}
	}
}
