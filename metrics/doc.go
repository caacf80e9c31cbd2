// Package metrics computes the measures a credit model is judged by: ranking
// (AUC, Gini, KS), probability accuracy (Brier, log-loss, calibration),
// stability (PSI) and fairness (approval rates, adverse impact ratio). Every
// function takes slices and returns values; none does I/O. Throughout, y[i] is
// 1 for a bad outcome (default) and 0 for a good one, and a higher score means
// more risk unless a function says otherwise.
package metrics
