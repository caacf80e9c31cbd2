// Package dataset reads the CSV files that every model-training command takes
// as input and turns them into a Frame of typed columns. Each column has one
// role, set through Options: the target (0 good, 1 bad), the id, excluded,
// audit (a protected attribute kept for fairness reports and never offered
// to a model) or feature; a feature or audit column is Numeric when every
// non-missing value is a decimal number and Categorical otherwise. Every
// error is an *opencredit.Error with code EINVALID that names the file, line
// and column.
//
// The file contract, roles, values and error messages in full: docs/dataset.md.
package dataset
