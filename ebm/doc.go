// Package ebm trains explainable boosting machines (EBMs): generalised
// additive models whose shape functions are learnt by cyclic gradient
// boosting of small trees (Lou, Caruana & Gehrke, "Intelligible models for
// classification and regression", KDD 2012; Nori et al., "InterpretML",
// 2019), with optional pairwise interactions ranked by FAST (Lou, Caruana,
// Gehrke & Hooker, "Accurate intelligible models with pairwise
// interactions", KDD 2013):
//
//	logit P(bad | x) = β₀ + Σ_j f_j(x_j) + Σ_(j,k) f_jk(x_j, x_k)
//
// Each f_j is a table over fine bins of x_j, monotone where the feature's
// meaning or spec fixes a direction (training.LiveTrends), and the fit is scaled
// into points as a scorecard's is (package model), so the result is a
// points-table model.Model of kind "ebm": scoring, reasons, sub-scores,
// reports and the artifact work as for a scorecard. The spec, trends and WoE
// are package training's; the age rule is package policy's.
//
// Boosting, constraints, points, pairs, defaults and speed: docs/ebm.md.
package ebm
