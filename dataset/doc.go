// Package dataset reads the CSV files that every model-training command takes
// as input and turns them into a Frame of typed columns.
//
// # File contract
//
// The first record is the header; it is required and its names must be
// non-empty, valid UTF-8 and distinct (surrounding spaces are trimmed). A
// UTF-8 byte-order mark before it is ignored. Fields are separated by ',' by
// default, or by ';' or a tab, and may be quoted as in RFC 4180, so a quoted
// field can hold the separator, a doubled quote ("") or a line break. Blank
// lines are skipped. Every record must have as many fields as the header.
//
// # Roles
//
// Each column has exactly one role, set through Options:
//
//   - the target, the outcome a model learns: 0 (good) or 1 (bad) in every row;
//   - the id column, which names each row in outputs; a column called "id" in
//     any case is taken as the id column unless Options.ID says otherwise;
//   - excluded columns, which are skipped entirely, not even checked;
//   - audit columns, protected attributes kept aside for fairness reports and
//     never offered to a model;
//   - features, every remaining column: the candidate model inputs.
//
// # Values
//
// Values are trimmed of surrounding white space. A value that is empty or one
// of NA, N/A, NaN (in any case), null or NULL is missing, whatever the kind of
// its column. A feature or audit column is Numeric when every non-missing
// value is a decimal number (as strconv.ParseFloat reads it, without
// underscores or hexadecimal forms) and Categorical otherwise;
// Options.Kinds overrides this per column. Numeric columns never hold an
// infinite value: "Inf", "Infinity" or an overflowing literal such as 1e999
// in a column that is otherwise numeric is an error rather than a silently
// categorical or infinite column.
//
// In training mode (Options.RequireTarget) the target must exist and hold both
// classes, and a feature whose values are all missing, or all equal with none
// missing, is refused: it cannot inform a model and is most likely a mistake.
//
// # Errors
//
// Every error is an *opencredit.Error with code opencredit.EINVALID whose
// message says where the problem is, leaving out what does not apply:
//
//	<file>: line <L>, column "<name>": <reason>
//	<file>: column "sex": <reason>
//	<file>: no data rows
//
// Lines are 1-based physical lines of the file, so a quoted field that spans
// several lines does not shift the numbers of the lines after it. A physical
// line longer than Options.MaxLineBytes is refused as soon as it is seen,
// which keeps memory bounded whatever the input.
package dataset
