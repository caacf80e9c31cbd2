package simulate

import "strconv"

// Roles of the simulated furnishers: what each sends.
const (
	roleBank      = iota // cards, credit lines, loans, mortgages; hard inquiries and account reviews
	roleBNPL             // buy-now-pay-later plans; soft inquiries
	roleUtility          // utility bills
	roleTelecom          // telecom bills
	roleLandlord         // rent
	roleRental           // rentals; deposit-waiver inquiries
	roleVerifier         // income and identity verifications
	roleCollector        // collections
	roleCourt            // judgments and bankruptcies
	nRoles
)

// furnishers lists, per role, its name and how many furnishers play it.
var furnishers = [nRoles]struct {
	name string
	n    int
}{
	roleBank:      {"bank", 3},
	roleBNPL:      {"bnpl", 2},
	roleUtility:   {"utility", 2},
	roleTelecom:   {"telecom", 2},
	roleLandlord:  {"landlord", 2},
	roleRental:    {"rental", 2},
	roleVerifier:  {"verifier", 1},
	roleCollector: {"collector", 2},
	roleCourt:     {"court", 1},
}

// furnisherIDs are the sources of the events, "sim-bank-1" onwards, and
// firstOf[role] the index of the role's first furnisher in it.
var furnisherIDs, firstOf = func() ([]string, [nRoles]int) {
	var ids []string
	var first [nRoles]int
	for r, f := range furnishers {
		first[r] = len(ids)
		for k := 1; k <= f.n; k++ {
			ids = append(ids, "sim-"+f.name+"-"+strconv.Itoa(k))
		}
	}
	return ids, first
}()
