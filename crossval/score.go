package crossval

import (
	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
)

// Kinds returns the kind of each raw input of the model (model.Inputs), so
// that a CSV is read the way the model was trained (a categorical feature
// coded "1", "2" stays categorical).
func Kinds(m *model.Model) map[string]string {
	out := map[string]string{}
	for _, in := range m.Inputs() {
		out[in.Name] = in.Kind
	}
	return out
}

// Scorer scores the rows of one frame with one model.
type Scorer struct {
	m    *model.Model
	cols []*dataset.Column // one per model input (model.Inputs), in its order
	in   []model.Value
	row  []model.Value
}

// NewScorer matches the model's raw inputs (model.Inputs: its features, and
// the inputs of its derived characteristics) to the frame's columns by
// name. A missing column, or one of the wrong kind, is an error naming it.
func NewScorer(m *model.Model, f *dataset.Frame) (*Scorer, error) {
	inputs := m.Inputs()
	s := &Scorer{m: m, in: make([]model.Value, len(inputs)), row: make([]model.Value, len(m.Features))}
	for _, in := range inputs {
		c := f.Feature(in.Name)
		if c == nil {
			return nil, opencredit.Errorf(opencredit.EINVALID, "%s: the model needs column %q, which the file does not have as an input column", f.File, in.Name)
		}
		if c.Kind != in.Kind {
			return nil, opencredit.Errorf(opencredit.EINVALID, "%s: column %q is %s, the model expects %s", f.File, in.Name, c.Kind, in.Kind)
		}
		s.cols = append(s.cols, c)
	}
	return s, nil
}

// Score scores row i into r.
func (s *Scorer) Score(i int, r *model.Result) error {
	for k, c := range s.cols {
		switch {
		case c.Miss[i]:
			s.in[k] = model.MissingValue()
		case c.Kind == dataset.Categorical:
			s.in[k] = model.Cat(c.Str[i])
		default:
			s.in[k] = model.Num(c.Num[i])
		}
	}
	s.row = s.m.Row(s.row, s.in)
	return s.m.ScoreInto(s.row, r)
}

// ScoreAll returns every row's probability of default and score.
func ScoreAll(m *model.Model, f *dataset.Frame) (pd []float64, score []int, err error) {
	s, err := NewScorer(m, f)
	if err != nil {
		return nil, nil, err
	}
	n := f.Rows()
	pd, score = make([]float64, n), make([]int, n)
	var r model.Result
	for i := 0; i < n; i++ {
		if err := s.Score(i, &r); err != nil {
			return nil, nil, err
		}
		pd[i], score[i] = r.PD, r.Score
	}
	return pd, score, nil
}
