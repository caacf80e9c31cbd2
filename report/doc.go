// Package report turns a model and its scores on a data file into something a
// person reads: text for a terminal (WriteText, WriteModelText) and one
// self-contained HTML file with inline CSS and hand-drawn SVG plots
// (WriteHTML, WriteModelHTML). Evaluate computes every number a report shows,
// with package metrics, into an Evaluation that also encodes as JSON.
//
// Ranking measures (AUC, Gini, KS, the ROC curve) are computed on the integer
// credit score, the number decisions are made on; probability measures
// (Brier, log-loss, calibration) on the probability of default. Audit
// attributes (protected traits) are used only to group rows for the fairness
// tables; no row-level value is ever written.
package report
