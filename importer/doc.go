// Package importer stores an event file in a store in batches, one
// transaction each: the pipeline behind 'opencredit import'.
//
// While the store ingests one batch, another goroutine reads and decodes the
// next. Every line ends accepted, duplicate or refused; refused lines go to
// the reject writer in line order, with their reasons, and a progress
// callback sees the running Summary after every committed batch.
package importer
