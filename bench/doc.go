// Package bench is the benchmark harness behind 'opencredit bench': each
// benchmark measures OpenCredit against a baseline run in the same process
// (Ingest: ingestion with features against raw inserts of the same rows;
// Serve: GET score against a trivial handler; Train: the fits of the folds
// of the 5-fold protocol). Load mixes ingestion and scoring over the API
// and checks afterwards that the store and the audit log hold what was
// acknowledged; Size measures the bytes a person and an event take on
// disk, for the README's capacity plan. The caller opens the stores and
// the audit log. The Python scripts beside it (ebm_vs_xgboost.py) time
// peer tools in the same run; README, Benchmarks, has the figures.
package bench
