// Package simulate makes a synthetic population whose payment behaviour
// comes from a documented latent generative model, written as OpenCredit
// events: for the demo, end-to-end tests and scale runs. New makes a
// Simulator for a Config; Run makes every person in parallel, streamed in
// index order; Populate stores them in a store.
//
// The model, its calibration with sources, and its limits: docs/simulation.md.
package simulate
