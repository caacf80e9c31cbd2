// Package pmml exports a points-table model (package model) as a PMML 4.4
// Scorecard (Data Mining Group, PMML 4.4, "Scorecard",
// http://dmg.org/pmml/v4-4/Scorecard.html), so that any PMML consumer adds up
// the same points as model.Model.Score:
//
//	score = initialScore + Σ_j partialScore_j = BasePoints + Σ points
//
// with one Characteristic per feature and one per pair of an explainable
// boosting machine, one Attribute per bin (or cell) ordered so that the first
// true predicate is the model's bin, and reason codes ranked by points lost
// (reasonCodeAlgorithm="pointsBelow"; ECOA Reg. B, 12 CFR 1002.9(b)(2)). A
// PMML Scorecard cannot clip, so a consumer must apply clip(score,
// Scaling.Min, Scaling.Max) itself; the range is in the document as the
// extension opencredit:clip.
//
// How each part of a model is written, and why: docs/pmml.md.
package pmml
