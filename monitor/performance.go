package monitor

import (
	"encoding/json"
	"math"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/measure"
	"github.com/opencredit/opencredit/model"
)

// Outcome is one person the model scored, and whether they went bad in the
// outcome window after it (features.Adverse: 90+ days past due, a
// charge-off, a collection or a judgment).
type Outcome struct {
	Score int
	Bad   bool
}

// Performance is how a model's live scores ranked the outcomes that
// followed them: the back-test of a model in service, as outcomes arrive in
// the events.
type Performance struct {
	Model  string       `json:"model"`
	Scored int          `json:"scored"`
	Bads   int          `json:"bads"`
	AUC    Float        `json:"auc"` // NaN (null) without both goods and bads
	KS     Float        `json:"ks"`
	Bands  []BandResult `json:"bands"`
}

// BandResult is one score band's outcomes.
type BandResult struct {
	Band    string `json:"band"`
	Min     int    `json:"min"`
	Rows    int    `json:"rows"`
	Bads    int    `json:"bads"`
	BadRate Float  `json:"bad_rate"` // NaN (null) for an empty band
}

// Measure computes a model's performance over outcomes, by the model's
// bands (a higher score is less risk).
func Measure(id string, m *model.Model, outs []Outcome) Performance {
	p := Performance{Model: id, Scored: len(outs), AUC: Float(math.NaN()), KS: Float(math.NaN())}
	risk := make([]float64, len(outs))
	score := make([]float64, len(outs))
	y := make([]float64, len(outs))
	for i, o := range outs {
		risk[i], score[i] = -float64(o.Score), float64(o.Score)
		if o.Bad {
			y[i] = 1
			p.Bads++
		}
	}
	if p.Bads > 0 && p.Bads < len(outs) {
		p.AUC = Float(measure.AUC(risk, y))
		ks, _ := measure.KS(score, y)
		p.KS = Float(ks)
	}
	for _, b := range m.Bands {
		p.Bands = append(p.Bands, BandResult{Band: b.Name, Min: b.Min, BadRate: Float(math.NaN())})
	}
	for _, o := range outs {
		name := opencredit.BandOf(m.Bands, o.Score)
		for k := range p.Bands {
			if p.Bands[k].Band == name {
				p.Bands[k].Rows++
				if o.Bad {
					p.Bands[k].Bads++
				}
			}
		}
	}
	for k := range p.Bands {
		if b := &p.Bands[k]; b.Rows > 0 {
			b.BadRate = Float(float64(b.Bads) / float64(b.Rows))
		}
	}
	return p
}

// Float is a number that is NaN when undefined, encoded in JSON as null.
type Float float64

// MarshalJSON writes null for NaN.
func (f Float) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}
