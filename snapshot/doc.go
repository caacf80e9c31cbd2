// Package snapshot builds point-in-time training sets from events: for each
// subject, the features as they were at a date, computed only from the
// events up to it so that nothing later can leak in, and the label, whether
// the subject went 90+ days past due, defaulted or was charged off in the
// window after it. It is what 'opencredit snapshot' writes and 'opencredit
// train --target label --id subject' reads; the demo builds its training
// set with Row while it stores the population.
package snapshot
