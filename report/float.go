package report

import (
	"encoding/json"
	"math"
)

// Float is a float64 that may be undefined: NaN (and ±Inf) encode as JSON
// null and null decodes as NaN. encoding/json refuses NaN, and a report has
// undefined numbers by design: the AUC of a file without bads, the bad rate
// of a file without a target.
type Float float64

// NaN is an undefined Float.
var NaN = Float(math.NaN())

// Valid reports whether f is a finite number.
func (f Float) Valid() bool {
	return !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0)
}

// MarshalJSON encodes f as a number, or null when f is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	if !f.Valid() {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

// UnmarshalJSON decodes a number, or null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = NaN
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Float(x)
	return nil
}
