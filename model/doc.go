// Package model is the points-table credit model that every OpenCredit trainer
// produces and every scorer reads: the scorecard (package scorecard) and the
// explainable boosting machine (package ebm) both end as a Model.
//
// A Model is a list of features; each feature is cut into bins and each bin
// carries integer points and its contribution to the log-odds of default. A
// person's score is
//
//	score = clip(BasePoints + Σ_j points_j(bin_j(x)), Scaling.Min, Scaling.Max)
//
// and their probability of default is
//
//	PD = 1 / (1 + exp(-(Intercept + Σ_j logit_j(bin_j(x)))))
//
// Points come from the log-odds of being good through the usual scaling
// (Siddiqi, "Credit Risk Scorecards", 2006, ch. 6):
//
//	factor = PDO / ln 2,  offset = BaseScore − factor · ln(BaseOdds)
//	score  = offset + factor · ln(odds good)
//
// Reasons (ECOA Reg. B, 12 CFR 1002.9(b)(2)): the points a person lost on a
// feature are that feature's maximum points minus the points earned; the
// features with the most points lost, up to four, are the principal reasons.
// A dimension's sub-score is 100 × points earned / maximum points over the
// features mapped to that dimension.
//
// An explainable boosting machine may also have pairs (pair.go): tables of
// points and log-odds over the cells of two features, whose cell adds to
// the score and the log-odds like one more feature's bin, loses points the
// same way (a reason line of its own) and counts towards its dimension.
package model
