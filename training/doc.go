// Package training holds what every trainer shares: the spec file a model
// developer gives (Spec), the bad-rate trends a feature may declare, the
// stable reason code of a feature, weight of evidence and information value
// (WoE), and the short cut points both trainers bin with (NiceCut). The
// trainers are packages scorecard and ebm; the age rule they both apply is
// in package policy.
//
// Weight of evidence and information value (Siddiqi, "Credit Risk
// Scorecards", 2006, ch. 6; Good, "Probability and the Weighing of
// Evidence", 1950): for bin i with g_i goods and b_i bads out of G goods and
// B bads,
//
//	WoE_i = ln( (g_i/G) / (b_i/B) )          (positive: better than average)
//	IV    = Σ_i (g_i/G − b_i/B) · WoE_i
package training
