package measure

import (
	"math"
	"testing"
)

func TestLogLoss(t *testing.T) {
	// The six-row example read as PDs: −(ln 0.9 + ln 0.6 + 2 ln 0.4 + 2 ln 0.8) / 6,
	// evaluated with a calculator (natural logs to 10 digits):
	// (0.1053605157 + 0.5108256238 + 1.8325814637 + 0.4462871026) / 6.
	check(t, "LogLoss", LogLoss(exS, exY), 0.4825091176, 1e-9)
	// A certain, wrong forecast is clipped to 1e-15: −ln(1e-15) = 15 ln 10.
	check(t, "LogLoss of a sure miss", LogLoss([]float64{0}, []float64{1}), 15*math.Ln10, 1e-6)
	check(t, "LogLoss of a sure miss at 1", LogLoss([]float64{1}, []float64{0}), 15*math.Ln10, 1e-3)
	check(t, "LogLoss of a sure hit", LogLoss([]float64{1, 0}, []float64{1, 0}), 0, 1e-12)
	check(t, "LogLoss of nothing", LogLoss(nil, nil), math.NaN(), 0)
}
