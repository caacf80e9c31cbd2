package policy

import (
	"fmt"
	"strings"

	"github.com/opencredit/opencredit"
)

// Declarations are what the model developer said about columns.
type Declarations struct {
	Audit        []string // protected attributes kept for fairness reports only
	Exclude      []string // columns not used at all
	NotProtected []string // names that look protected but are not (recorded in the model)
	AllowAge     bool     // a person's age may be an input, under 12 CFR 1002.6(b)(2)
}

func in(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// CheckInputs refuses any candidate input column that names a protected trait
// and is not declared. It returns the columns that are a person's age (allowed
// only with AllowAge; the trainer must then enforce CheckAge on the fit). The
// error has code EREFUSED and names the column, the rule and the flags.
func CheckInputs(columns []string, d Declarations) (ageColumns []string, err error) {
	var refused []string
	for _, c := range columns {
		if in(d.Audit, c) || in(d.Exclude, c) || in(d.NotProtected, c) {
			continue
		}
		m, ok := Protected(c)
		if !ok {
			continue
		}
		if m.Trait == "age" && d.AllowAge {
			ageColumns = append(ageColumns, c)
			continue
		}
		refused = append(refused, m.String())
	}
	if len(refused) > 0 {
		return nil, &opencredit.Error{Code: opencredit.EREFUSED, Message: fmt.Sprintf(
			"refused: %s.\nProtected traits may never be scoring inputs (GDPR Art. 9, ECOA Reg. B 12 CFR 1002.6, EU AI Act); "+
				"they may only be audited for fairness.\nDeclare the column with --audit COL to report fairness by it, "+
				"or --exclude COL to ignore it; if the name misleads and the column is not a protected trait, "+
				"declare --not-protected COL (recorded in the model)%s.",
			strings.Join(refused, "; "), ageHint(refused))}
	}
	return ageColumns, nil
}

func ageHint(refused []string) string {
	for _, r := range refused {
		if strings.Contains(r, "(age:") {
			return "; a person's age may be used only with --allow-age, under 12 CFR 1002.6(b)(2): applicants aged 62 or more must get no fewer points than any younger applicant"
		}
	}
	return ""
}
