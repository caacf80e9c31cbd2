package crossval

import (
	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
)

// Kinds returns the kind of each model feature, so that a CSV is read the way
// the model was trained (a categorical feature coded "1", "2" stays categorical).
func Kinds(m *model.Model) map[string]string {
	out := map[string]string{}
	for _, f := range m.Features {
		out[f.Name] = f.Kind
	}
	return out
}

// Scorer scores the rows of one frame with one model.
type Scorer struct {
	m    *model.Model
	cols []*dataset.Column
	row  []model.Value
}

// NewScorer matches the model's features to the frame's columns by name. A
// missing column, or one of the wrong kind, is an error naming it.
func NewScorer(m *model.Model, f *dataset.Frame) (*Scorer, error) {
	s := &Scorer{m: m, row: make([]model.Value, len(m.Features))}
	for _, feat := range m.Features {
		c := f.Feature(feat.Name)
		if c == nil {
			return nil, opencredit.Errorf(opencredit.EINVALID, "%s: the model needs column %q, which the file does not have as an input column", f.File, feat.Name)
		}
		if c.Kind != feat.Kind {
			return nil, opencredit.Errorf(opencredit.EINVALID, "%s: column %q is %s, the model expects %s", f.File, feat.Name, c.Kind, feat.Kind)
		}
		s.cols = append(s.cols, c)
	}
	return s, nil
}

// Score scores row i into r.
func (s *Scorer) Score(i int, r *model.Result) error {
	for j, c := range s.cols {
		switch {
		case c.Miss[i]:
			s.row[j] = model.MissingValue()
		case c.Kind == dataset.Categorical:
			s.row[j] = model.Cat(c.Str[i])
		default:
			s.row[j] = model.Num(c.Num[i])
		}
	}
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
