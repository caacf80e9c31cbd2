package training

import (
	"slices"

	"github.com/opencredit/opencredit"
	"github.com/opencredit/opencredit/dataset"
	"github.com/opencredit/opencredit/model"
)

// AddDerived computes the spec's derived characteristics over the rows of f
// and adds each as a numeric feature column, with the same code that scores
// them later (model.Deriver), and returns their names in the order added.
//
// Every input must be a numeric feature column of f or another derived
// characteristic. An input that is a protected attribute declared for the
// fairness audit is refused with EREFUSED: what may not be an input may not
// be one through a derived characteristic either. An input that is the
// target, the id or an excluded column, one that is categorical, a name the
// file has already, and (in training data, f.Y set) a result that is always
// missing or always the same are EINVALID errors naming the characteristic.
func AddDerived(f *dataset.Frame, s Spec) ([]string, error) {
	defs, err := s.Derived()
	if err != nil || len(defs) == 0 {
		return nil, err
	}
	d, err := model.NewDeriver(defs)
	if err != nil {
		return nil, opencredit.Errorf(opencredit.EINVALID, "%v", err)
	}
	users := map[string]string{} // raw input → a definition that takes it
	for _, def := range d.Defs() {
		for _, in := range def.Of {
			if _, ok := users[in]; !ok {
				users[in] = def.Name
			}
		}
	}
	cols := make([]*dataset.Column, len(d.Raw())) // in the order of d.Raw
	for k, in := range d.Raw() {
		c, err := derivedInput(f, users[in], in)
		if err != nil {
			return nil, err
		}
		cols[k] = c
	}
	n := f.Rows()
	out := make([][]float64, len(d.Defs()))
	for k := range out {
		out[k] = make([]float64, n)
	}
	raw := make([]model.Value, len(cols))
	var row []float64
	for i := 0; i < n; i++ {
		for k, c := range cols {
			if c.Miss[i] {
				raw[k] = model.MissingValue()
			} else {
				raw[k] = model.Num(c.Num[i])
			}
		}
		row = d.Derive(row, raw)
		for k, x := range row {
			out[k][i] = x
		}
	}
	names := make([]string, 0, len(out))
	for k, def := range d.Defs() {
		c, err := f.AddNumeric(def.Name, out[k])
		if err != nil {
			return nil, opencredit.Errorf(opencredit.EINVALID, "derived %q: %v; give the characteristic another name", def.Name, err)
		}
		if f.Y != nil {
			switch {
			case c.AllMissing():
				return nil, opencredit.Errorf(opencredit.EINVALID, "%s: derived %q (%s) has no value in any row", f.File, def.Name, def.String())
			case c.Constant():
				return nil, opencredit.Errorf(opencredit.EINVALID, "%s: derived %q (%s) is %v in every row", f.File, def.Name, def.String(), out[k][0])
			}
		}
		names = append(names, def.Name)
	}
	return names, nil
}

// derivedInput finds the numeric feature column name that derived
// characteristic user takes, or says why it may not.
func derivedInput(f *dataset.Frame, user, name string) (*dataset.Column, error) {
	if c := f.Feature(name); c != nil {
		if c.Kind != dataset.Numeric {
			return nil, opencredit.Errorf(opencredit.EINVALID, "%s: derived %q takes column %q, which is categorical; derived characteristics take numbers (or declare it kind: numeric in the spec if its codes are numbers)", f.File, user, name)
		}
		return c, nil
	}
	for _, c := range f.Audit {
		if c.Name == name {
			return nil, opencredit.Errorf(opencredit.EREFUSED, "refused: derived %q takes %q, a protected attribute declared for the fairness audit; "+
				"protected traits may never be scoring inputs, not through a derived characteristic either (GDPR Art. 9, ECOA Reg. B 12 CFR 1002.6, EU AI Act)", user, name)
		}
	}
	switch {
	case name == f.TargetName:
		return nil, opencredit.Errorf(opencredit.EINVALID, "%s: derived %q takes %q, the target; an input computed from the outcome would leak it", f.File, user, name)
	case slices.Contains(f.Header, name):
		return nil, opencredit.Errorf(opencredit.EINVALID, "%s: derived %q takes column %q, which is the id or an excluded column, not an input", f.File, user, name)
	}
	return nil, opencredit.Errorf(opencredit.EINVALID, "%s: derived %q takes %q, which is neither a column of the file nor another derived characteristic", f.File, user, name)
}
