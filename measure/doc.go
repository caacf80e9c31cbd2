// Package measure computes the measures a credit model is judged by: ranking
// (AUC, Gini, KS), probability accuracy (Brier, log-loss, calibration),
// stability (PSI) and fairness (approval rates, adverse impact ratio). Every
// function takes slices and returns values; none does I/O. Throughout, y[i] is
// 1 for a bad outcome (default) and 0 for a good one, and a higher score means
// more risk unless a function says otherwise; negate credit scores (higher is
// safer) before passing them as risk scores.
//
// One measure per file, each file's comment giving the formula and its
// source. Slices that pair row by row must have the same length: a mismatch
// is a programming error and panics. A measure that a sample cannot define,
// such as the AUC of a sample holding one class, is NaN. Functions that group
// rows return the groups in the order they first appear.
package measure
