// Package scorecard trains credit scorecards: optimal binning of each
// candidate feature, weight of evidence (package training's WoE), feature
// selection by information value and correlation, a logistic regression on
// the WoE values, and scaling of the fit into integer points. The result is
// a model.Model of kind "scorecard"; the age rule on allowed age columns is
// package policy's.
//
// Optimal binning (binning.go, partition.go) chooses, from quantile
// pre-bins, the contiguous grouping that maximises IV subject to the
// feature's bad-rate trend (monotone unless a likelihood-ratio test rejects
// it), a minimum bin share, minimum goods and bads per bin and a maximum
// number of bins. The problem decomposes over bins, so dynamic programming
// solves it exactly (the objective of Navas-Palencia, "Optimal binning:
// mathematical programming formulation", 2020, solved by DP rather than
// MIP).
//
// The logistic regression (logistic.go) predicts default from WoE values by
// Newton–Raphson / IRLS with an L2 penalty; since higher WoE means fewer
// defaults, every coefficient must come out negative, and a feature whose
// coefficient does not is dropped and the model refitted (more risk may never
// earn more points).
//
// Points (points.go): with factor = PDO/ln 2 and offset = BaseScore −
// factor·ln(BaseOdds), feature j in bin i earns
//
//	raw_ij    = −factor · β_j · WoE_ij
//	points_ij = round(raw_ij − min_i raw_ij)      (≥ 0)
//	base      = round(offset − factor·β_0 + Σ_j min_i raw_ij)
//
// so that base + Σ_j points_j = offset + factor · ln(odds good), up to
// rounding (Siddiqi, "Credit Risk Scorecards", 2006, ch. 6).
package scorecard
