// Package crossval scores datasets with a model (ScoreAll, Scorer) and
// cross-validates a trainer on the protocol of shared/datasets/README.md:
// row i (0-based, header excluded) is in fold i mod k; train on the other
// folds, score the held-out one, report each fold's AUC and their mean.
package crossval
