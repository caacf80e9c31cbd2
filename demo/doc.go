// Package demo builds the demo 'opencredit demo' serves: a simulated
// population in an empty store, a model trained on a point-in-time training
// set from the same events, the product brief's programs, a lender, an
// operator, a furnisher and a few demo people with their keys, and the
// guide that says what to try. The caller opens the store and the audit
// log, trains (Config.Train) and serves (Demo.Handler); README, The demo,
// describes what it does.
package demo
