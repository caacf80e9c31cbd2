package opencredit

// Dimension is one of the five areas a score is explained in. Sesame Credit's
// "interpersonal relationships" and "behaviour & preferences" are deliberately
// absent: no input may come from another person or from lifestyle judgements.
type Dimension string

// The five dimensions of the product brief.
const (
	PaymentHistory      Dimension = "payment_history"
	Capacity            Dimension = "capacity"
	HistoryStability    Dimension = "history_stability"
	NewCredit           Dimension = "new_credit"
	EverydayObligations Dimension = "everyday_obligations"
)

// Dimensions lists the five dimensions in their display order.
var Dimensions = []Dimension{PaymentHistory, Capacity, HistoryStability, NewCredit, EverydayObligations}

// Valid reports whether d is one of the five dimensions.
func (d Dimension) Valid() bool {
	for _, x := range Dimensions {
		if d == x {
			return true
		}
	}
	return false
}

// Band names a score range, such as "good" for 600–649.
type Band struct {
	Name string `json:"name"`
	Min  int    `json:"min"` // lowest score in the band; a band ends where the next begins
}

// DefaultBands are the brief's bands: 350–549 poor, 550–599 fair, 600–649 good,
// 650–699 very good, 700–950 excellent.
func DefaultBands() []Band {
	return []Band{{"poor", 350}, {"fair", 550}, {"good", 600}, {"very good", 650}, {"excellent", 700}}
}

// BandOf returns the name of the band score falls in; bands must be sorted by Min.
func BandOf(bands []Band, score int) string {
	name := ""
	for _, b := range bands {
		if score >= b.Min {
			name = b.Name
		}
	}
	if name == "" && len(bands) > 0 {
		name = bands[0].Name
	}
	return name
}
