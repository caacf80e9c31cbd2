// Package report turns a model and its scores on a data file into something a
// person reads: text for a terminal (WriteText, WriteModelText) and one
// self-contained HTML file with inline CSS and hand-drawn SVG plots
// (WriteHTML, WriteModelHTML). Evaluate computes every number a report shows,
// with package measure, into an Evaluation that also encodes as JSON.
//
// A model is shown as its points: per feature a binning table, its WoE and
// its points per bin in the order of the values (the shape function, the
// same drawing for a scorecard and an explainable boosting machine); per
// pair of an explainable boosting machine its table of points, rows the
// first feature's bins and columns the second's, and in HTML a heat map of
// it. Pairs count wherever features do, in the dimension totals among them.
//
// Ranking measures (AUC, Gini, KS, the ROC curve) are computed on the integer
// credit score, the number decisions are made on; probability measures
// (Brier, log-loss, calibration) on the probability of default. Audit
// attributes (protected traits) are used only to group rows for the fairness
// tables; no row-level value is ever written.
package report
