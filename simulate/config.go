package simulate

import (
	"time"

	"github.com/opencredit/opencredit"
)

// Limits of a Config.
const (
	MaxSubjects = 100_000_000 // ids stay 12 bytes or shorter
	MaxMonths   = 600         // 50 years
)

// Config says which population to simulate. Subjects, Months and End are
// required; the other fields have defaults.
type Config struct {
	// Subjects is the number of people, 1 to MaxSubjects.
	Subjects int
	// Months is the length of the simulated period, 1 to MaxMonths.
	Months int
	// Seed chooses the population: the same Config gives the same events,
	// byte for byte, and person i depends only on Seed and i.
	Seed uint64
	// End is the end of the simulated period: every event is before it. It
	// must be the first instant of a month in UTC (2026-03-01T00:00:00Z), so
	// that the period is whole calendar months; DefaultEnd gives the one of
	// the current month. The period starts Months months earlier, not
	// before 1970.
	End time.Time
	// AuditGroup gives each person a synthetic audit-only group label, "A"
	// or "B", correlated with the person's latent income, for fairness
	// reports. It is never written into an event, and setting it changes no
	// event.
	AuditGroup bool
	// Currency is the ISO 4217 code of every amount; "" means "EUR".
	Currency string
	// ShockScale multiplies the monthly hazards of job loss and of
	// emergency expenses, to simulate a downturn (2) or calm times (0.5);
	// 0 means 1. At most 10.
	ShockScale float64
}

// DefaultEnd returns the first instant of now's month in UTC: a period that
// ends there has no event in the future.
func DefaultEnd(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// withDefaults fills the optional fields.
func (c Config) withDefaults() Config {
	if c.Currency == "" {
		c.Currency = "EUR"
	}
	if c.ShockScale == 0 {
		c.ShockScale = 1
	}
	c.End = c.End.UTC()
	return c
}

// Validate reports the first field of c that cannot make a population, as
// an *opencredit.Error with code EINVALID naming the field.
func (c Config) Validate() error {
	bad := func(format string, args ...any) error {
		return opencredit.Errorf(opencredit.EINVALID, "simulate: "+format, args...)
	}
	switch {
	case c.Subjects < 1 || c.Subjects > MaxSubjects:
		return bad("Subjects is %d; want 1 to %d", c.Subjects, MaxSubjects)
	case c.Months < 1 || c.Months > MaxMonths:
		return bad("Months is %d; want 1 to %d", c.Months, MaxMonths)
	case c.End.IsZero():
		return bad("End is not set; want the first instant of a month in UTC, such as %s",
			DefaultEnd(time.Now()).Format(time.RFC3339))
	case !c.End.Equal(DefaultEnd(c.End)):
		return bad("End %s is not the first instant of a month in UTC; want %s or %s",
			c.End.Format(time.RFC3339), DefaultEnd(c.End).Format(time.RFC3339),
			DefaultEnd(c.End).AddDate(0, 1, 0).Format(time.RFC3339))
	case c.End.Year() > 2200:
		return bad("End %s is after 2200", c.End.Format(time.RFC3339))
	case c.End.AddDate(0, -c.Months, 0).Year() < 1970:
		return bad("End %s minus Months (%d) starts before 1970", c.End.Format(time.RFC3339), c.Months)
	case c.Currency != "" && !isCurrency(c.Currency):
		return bad("Currency %q is not three upper-case letters (an ISO 4217 code such as \"EUR\")", c.Currency)
	case c.ShockScale < 0 || c.ShockScale > 10 || c.ShockScale != c.ShockScale:
		return bad("ShockScale is %g; want 0 (the default, 1) to 10", c.ShockScale)
	}
	return nil
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
