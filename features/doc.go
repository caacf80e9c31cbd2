// Package features computes a person's credit features from that person's own
// events only — never from another person's data — and keeps them up to date
// incrementally as events arrive, in any order. A State holds one subject's
// history reduced to what the features need: Apply folds one event in,
// Compute reads the features as of any time, Registry lists them, and
// Adverse is the training label.
//
// The exact definitions, windows, ageing rules and their sources: docs/features.md.
package features
